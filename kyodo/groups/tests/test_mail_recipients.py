"""Group.mail_recipients is the one answer to who receives a group's mail: the contact address and
every active member, each once, in their language."""

import pytest

from conftest import make_user
from kyodo.core.models import OutboundEmail
from kyodo.groups import services
from kyodo.groups.models import Group, Membership

pytestmark = pytest.mark.django_db


def test_approval_mail_reaches_the_contact_address_and_the_members(group_a, member_a, staff):
    Group.objects.filter(pk=group_a.pk).update(status=Group.Status.PENDING)
    services.approve(staff, group_a.pk)
    assert sorted(a for m in OutboundEmail.objects.all() for a in m.to) == ["a@example.jp", member_a.email]


def test_decline_mail_reaches_the_contact_address_and_the_members(group_a, member_a, staff):
    Group.objects.filter(pk=group_a.pk).update(status=Group.Status.PENDING)
    services.decline(staff, group_a.pk, "営利目的のため")
    mails = {m.to[0]: m for m in OutboundEmail.objects.all()}
    assert sorted(mails) == ["a@example.jp", member_a.email]
    assert "営利目的のため" in mails["a@example.jp"].body


def test_recipients_are_deduplicated_without_case_and_skip_inactive_accounts(group_a, member_a):
    group_a.contact_email = member_a.email.upper()
    group_a.save()
    gone = make_user("gone@example.jp", is_active=False)
    Membership.objects.create(group=group_a, user=gone)
    member_a.preferred_language = "en"
    member_a.save()
    assert group_a.mail_recipients() == [(member_a.email, "en")]


def test_the_contact_address_alone_gets_mail_in_japanese(group_b):
    assert group_b.mail_recipients() == [("b@example.jp", "ja")]
