"""Safety nets: database constraints, extreme input, and mail that cannot be delivered."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction

from kyodo.core import mail
from kyodo.core.models import OutboundEmail
from kyodo.lending import services
from kyodo.lending.models import Reservation, ReservationUnit, Unit
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


class Broken(BaseEmailBackend):
    """The mail server is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_unit_is_out_on_one_loan_at_a_time_in_the_database(
    member_a, group_a, member_b, group_b, camera, staff, reserve
):
    r1 = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)
    r2 = reserve(member_b, group_b, {camera: 1}, d(10), d(11), "approved", staff)
    unit = r1.units.get().unit
    with pytest.raises(IntegrityError), transaction.atomic():
        ReservationUnit.objects.create(reservation=r2, unit=unit, start=d(10), end=d(12))


def test_overlapping_periods_for_one_unit_are_refused(
    member_a, group_a, member_b, group_b, camera, staff, reserve
):
    """The service refuses a unit still in its inspection days; PostgreSQL's exclusion constraint too."""
    from django.core.exceptions import ValidationError

    r1 = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)
    r2 = reserve(member_b, group_b, {camera: 1}, d(5), d(5), "approved", staff)
    loan = r1.units.get()
    services.return_loan(staff, r1.pk, [services.ReturnedUnit(loan.unit_id, [])], day=d(4))  # held to the 5th
    with pytest.raises(ValidationError, match=loan.unit.asset_tag):
        services.checkout(staff, r2.pk, [loan.unit.asset_tag], day=d(5))
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            ReservationUnit.objects.create(reservation=r2, unit=loan.unit, start=d(5), end=d(6))
    else:
        ReservationUnit.objects.create(
            reservation=r2, unit=loan.unit, start=d(5), end=d(6)
        )  # no such net here


def test_requests_succeed_with_the_mail_server_down(
    settings, member_a, group_a, camera, django_capture_on_commit_callbacks
):
    settings.KYODO_DELIVERY_BACKEND = "kyodo.lending.tests.test_safety.Broken"
    settings.KYODO_DELIVER_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True):
        r = services.create_request(member_a, group_a, [services.Line(1, camera.pk)], d(3), d(4), "総会")
    assert Reservation.objects.filter(pk=r.pk).exists()
    pending = OutboundEmail.objects.filter(status="pending")
    assert pending.count() >= 2 and all("mail server down" in m.last_error for m in pending)
    settings.KYODO_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pending.update(next_attempt_at=r.created_at)
    sent, failed = mail.deliver_pending()
    assert failed == 0 and sent >= 2 and not OutboundEmail.objects.filter(status="pending").exists()


def test_extreme_dates_are_422_not_500(api_client_for, client, camera, kit, group_a):
    api = api_client_for("member_a")
    for pickup, ret in [
        ("9999-12-30", "9999-12-31"),
        ("0001-01-01", "0001-01-02"),
        ("2027-06-03", "9999-12-31"),
    ]:
        payload = {
            "group": group_a.pk,
            "items": [{"equipment": camera.pk}],
            "pickup_date": pickup,
            "return_date": ret,
            "purpose": "x",
        }
        assert api.post("/api/v1/reservations", payload, content_type="application/json").status_code == 422
    for path in [f"/api/v1/equipment/{camera.pk}/availability", f"/api/v1/kits/{kit.pk}/availability"]:
        assert client.get(path + "?start=9999-12-01&end=9999-12-31").status_code == 422
    assert client.get("/equipment/?start=9999-12-30&end=9999-12-31").status_code == 400
    assert Reservation.objects.count() == 0


def test_extension_far_ahead_is_refused(member_a, group_a, camera, staff, reserve):
    from django.core.exceptions import ValidationError

    r = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "approved", staff)
    with pytest.raises(ValidationError):
        services.request_extension(member_a, r.pk, d(31, 12).replace(year=9999))
    assert Unit.objects.count() == 3
