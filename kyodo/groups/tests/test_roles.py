"""What Membership.Role allows, at the service level: managers invite, edit the profile and remove
members; plain members view the group and use it (equipment, events); staff may do all of it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kyodo.community import services as community_services
from kyodo.groups import demo, services
from kyodo.groups.models import Group, Invitation, Membership

pytestmark = pytest.mark.django_db


def test_manager_may_invite(group_a, member_a):
    assert services.invite(member_a, group_a, "new@example.jp").email == "new@example.jp"


def test_plain_member_may_not_invite(group_a, plain_member_a):
    with pytest.raises(PermissionDenied):
        services.invite(plain_member_a, group_a, "new@example.jp")
    assert not Invitation.objects.exists()


def test_manager_may_edit_the_profile(group_a, member_a):
    services.update_profile(member_a, group_a, {"area": "金沢市東部"})
    assert Group.objects.get(pk=group_a.pk).area == "金沢市東部"


def test_plain_member_may_not_edit_the_profile(group_a, plain_member_a):
    with pytest.raises(PermissionDenied):
        services.update_profile(plain_member_a, group_a, {"area": "金沢市東部"})
    assert Group.objects.get(pk=group_a.pk).area == ""


def test_manager_may_remove_a_member(group_a, member_a, plain_member_a):
    membership = Membership.objects.get(group=group_a, user=plain_member_a)
    services.remove_member(member_a, group_a, membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_plain_member_may_not_remove_a_member(group_a, member_a, plain_member_a):
    membership = Membership.objects.get(group=group_a, user=member_a)
    with pytest.raises(PermissionDenied):
        services.remove_member(plain_member_a, group_a, membership.pk)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_staff_may_invite_edit_and_remove_for_any_group(group_a, plain_member_a, staff):
    services.invite(staff, group_a, "new@example.jp")
    services.update_profile(staff, group_a, {"area": "金沢市西部"})
    services.remove_member(staff, group_a, Membership.objects.get(user=plain_member_a).pk)
    assert not Membership.objects.filter(user=plain_member_a).exists()


def test_a_manager_of_another_group_may_not_remove_members(group_a, plain_member_a, member_b):
    with pytest.raises(PermissionDenied):
        services.remove_member(member_b, group_a, Membership.objects.get(user=plain_member_a).pk)


def test_the_last_manager_cannot_be_removed(group_a, member_a, staff):
    own = Membership.objects.get(group=group_a, user=member_a)
    with pytest.raises(ValidationError):
        services.remove_member(staff, group_a, own.pk)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_removing_a_membership_revokes_the_open_invitations_it_sent(group_a, member_a, plain_member_a, staff):
    Membership.objects.filter(user=plain_member_a).update(role=Membership.Role.MANAGER)
    sent = services.invite(plain_member_a, group_a, "friend@example.jp")
    by_other = services.invite(member_a, group_a, "other@example.jp")
    services.remove_member(staff, group_a, Membership.objects.get(user=plain_member_a).pk)
    assert services.open_invitation(sent.token) is None
    assert services.open_invitation(by_other.token) == by_other
    with pytest.raises(ValidationError):
        services.accept_invitation(
            type(plain_member_a).objects.create_user(email="friend@example.jp"), sent.token
        )


def test_plain_member_may_view_submit_events_and_see_proposals(group_a, plain_member_a):
    assert services.is_member(plain_member_a, group_a) and not services.can_manage(plain_member_a, group_a)
    assert community_services.can_submit(plain_member_a)
    assert list(Group.objects.visible_to(plain_member_a)) == [group_a]


def test_the_applicant_becomes_the_groups_manager(member_b):
    group = services.apply(member_b, {"name": "新しい会", "kana": "あたらしいかい", "representative": "代表",
                                      "contact_email": "new@example.jp"})  # fmt: skip
    assert services.is_manager(member_b, group) and services.can_manage(member_b, group)


def test_demo_members_manage_their_sample_groups(db):
    demo.load()
    for name, _kana, email in demo.SAMPLE_GROUPS:
        membership = Membership.objects.get(group__name=name, user__email=email)
        assert membership.is_manager


def test_invitation_open_expired_accepted_and_revoked(group_a, member_a):
    fresh = services.invite(member_a, group_a, "fresh@example.jp")
    expired = services.invite(member_a, group_a, "old@example.jp")
    Invitation.objects.filter(pk=expired.pk).update(created_at=timezone.now() - dt.timedelta(days=15))
    accepted = services.invite(member_a, group_a, "done@example.jp")
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    revoked = services.invite(member_a, group_a, "gone@example.jp")
    Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    assert list(Invitation.objects.open()) == [fresh]
    states = {i.email: i.is_open() for i in Invitation.objects.all()}
    assert states == {"fresh@example.jp": True, "old@example.jp": False, "done@example.jp": False,
                      "gone@example.jp": False}  # fmt: skip


def test_an_invitation_is_open_until_its_last_day(group_a, member_a):
    invitation = services.invite(member_a, group_a, "edge@example.jp")
    assert invitation.is_open(now=invitation.created_at + dt.timedelta(days=14))
    assert not invitation.is_open(now=invitation.created_at + dt.timedelta(days=14, seconds=1))
