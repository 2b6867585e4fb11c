"""The group directory, a group's public page, features and collaboration proposals."""

import pytest
from django.core.cache import cache

from conftest import PERSONAS
from kyodo.community.tests.helpers import make_event, make_feature
from kyodo.core.models import OutboundEmail
from kyodo.groups import daily, services
from kyodo.groups.models import ActivityField, Group, Proposal


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hidden_groups(db):
    """A pending group and an approved group that chose not to be listed."""
    pending = Group.objects.create(
        name="審査中の会", kana="しんさちゅうのかい", representative="代表", contact_email="p@example.jp"
    )
    unlisted = Group.objects.create(
        name="非公開の会", kana="ひこうかいのかい", representative="代表", contact_email="u@example.jp",
        status="approved", listed=False,
    )  # fmt: skip
    return {"pending": pending, "unlisted": unlisted}


PROPOSAL = {
    "sender_name": "協働 花子",
    "sender_email": "Hanako@Example.jp",
    "organisation": "まちづくりNPO",
    "message": "食糧支援で一緒に活動しませんか。",
    "website": "",
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_directory_lists_only_listed_approved_groups(client_for, persona, prefix, hidden_groups):
    response = client_for(persona).get(prefix + "/groups/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "A町会" in html and "Bサークル" in html
    assert "審査中の会" not in html and "非公開の会" not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_public_group_page_per_persona(client_for, persona, group_a, hidden_groups):
    client = client_for(persona)
    response = client.get(f"/groups/{group_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "A町会" in html and "a@example.jp" not in html  # the contact address is never shown
    for group in hidden_groups.values():
        assert client.get(f"/groups/{group.pk}/").status_code == 404
    assert client.get("/groups/999999/").status_code == 404


@pytest.mark.parametrize("query", ["えーちょう", "エーチョウ", "ｴｰﾁｮｳ", "a町", "Ａ町会", "ちょうかい"])
def test_search_by_name_or_kana_in_any_form(client, group_a, group_b, query):
    html = client.get("/groups/", {"q": query}).content.decode()
    assert "A町会" in html and "Bサークル" not in html


def test_filters_by_field_and_seeking_collaboration(client, group_a, group_b):
    env = ActivityField.objects.create(name="環境", name_en="Environment")
    group_a.fields.add(env)
    group_b.seeks_collaboration = True
    group_b.collaboration_note = "食糧支援の仲間を募集"
    group_b.save()
    html = client.get("/groups/", {"field": env.pk}).content.decode()
    assert "A町会" in html and "Bサークル" not in html
    html = client.get("/groups/", {"seeking": "on"}).content.decode()
    assert "Bサークル" in html and "A町会" not in html and "連携募集中" in html
    assert client.get("/groups/", {"field": "999999"}).status_code == 400


def test_group_page_shows_profile_features_and_events(client, group_a):
    group_a.seeks_collaboration = True
    group_a.collaboration_note = "一緒にゴミ拾いをしてくれる団体"
    group_a.website = "https://example.jp/a"
    group_a.save()
    make_feature(group_a, answers=("感染症対策を行なながら", "少人数でも"))
    make_feature(group_a, published=False, answers=("非公開の回答",))
    make_event(title="A町会の清掃", group=group_a)
    make_event(title="A町会の下書き", group=group_a, state="draft")
    html = client.get(f"/groups/{group_a.pk}/").content.decode()
    assert "一緒にゴミ拾いをしてくれる団体" in html and "https://example.jp/a" in html
    assert "感染症対策を行なながら" in html and "非公開の回答" not in html
    assert "A町会の清掃" in html and "A町会の下書き" not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_features_list_and_page(client_for, persona, group_a, hidden_groups):
    shown = make_feature(group_a, answers=("公開された回答",))
    unpublished = make_feature(group_a, published=False)
    of_unlisted = make_feature(hidden_groups["unlisted"], answers=("非公開団体の回答",))
    client = client_for(persona)
    html = client.get("/features/").content.decode()
    assert "A町会" in html and "非公開の会" not in html
    assert client.get(f"/features/{shown.pk}/").status_code == 200
    assert "公開された回答" in client.get(f"/features/{shown.pk}/").content.decode()
    assert client.get(f"/features/{unpublished.pk}/").status_code == 404
    assert client.get(f"/features/{of_unlisted.pk}/").status_code == 404


# --- Proposals ----------------------------------------------------------------------------------------


def test_proposal_is_relayed_to_the_group_without_showing_its_addresses(client, group_a, member_a):
    response = client.post(f"/groups/{group_a.pk}/", PROPOSAL)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "提案を団体に送りました" in page
    assert "a@example.jp" not in page and member_a.email not in page
    proposal = Proposal.objects.get()
    assert proposal.group == group_a and proposal.sender_email == "hanako@example.jp"
    recipients = sorted(addr for m in OutboundEmail.objects.all() for addr in m.to)
    assert recipients == sorted(["a@example.jp", member_a.email])
    message = OutboundEmail.objects.first()
    assert message.reply_to == ["hanako@example.jp"]
    assert "食糧支援で一緒に活動しませんか。" in message.body and "まちづくりNPO" in message.body


def test_proposal_mail_goes_out_in_each_members_language(group_a, member_a):
    member_a.preferred_language = "en"
    member_a.save()
    services.send_proposal(group_a.pk, PROPOSAL, ip="10.0.0.1")
    english = OutboundEmail.objects.get(to=[member_a.email])
    japanese = OutboundEmail.objects.get(to=["a@example.jp"])
    assert english.subject.startswith("A collaboration proposal for")
    assert "連携の提案" in japanese.subject


def test_honeypot_pretends_success_and_sends_nothing(client, group_a):
    response = client.post(f"/groups/{group_a.pk}/", {**PROPOSAL, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not Proposal.objects.exists() and not OutboundEmail.objects.exists()


def test_invalid_proposal_is_400_and_writes_nothing(client, group_a):
    response = client.post(
        f"/groups/{group_a.pk}/", {**PROPOSAL, "sender_email": "not-an-address", "message": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "有効なメールアドレス" in html and 'role="alert"' in html
    assert not Proposal.objects.exists() and not OutboundEmail.objects.exists()


def test_proposals_are_rate_limited_per_email_and_per_ip(client, group_a, group_b):
    for _ in range(3):
        assert client.post(f"/groups/{group_a.pk}/", PROPOSAL).status_code == 302
    response = client.post(f"/groups/{group_b.pk}/", PROPOSAL)
    assert response.status_code == 429
    assert "しばらくしてから" in response.content.decode()
    assert Proposal.objects.count() == 3
    # Another sender from the same address: the per-IP limit (5 per hour) stops the sixth.
    statuses = [
        client.post(f"/groups/{group_b.pk}/", {**PROPOSAL, "sender_email": f"s{i}@example.jp"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_no_proposals_to_hidden_groups(client, hidden_groups):
    for group in hidden_groups.values():
        assert client.post(f"/groups/{group.pk}/", PROPOSAL).status_code == 404
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "persona,sees",
    [("member_a", True), ("member_b", False), ("staff", True), ("admin", True)],
)
def test_received_proposals_on_the_groups_private_page(client_for, group_a, persona, sees):
    services.send_proposal(group_a.pk, PROPOSAL, ip="10.0.0.2")
    response = client_for(persona).get(f"/groups/mine/{group_a.pk}/")
    if not sees:
        assert response.status_code == 404  # the groups app hides other groups' pages
        return
    html = response.content.decode()
    assert "届いた連携の提案" in html and "食糧支援で一緒に活動しませんか。" in html


def test_group_b_page_shows_no_proposal_of_group_a(client_for, group_a, group_b):
    services.send_proposal(group_a.pk, PROPOSAL, ip="10.0.0.3")
    html = client_for("member_b").get(f"/groups/mine/{group_b.pk}/").content.decode()
    assert "食糧支援で一緒に活動しませんか。" not in html and "提案はまだ届いていません" in html


def test_proposals_for_is_empty_for_outsiders(group_a, member_b):
    services.send_proposal(group_a.pk, PROPOSAL, ip="10.0.0.4")
    from django.contrib.auth.models import AnonymousUser

    assert not services.proposals_for(member_b, group_a).exists()
    assert not services.proposals_for(AnonymousUser(), group_a).exists()


@pytest.mark.parametrize(
    "persona,shown", [("anonymous", False), ("member_a", True), ("member_b", False), ("staff", True)]
)
def test_members_find_the_profile_editor_from_the_public_page(client_for, group_a, persona, shown):
    html = client_for(persona).get(f"/groups/{group_a.pk}/").content.decode()
    assert (f"/groups/mine/{group_a.pk}/edit/" in html) == shown


def test_daily_repairs_stale_search_keys(group_a):
    Group.objects.filter(pk=group_a.pk).update(kana="あたらしいよみ")
    # (the summary also counts the staff digest's applications since issue 18)
    assert daily.run(None).startswith("groups: 1 directory search key(s) refreshed")
    assert daily.run(None).startswith("groups: 0 directory search key(s) refreshed")


def test_directory_comes_in_pages_with_the_total(client, group_a, group_b):
    Group.objects.bulk_create(
        Group(name=f"会{i:02d}", kana=f"かい{i:02d}", representative="代表", contact_email=f"g{i}@example.jp",
              status="approved", listed=True)
        for i in range(40)
    )  # fmt: skip
    first = client.get("/groups/?seeking=").content.decode()
    assert "42団体" in first.replace(" ", "") or "42 団体" in first
    assert first.count('class="card"') == 30 and "page=2" in first
    second = client.get("/groups/?page=2").content.decode()
    assert second.count('class="card"') == 12 and "page=1" in second and "page=3" not in second
    english = client.get("/en/groups/?page=2").content.decode()
    assert "42 groups" in english and "Page 2 of 2" in english
