"""The confirmation step (core.confirm) before removing a member and before declining a registration:
the GET shows who or what and the consequence and changes nothing; the POST acts; the refused personas
change nothing."""

import pytest

from kyodo.core.models import OutboundEmail
from kyodo.groups.models import Group, Membership
from kyodo.groups.tests.conftest import GROUP_PERSONAS

pytestmark = pytest.mark.django_db


def _remove_url(group, user, prefix="/en"):
    return f"{prefix}/groups/mine/{group.pk}/members/{Membership.objects.get(user=user).pk}/remove/"


def test_the_group_page_links_to_the_confirmation(client_for, group_a, plain_member_a):
    html = client_for("member_a").get(f"/en/groups/mine/{group_a.pk}/").content.decode()
    assert f'href="{_remove_url(group_a, plain_member_a)}"' in html
    assert f'action="{_remove_url(group_a, plain_member_a)}"' not in html


def test_remove_confirmation_changes_nothing_then_the_post_removes(client_for, group_a, plain_member_a):
    client = client_for("member_a")
    url = _remove_url(group_a, plain_member_a)
    html = client.get(url).content.decode()
    assert (
        plain_member_a.display_name() in html
        and "bound method" not in html
        and "A町会" in html
        and "Remove from the group" in html
    )
    assert 'class="danger"' in html and "invite them again" in html
    assert Membership.objects.filter(user=plain_member_a).exists()
    done = client.post(url, follow=True).content.decode()
    assert not Membership.objects.filter(user=plain_member_a).exists()
    assert f"{plain_member_a.display_name()} is no longer a member." in done and "bound method" not in done


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_remove_confirmation_per_persona(group_client_for, group_a, plain_member_a, persona):
    client = group_client_for(persona)
    url = _remove_url(group_a, plain_member_a)
    response = client.get(url)
    if persona in ("member_a", "staff", "admin"):  # the group's manager, and staff
        assert response.status_code == 200
        return
    if persona == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:  # a plain member may see the group but not remove; another group's member sees nothing
        assert response.status_code == (403 if persona == "plain_member_a" else 404)
    client.post(url)
    assert Membership.objects.filter(user=plain_member_a).exists()


def test_a_membership_of_another_group_is_not_found(client_for, group_a, member_b):
    other = Membership.objects.get(user=member_b)
    url = f"/groups/mine/{group_a.pk}/members/{other.pk}/remove/"
    assert client_for("member_a").get(url).status_code == 404


@pytest.fixture
def pending(group_a):
    group_a.status = Group.Status.PENDING
    group_a.save()
    return group_a


def test_the_review_page_links_to_the_decline_confirmation(client_for, pending):
    html = client_for("staff").get(f"/en/groups/review/{pending.pk}/").content.decode()
    assert f'href="/en/groups/review/{pending.pk}/decline/"' in html
    assert f'action="/en/groups/review/{pending.pk}/decline/"' not in html


def test_decline_confirmation_asks_for_the_reason_and_changes_nothing(client_for, pending):
    client = client_for("staff")
    url = f"/en/groups/review/{pending.pk}/decline/"
    mails = OutboundEmail.objects.count()
    html = client.get(url).content.decode()
    assert (
        "A町会" in html and "A代表" in html and 'name="reason"' in html and "Decline the registration" in html
    )
    pending.refresh_from_db()
    assert pending.status == Group.Status.PENDING and OutboundEmail.objects.count() == mails
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and 'name="reason"' in refused.content.decode()
    assert client.post(url, {"reason": "営利目的のため"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == Group.Status.DECLINED


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_decline_confirmation_per_persona(group_client_for, pending, persona):
    client = group_client_for(persona)
    url = f"/groups/review/{pending.pk}/decline/"
    response = client.get(url)
    if persona in ("staff", "admin"):
        assert response.status_code == 200
        return
    assert _turned_away(response, persona)
    client.post(url, {"reason": "x"})
    pending.refresh_from_db()
    assert pending.status == Group.Status.PENDING


def test_the_staff_history_names_the_changed_fields_in_words(client_for, group_a, staff):
    """Staff history speaks the reader's language: 'group name', not the field's code 'name'."""
    from kyodo.core.models import AuditEntry, detail_label
    from kyodo.groups.services import update_profile

    update_profile(staff, group_a, {"name": "A町会（改）", "description": "活動の紹介"})
    assert AuditEntry.objects.get(action="group.edit").detail == "name, description"  # stored in no language
    html = client_for("staff").get(f"/en/groups/mine/{group_a.pk}/").content.decode()
    assert "profile edited group name, about the group" in html and "name, description" not in html
    assert detail_label("lending.decline", "name, description") == "name, description"  # as recorded


def _turned_away(response, persona):
    """A staff page: the signed-out are sent to the site's sign-in, signed-in non-staff get 403."""
    if persona == "anonymous":
        return response.status_code == 302 and response["Location"].split("?")[0].endswith("/accounts/login/")
    return response.status_code == 403
