"""Every rooms mail, as delivered and parsed by a mail program: the center's voice (core.tests.mailcheck)
— the booking's location as the sender and in the signature, the group's person greeted by name (「○○ 様」),
the group's contact address by the group, staff as staff; text and HTML, Date and Message-ID."""

import pytest
from django.test import Client

from kyodo.core.mail import Addressee
from kyodo.core.tests.mailcheck import SITE_URL, check, delivered
from kyodo.rooms import emails, services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


def _greeting(message, member_a, group_a):
    to = str(message["To"])
    if to == member_a.email:
        return Addressee(name=member_a.name, organisation=group_a.name)
    if to == group_a.contact_email:
        return Addressee(organisation=group_a.name)
    return Addressee(staff=True)  # staff's notice: to all of them at once


def _check_all(messages, member_a, group_a, location):
    assert messages
    texts = {}
    for message in messages:
        texts[str(message["To"])] = check(
            message, greeting=_greeting(message, member_a, group_a), location=location, anonymous=Client()
        )
    return texts


def test_provisional_applied_and_approved(make_booking, hall, member_a, group_a, staff, location):
    booking = make_booking(member_a, hall, "2027-06-03", group=group_a)
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {member_a.email, group_a.contact_email}
    assert booking.reference in texts[member_a.email]
    services.apply(
        member_a, booking.pk,
        {"purpose": "総会", "attendees": 10, "person_in_charge": "山田", "terms_accepted": True},
    )  # fmt: skip
    texts = _check_all(delivered(), member_a, group_a, location)
    assert staff.email in texts and f"{SITE_URL}/rooms/staff/bookings/{booking.pk}/" in texts[staff.email]
    services.approve(staff, booking.pk)
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {member_a.email, group_a.contact_email}


def test_returned_and_cancelled_by_staff(make_booking, hall, member_a, group_a, staff, location):
    booking = make_booking(member_a, hall, "2027-06-03", group=group_a, status="applied")
    delivered()
    services.return_application(staff, booking.pk, "参加人数を確認してください")
    texts = _check_all(delivered(), member_a, group_a, location)
    assert "参加人数を確認してください" in texts[member_a.email]
    services.cancel(staff, booking.pk, "設備点検のため")
    texts = _check_all(delivered(), member_a, group_a, location)
    assert staff.email in texts and "設備点検のため" in texts[member_a.email]


def test_the_daily_mails_lapse_warning_reminder_and_lapsed(
    make_booking, hall, member_a, group_a, staff, location
):
    provisional = make_booking(member_a, hall, "2027-06-20", group=group_a)
    approved = make_booking(member_a, hall, "2027-06-03", periods=("morning",), group=group_a, status="approved",
                            staff=staff)  # fmt: skip
    delivered()
    assert emails.lapse_warning(provisional) and emails.reminder(approved)
    _check_all(delivered(), member_a, group_a, location)
    emails.lapsed(provisional)
    _check_all(delivered(), member_a, group_a, location)
