"""Staff decide a 使用申請: approve (a 使用許可書 with its number) or return it with a reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.dates import fiscal_year
from kyodo.rooms import emails
from kyodo.rooms.models import RoomBooking
from kyodo.rooms.services import clock
from kyodo.rooms.services.common import locked_booking, require
from kyodo.rooms.services.window import settings_for


def _staff(user: Any) -> None:
    if not (user and user.is_authenticated and user.is_staff):
        raise PermissionDenied(_("Only staff decide use applications."))


def permit_number(booking: RoomBooking) -> str:
    """使用許可書 number: the 年度 of the day and the booking's number (unique, as the booking is)."""
    return f"P{fiscal_year(booking.date)}-{booking.pk:06d}"


def approve(user: Any, booking_id: int) -> RoomBooking:
    _staff(user)
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(
            booking.is_applied(),
            _("Only a received use application can be approved (this booking is %(state)s).")
            % {"state": booking.get_status_display()},
            code="state",
        )
        booking.status = RoomBooking.Status.APPROVED
        booking.approved_at = clock.now()
        booking.permit_number = permit_number(booking)
        booking.save(update_fields=["status", "approved_at", "permit_number", "updated_at"])
        audit.record(user, "rooms.approve", booking)
        emails.approved(booking)
    return booking


def return_application(user: Any, booking_id: int, reason: str) -> RoomBooking:
    """Back to the group for correction, with the reason; it has `application_days` again to re-apply."""
    _staff(user)
    require(
        bool(reason.strip()), _("Please give the reason for returning the application."), "reason", "reason"
    )
    with transaction.atomic():
        booking = locked_booking(booking_id)
        require(
            booking.is_applied(),
            _("Only a received use application can be returned (this booking is %(state)s).")
            % {"state": booking.get_status_display()},
            code="state",
        )
        today = clock.today()
        rules = settings_for(booking.location)
        booking.status = RoomBooking.Status.RETURNED
        booking.return_reason = reason.strip()
        booking.application_due = max(
            today, min(today + dt.timedelta(days=rules.application_days), booking.date - dt.timedelta(days=1))
        )
        booking.save(update_fields=["status", "return_reason", "application_due", "updated_at"])
        audit.record(user, "rooms.return", booking, reason.strip())
        emails.returned(booking)
    return booking
