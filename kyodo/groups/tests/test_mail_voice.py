"""Every group mail, as delivered and parsed by a mail program: the center's voice (core.tests.mailcheck),
the group's person greeted by name and group, staff as staff; links lead the signed-out to /accounts/login/."""

import datetime as dt

import pytest
from django.test import Client

from kyodo.core.mail import Addressee
from kyodo.core.tests.mailcheck import SITE_URL, check, delivered
from kyodo.groups import services
from kyodo.groups.models import Group
from kyodo.groups.tests.test_directory import PROPOSAL
from kyodo.groups.tests.test_registration import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


def _by_address(messages):
    return {str(m["To"]): m for m in messages}


def test_application_received_approved_and_declined(member_b, staff, location):
    group = services.apply(member_b, FORM)
    [received] = delivered()
    check(received, greeting=Addressee(name=member_b.name, organisation=group.name), location=location)

    services.approve(staff, group.pk)
    mails = _by_address(delivered())
    assert set(mails) == {member_b.email, FORM["contact_email"]}
    text = check(
        mails[member_b.email],
        greeting=Addressee(name=member_b.name, organisation=group.name),
        location=location,
        anonymous=Client(),
    )
    assert f"{SITE_URL}/groups/mine/{group.pk}/" in text
    check(mails[FORM["contact_email"]], greeting=Addressee(organisation=group.name), location=location)

    other = Group.objects.create(name="別の会", kana="べつのかい", created_by=member_b, status="pending")
    other.memberships.create(user=member_b, role="manager")
    services.decline(staff, other.pk, "活動内容を確認できませんでした")
    [declined] = delivered()
    text = check(declined, greeting=Addressee(name=member_b.name, organisation="別の会"), location=location)
    assert "活動内容を確認できませんでした" in text


def test_pending_digest_to_staff(member_b, staff, location):
    group = services.apply(member_b, FORM)
    delivered()
    services.send_pending_digest(dt.date.today())
    [digest] = delivered()
    text = check(digest, greeting=Addressee(staff=True), location=location, anonymous=Client())
    assert f"{SITE_URL}/groups/review/{group.pk}/" in text


def test_invitation(member_a, group_a, member_b, location):
    services.invite(member_a, group_a, member_b.email)
    [invitation] = delivered()
    text = check(invitation, greeting=Addressee(name=member_b.name), location=location, anonymous=Client())
    assert f"{SITE_URL}/groups/invitation/" in text
    services.invite(member_a, group_a, "stranger@example.jp")
    [to_a_stranger] = delivered()
    check(to_a_stranger, greeting=Addressee(), location=location)


def test_proposal(group_a, member_a, location):
    services.send_proposal(group_a.pk, PROPOSAL, ip="10.0.0.9")
    mails = _by_address(delivered())
    assert set(mails) == {member_a.email, group_a.contact_email}
    check(
        mails[member_a.email],
        greeting=Addressee(name=member_a.name, organisation=group_a.name),
        location=location,
    )
    message = mails[group_a.contact_email]
    text = check(message, greeting=Addressee(organisation=group_a.name), location=location)
    assert str(message["Reply-To"]) == PROPOSAL["sender_email"].lower()  # the group answers the sender
    assert PROPOSAL["message"] in text
