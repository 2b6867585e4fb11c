"""The .ics a loan's mails carry passes libical's checks (read back by vobject and a line checker):
an ORGANIZER with the METHOD, nothing in VTIMEZONE that RFC 5545 does not allow, the mail part's
Content-Type saying method=PUBLISH, and SEQUENCE raised by every change (it stayed 0 for ever)."""

import base64

import pytest
from django.core import mail as django_mail
from django.utils import translation

from kyodo.core.mail import deliver_pending
from kyodo.core.models import OutboundEmail
from kyodo.core.tests.icalcheck import problems, sequences
from kyodo.lending import services
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _calendars(email):
    """The .ics of each mail to this address, oldest first."""
    rows = OutboundEmail.objects.filter(to=[email]).order_by("pk")
    return [base64.b64decode(row.attachments[0]["content"]) for row in rows if row.attachments]


def test_a_loans_calendar_is_valid_and_its_sequence_grows_with_each_change(
    member_a, group_a, camera, staff, location
):
    lines = [services.Line(quantity=1, equipment_type_id=camera.pk)]
    reservation = services.create_request(member_a, group_a, lines, d(3), d(5), "総会")
    services.approve(staff, reservation.pk)
    services.cancel(member_a, reservation.pk)
    calendars = _calendars(member_a.email)
    assert len(calendars) == 3  # received, approved, cancelled
    for raw in calendars:
        assert problems(raw) == []
        assert f"ORGANIZER;CN={location.name}:mailto:{location.email}".encode() in raw.replace(b"\r\n ", b"")
    pickup = f"lending-{reservation.pk}-pickup@kyodo"
    assert [sequences(raw)[pickup] for raw in calendars] == [0, 1, 2]


def test_the_mail_part_says_which_method_the_calendar_has(member_a, group_a, camera):
    lines = [services.Line(quantity=1, equipment_type_id=camera.pk)]
    services.create_request(member_a, group_a, lines, d(3), d(5), "総会")
    deliver_pending()
    message = next(m for m in django_mail.outbox if m.to == [member_a.email])
    parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_param("method") == "PUBLISH"
    assert b"METHOD:PUBLISH" in parts[0].get_payload(decode=True)
