"""Cancelling a booking: the group until the day (the fee is kept from `cancel_days_before` days before
the day on); staff at any time with a reason. The 区分 are free again at once; everyone is told."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.rooms import emails
from kyodo.rooms.models import RoomBooking
from kyodo.rooms.services import clock
from kyodo.rooms.services.common import require, visible_locked
from kyodo.rooms.services.window import settings_for


def cancel_deadline(booking: RoomBooking) -> dt.date:
    """The last day the group cancels without the fee being kept."""
    return booking.date - dt.timedelta(days=settings_for(booking.location).cancel_days_before)


def free_periods(booking: RoomBooking) -> None:
    booking.periods.update(active=False)


def cancel(user: Any, booking_id: int, reason: str = "") -> RoomBooking:
    with transaction.atomic():
        booking = visible_locked(user, booking_id)
        require(
            booking.can_cancel(),
            _("Only an active booking can be cancelled (this one is %(state)s).")
            % {"state": booking.get_status_display()},
            code="state",
        )
        today = clock.today()
        if user.is_staff:
            require(bool(reason.strip()), _("Please give the reason for cancelling."), "reason", "reason")
        else:
            require(
                booking.date >= today, _("A booking whose day has passed cannot be cancelled."), code="past"
            )
            # After the deadline the location's rule applies: the fee is kept.
            booking.fee_kept = today > cancel_deadline(booking) and booking.fee_due > 0
        booking.status = RoomBooking.Status.CANCELLED
        booking.cancelled_at = clock.now()
        booking.cancel_reason = reason.strip()
        booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "fee_kept", "updated_at"])
        free_periods(booking)
        if user.is_staff:
            audit.record(user, "rooms.cancel", booking, reason.strip())
        emails.cancelled(booking)
    return booking
