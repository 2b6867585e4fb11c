"""Group registration, review, membership and invitations, for every persona."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from conftest import PERSONAS
from kyodo.core.models import AuditEntry, OutboundEmail
from kyodo.groups import services
from kyodo.groups.models import ActivityField, Group, Invitation, Membership

pytestmark = pytest.mark.django_db

FORM = {
    "name": "新しい町会",
    "kana": "あたらしいちょうかい",
    "representative": "山田 一郎",
    "contact_email": "new@example.jp",
    "contact_phone": "076-111-1111",
    "area": "金沢市",
    "member_count": "40",
    "description": "総会をオンラインで開きたい町会です。",
}


def test_signed_in_user_applies_and_becomes_manager(client_for, personas, staff):
    field = ActivityField.objects.create(name="まちづくり", name_en="Community")
    client = client_for("member_b")
    response = client.post("/groups/register/", {**FORM, "fields": [field.pk]})
    group = Group.objects.get(name="新しい町会")
    assert response.status_code == 302 and response["Location"] == f"/groups/mine/{group.pk}/"
    assert group.status == Group.Status.PENDING
    assert list(group.fields.all()) == [field]
    assert Membership.objects.get(group=group).user == personas["member_b"]
    # Only the applicant is mailed now: staff get the daily digest (changed with issue 18).
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == [[personas["member_b"].email]]
    assert "受け付けました" in OutboundEmail.objects.get().subject


def test_an_applicant_may_have_one_application_waiting(client_for, personas, staff):
    client = client_for("member_b")
    assert client.post("/groups/register/", FORM).status_code == 302
    second = client.post("/groups/register/", {**FORM, "name": "二つ目の会", "kana": "ふたつめのかい"})
    with translation.override("ja"):
        refusal = gettext(
            "You already have an application waiting for review. Please wait for the answer from staff."
        )
    assert second.status_code == 400 and refusal in second.content.decode()
    assert Group.objects.filter(created_by=personas["member_b"]).count() == 1
    with pytest.raises(ValidationError):
        services.apply(personas["member_b"], {**FORM, "name": "三つ目の会", "kana": "みっつめのかい"})
    services.approve(staff, Group.objects.get(created_by=personas["member_b"]).pk)
    services.apply(
        personas["member_b"], {**FORM, "name": "三つ目の会", "kana": "みっつめのかい"}
    )  # none waits now
    assert Group.objects.filter(created_by=personas["member_b"]).count() == 2


def test_staff_get_one_digest_of_new_applications_sent_once(personas, member_a, staff):
    import datetime as dt

    from kyodo.groups import daily

    today = dt.date(2026, 6, 1)
    for user, name in ((personas["member_b"], "会一"), (member_a, "会二")):
        services.apply(user, {**FORM, "name": name, "kana": "かい"})
    OutboundEmail.objects.all().delete()  # the applicants' receipts
    assert services.send_pending_digest(today) == 2
    digest = OutboundEmail.objects.get()
    assert staff.email in digest.to and "会一" in digest.body and "会二" in digest.body
    assert "/groups/review/" in digest.body
    daily.run(today)  # the same day again: nothing more
    assert OutboundEmail.objects.count() == 1
    assert services.send_pending_digest(today + dt.timedelta(days=1)) == 0  # nothing new since
    assert OutboundEmail.objects.count() == 1


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/groups/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/groups/register/", FORM).status_code == 302
    assert not Group.objects.filter(name="新しい町会").exists()


def test_missing_fields_give_a_clear_message_and_nothing_written(client_for, personas):
    response = client_for("member_a").post("/groups/register/", {**FORM, "name": "", "contact_email": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "このフィールドは必須です" in html and "有効なメールアドレス" in html
    assert Group.objects.count() == 2


def test_english_form_errors_are_english(client_for, personas):
    response = client_for("member_a").post("/en/groups/register/", {**FORM, "name": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 200), ("member_b", 404), ("staff", 200), ("admin", 200)],
)
def test_group_private_page_only_for_its_members_and_staff(client_for, group_a, persona, expected):
    response = client_for(persona).get(f"/groups/mine/{group_a.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert group_a.contact_email in response.content.decode()


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 302), ("member_b", 404), ("staff", 302), ("admin", 302)],
)
def test_edit_profile_only_by_managers_and_staff(client_for, group_a, persona, expected):
    data = {
        **FORM,
        "name": "A町会（改）",
        "kana": "えーちょうかい",
        "listed": "on",
        "seeks_collaboration": "on",
    }
    response = client_for(persona).post(f"/groups/mine/{group_a.pk}/edit/", data)
    assert response.status_code == expected
    group_a.refresh_from_db()
    changed = group_a.name == "A町会（改）"
    assert changed == (persona in {"member_a", "staff", "admin"})
    if changed:
        assert group_a.seeks_collaboration


def test_staff_edit_is_audited(client_for, group_a):
    client_for("staff").post(f"/groups/mine/{group_a.pk}/edit/", {**FORM, "name": "A町会（職員修正）"})
    assert AuditEntry.objects.filter(action="group.edit", target_id=str(group_a.pk)).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_staff_approve(client_for, personas, persona):
    group = Group.objects.create(
        name="審査待ち", kana="しんさまち", representative="x", contact_email="p@example.jp"
    )
    response = client_for(persona).post(f"/groups/review/{group.pk}/approve/")
    group.refresh_from_db()
    if persona in {"staff", "admin"}:
        assert response.status_code == 302 and group.status == Group.Status.APPROVED
        entry = AuditEntry.objects.get(action="group.approve")
        assert entry.actor == personas[persona] and entry.target_id == str(group.pk)
    else:
        expected = 302 if persona == "anonymous" else 403  # the signed-out are sent to /accounts/login/
        assert response.status_code == expected and "/admin/login/" not in response.get("Location", "")
        assert group.status == Group.Status.PENDING


def test_decline_needs_a_reason_and_mails_it(client_for, member_a, group_a):
    group_a.status = Group.Status.PENDING
    group_a.save()
    client = client_for("staff")
    response = client.post(f"/groups/review/{group_a.pk}/decline/", {"reason": ""})
    assert response.status_code == 400
    group_a.refresh_from_db()
    assert group_a.status == Group.Status.PENDING
    client.post(f"/groups/review/{group_a.pk}/decline/", {"reason": "営利目的のため"})
    group_a.refresh_from_db()
    assert group_a.status == Group.Status.DECLINED and group_a.decline_reason == "営利目的のため"
    mail = OutboundEmail.objects.get(to=[member_a.email])
    assert "営利目的のため" in mail.body


def test_decline_mail_is_in_the_members_language(group_a, member_a, staff):
    member_a.preferred_language = "en"
    member_a.save()
    services.decline(staff, group_a.pk, "Commercial use")
    mail = OutboundEmail.objects.get(to=[member_a.email])
    assert mail.subject.startswith("About your application") and "Commercial use" in mail.body


def test_service_refuses_non_staff(member_a, group_b):
    with pytest.raises(PermissionDenied):
        services.approve(member_a, group_b.pk)


def test_approving_twice_mails_once(staff, group_a, member_a):
    group_a.status = Group.Status.PENDING
    group_a.save()
    services.approve(staff, group_a.pk)
    services.approve(staff, group_a.pk)
    assert OutboundEmail.objects.filter(to=[member_a.email]).count() == 1


def test_invitation_flow(client_for, group_a, personas):
    client_for("member_a").post(f"/groups/mine/{group_a.pk}/invite/", {"email": "Member-B@example.jp"})
    invitation = Invitation.objects.get()
    mail = OutboundEmail.objects.get(to=["member-b@example.jp"])
    assert f"/groups/invitation/{invitation.token}/" in mail.body
    invitee = client_for("member_b")
    # GET only shows a button: a mail scanner following the link changes nothing.
    assert invitee.get(f"/groups/invitation/{invitation.token}/").status_code == 200
    assert not Membership.objects.filter(group=group_a, user=personas["member_b"]).exists()
    assert invitee.post(f"/groups/invitation/{invitation.token}/").status_code == 302
    assert Membership.objects.filter(group=group_a, user=personas["member_b"]).exists()
    assert invitee.post(f"/groups/invitation/{invitation.token}/").status_code == 400  # used


def test_outsider_cannot_invite_into_a_group(client_for, group_a):
    assert (
        client_for("member_b")
        .post(f"/groups/mine/{group_a.pk}/invite/", {"email": "x@example.jp"})
        .status_code
        == 404
    )
    assert not Invitation.objects.exists()


def test_cannot_invite_an_existing_member(member_a, group_a):
    with pytest.raises(ValidationError):
        services.invite(member_a, group_a, member_a.email)


def test_review_list_shows_pending_only_to_staff(client_for, personas):
    Group.objects.create(
        name="審査待ちの会", kana="しんさまちのかい", representative="x", contact_email="p@example.jp"
    )
    assert "審査待ちの会" in client_for("staff").get("/groups/review/").content.decode()
    assert "審査待ちの会" not in client_for("staff").get("/groups/review/?status=approved").content.decode()


def test_querysets_scope_by_user(member_a, member_b, group_a, group_b, staff):
    assert list(Group.objects.visible_to(member_a)) == [group_a]
    assert set(Group.objects.visible_to(staff)) == {group_a, group_b}


def test_only_the_invited_address_may_accept_and_the_refusal_does_not_name_it(
    client_for, group_a, member_a, personas
):
    invitation = services.invite(member_a, group_a, "someone-else@example.jp")
    response = client_for("member_b").post(f"/groups/invitation/{invitation.token}/")
    html = response.content.decode()
    assert response.status_code == 400 and "別のメールアドレス" in html
    assert "someone-else@example.jp" not in html
    assert not Membership.objects.filter(group=group_a, user=personas["member_b"]).exists()


def test_invitations_expire(client_for, group_a, member_a, personas):
    import datetime as dt

    from django.utils import timezone

    invitation = services.invite(member_a, group_a, personas["member_b"].email)
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - dt.timedelta(days=15))
    assert client_for("member_b").get(f"/groups/invitation/{invitation.token}/").status_code == 404
    assert client_for("member_b").post(f"/groups/invitation/{invitation.token}/").status_code == 400


def test_invitation_mail_is_in_the_invitees_language(group_a, member_a, member_b):
    member_b.preferred_language = "en"
    member_b.save()
    services.invite(member_a, group_a, member_b.email)
    mail = OutboundEmail.objects.get(to=[member_b.email])
    assert mail.subject.startswith("Invitation to join") and "14 days" in mail.body
