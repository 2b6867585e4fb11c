"""A group's pages for each persona: member_a manages group A, plain_member_a is a plain member of it,
member_b belongs to group B only, then staff and admin."""

import pytest

from kyodo.core.models import OutboundEmail
from kyodo.groups.models import Invitation, Membership
from kyodo.groups.tests.conftest import GROUP_PERSONAS

pytestmark = pytest.mark.django_db

# persona: (private page, may manage)
EXPECTED = {
    "anonymous": (302, False),
    "member_a": (200, True),
    "plain_member_a": (200, False),
    "member_b": (404, False),
    "staff": (200, True),
    "admin": (200, True),
}


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_private_page_shows_the_managers_tools_only_to_those_who_manage(group_client_for, group_a, persona):
    status, manages = EXPECTED[persona]
    response = group_client_for(persona).get(f"/groups/mine/{group_a.pk}/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert (f"/groups/mine/{group_a.pk}/invite/" in html) == manages
        assert (f"/groups/mine/{group_a.pk}/edit/" in html) == manages
        assert ("/remove/" in html) == manages


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_edit_page_only_for_managers_and_staff(group_client_for, group_a, persona):
    status, manages = EXPECTED[persona]
    response = group_client_for(persona).get(f"/groups/mine/{group_a.pk}/edit/")
    expected = 200 if manages else {302: 302, 404: 404}.get(status, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_invite_only_by_managers_and_staff(group_client_for, group_a, persona):
    status, manages = EXPECTED[persona]
    response = group_client_for(persona).post(f"/groups/mine/{group_a.pk}/invite/", {"email": "x@example.jp"})
    assert response.status_code == (302 if manages or status == 302 else {404: 404}.get(status, 403))
    assert Invitation.objects.exists() == manages
    assert OutboundEmail.objects.filter(to=["x@example.jp"]).exists() == manages


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_remove_member_only_by_managers_and_staff(group_client_for, group_a, plain_member_a, persona):
    status, manages = EXPECTED[persona]
    target = Membership.objects.get(user=plain_member_a)
    if persona == "plain_member_a":  # a plain member tries to remove the manager
        target = Membership.objects.exclude(user=plain_member_a).get(group=group_a)
    response = group_client_for(persona).post(f"/groups/mine/{group_a.pk}/members/{target.pk}/remove/")
    assert response.status_code == (302 if manages or status == 302 else {404: 404}.get(status, 403))
    assert Membership.objects.filter(pk=target.pk).exists() != manages


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
def test_public_page_offers_the_profile_editor_to_managers_only(group_client_for, group_a, persona):
    html = group_client_for(persona).get(f"/groups/{group_a.pk}/").content.decode()
    assert (f"/groups/mine/{group_a.pk}/edit/" in html) == EXPECTED[persona][1]


@pytest.mark.parametrize("persona", GROUP_PERSONAS)
@pytest.mark.parametrize("path", ["/groups/", "/en/groups/", "/features/", "/en/features/"])
def test_directory_pages_are_public(group_client_for, group_a, persona, path):
    assert group_client_for(persona).get(path).status_code == 200


def test_removing_the_last_manager_is_refused_with_a_message(group_client_for, group_a, member_a):
    own = Membership.objects.get(user=member_a)
    response = group_client_for("member_a").post(
        f"/groups/mine/{group_a.pk}/members/{own.pk}/remove/", follow=True
    )
    assert "管理者が1人以上必要" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
