"""The day sheet's actions: the key out and in, the attendance (利用人数) recorded after use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.rooms.inputs import MAX_ATTENDEES
from kyodo.rooms.models import RoomBooking
from kyodo.rooms.services import clock
from kyodo.rooms.services.common import locked_booking, require


def _staff(user: Any) -> None:
    if not (user and user.is_authenticated and user.is_staff):
        raise PermissionDenied(_("Only staff keep the day sheet."))


def record_attendance(user: Any, booking_id: int, attendance: int) -> RoomBooking:
    _staff(user)
    require(
        0 <= attendance <= MAX_ATTENDEES,
        _("Enter a number of at most %(limit)s.") % {"limit": MAX_ATTENDEES},
        "attendance",
    )
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(booking.is_approved(), _("Attendance is recorded for permitted bookings."), code="state")
        require(booking.date <= clock.today(), _("Attendance is recorded after use."), "attendance", "future")
        booking.attendance = attendance
        booking.save(update_fields=["attendance", "updated_at"])
        audit.record(user, "rooms.attendance", booking, str(attendance))
    return booking


def key_out(user: Any, booking_id: int) -> RoomBooking:
    _staff(user)
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(booking.is_approved(), _("The key goes out for permitted bookings only."), code="state")
        booking.key_out_at = clock.now()
        booking.save(update_fields=["key_out_at", "updated_at"])
    return booking


def key_in(user: Any, booking_id: int) -> RoomBooking:
    _staff(user)
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(booking.key_out_at is not None, _("The key was not handed out."), code="state")
        booking.key_in_at = clock.now()
        booking.save(update_fields=["key_in_at", "updated_at"])
    return booking
