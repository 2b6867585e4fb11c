"""Every lending mail, as delivered and parsed by a mail program: the center's voice (core.tests.mailcheck),
the group's person greeted by name, staff as staff, and the pickup mails with the counter's hours and
address."""

import pytest
from django.test import Client

from kyodo.core.mail import Addressee
from kyodo.core.tests.mailcheck import SITE_URL, check, delivered
from kyodo.lending import emails, services
from kyodo.lending.models import ExtensionRequest
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


@pytest.fixture
def reservation(member_a, group_a, camera, staff, reserve):
    return reserve(member_a, group_a, {camera: 1}, d(3), d(4))


def _greeting(message, member_a, group_a):
    to = str(message["To"])
    if to == member_a.email:
        return Addressee(name=member_a.name, organisation=group_a.name)
    if to == group_a.contact_email:
        return Addressee(organisation=group_a.name)
    return Addressee(staff=True)  # staff's notice: to all of them at once


def _check_all(messages, member_a, group_a, location):
    texts = {}
    for message in messages:
        texts[str(message["To"])] = check(
            message, greeting=_greeting(message, member_a, group_a), location=location, anonymous=Client()
        )
    return texts


def test_request_received_to_the_group_and_to_staff(reservation, member_a, group_a, staff, location):
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {member_a.email, group_a.contact_email, staff.email}
    assert f"{SITE_URL}/equipment/staff/requests/{reservation.pk}/" in texts[staff.email]


@pytest.mark.parametrize("mail", ["approved", "pickup_reminder", "return_reminder"])
def test_the_pickup_and_return_mails_carry_the_counters_hours_and_address(
    reservation, member_a, group_a, staff, location, mail
):
    delivered()  # the request's own mail
    services.approve(staff, reservation.pk, day=d(1))
    if mail != "approved":
        delivered()
    if mail == "pickup_reminder":
        emails.pickup_reminder(reservation)
    elif mail == "return_reminder":
        emails.return_reminder(reservation)
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {member_a.email, group_a.contact_email}
    body = texts[member_a.email].split("―" * 24)[0]  # above the signature: in the message itself
    assert location.address in body and "9:00" in body and "21:00" in body


def test_declined_and_cancelled(reservation, member_a, group_a, staff, camera, reserve, location):
    services.decline(staff, reservation.pk, "点検中のため")
    other = reserve(member_a, group_a, {camera: 1}, d(8), d(9))
    delivered()
    services.cancel(member_a, other.pk)
    messages = delivered()
    assert messages
    _check_all(messages, member_a, group_a, location)


def test_extension_requested_and_decided(reservation, member_a, group_a, staff, location):
    services.approve(staff, reservation.pk, day=d(1))
    extension = ExtensionRequest.objects.create(
        reservation=reservation, new_return_date=d(5), requested_by=member_a
    )
    delivered()
    emails.extension_requested(extension)
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {staff.email}
    emails.extension_decided(extension)
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {member_a.email, group_a.contact_email}


def test_overdue_to_the_group_and_to_staff(reservation, member_a, group_a, staff, location):
    delivered()
    emails.overdue(reservation)
    texts = _check_all(delivered(), member_a, group_a, location)
    assert set(texts) == {member_a.email, group_a.contact_email, staff.email}


def test_a_staff_link_opened_signed_out_leads_to_the_sites_sign_in(reservation, staff):
    [staff_mail] = [m for m in delivered() if str(m["To"]) == staff.email]
    response = Client().get(f"/equipment/staff/requests/{reservation.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/equipment/staff/requests/{reservation.pk}/"
    assert staff_mail is not None
