"""The daily job's rooms part: a 仮予約 whose 使用申請 was not completed in time lapses by itself and its
区分 are free again; the day before, the group is warned; the day before use, reminded. Safe to run
twice: a lapsed booking is no longer due, and each message carries a dedupe key."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kyodo.rooms import emails
from kyodo.rooms.models import RoomBooking
from kyodo.rooms.services import clock
from kyodo.rooms.services.cancellation import free_periods
from kyodo.rooms.services.common import locked_booking


def lapse_due(today: dt.date) -> list[RoomBooking]:
    """Lapse every booking still waiting for its 使用申請 after its deadline; returns them."""
    lapsed = []
    for booking_id in RoomBooking.objects.due_to_lapse(today).values_list("pk", flat=True):
        with transaction.atomic():
            booking = locked_booking(booking_id)
            # Re-checked under the lock: the group may have applied a moment ago.
            if not (
                booking.awaits_application() and booking.application_due and booking.application_due < today
            ):
                continue
            booking.status = RoomBooking.Status.LAPSED
            booking.lapsed_at = clock.now()
            booking.save(update_fields=["status", "lapsed_at", "updated_at"])
            free_periods(booking)
            emails.lapsed(booking)
            lapsed.append(booking)
    return lapsed


def warn_lapsing(today: dt.date) -> int:
    """Today is the last day of these bookings' 使用申請: tell the group."""
    sent = 0
    for booking in RoomBooking.objects.lapsing_on(today).select_related("room", "location", "group"):
        sent += emails.lapse_warning(booking)
    return sent


def remind_use(today: dt.date) -> int:
    """Permitted bookings of tomorrow: a reminder with the .ics."""
    sent = 0
    tomorrow = today + dt.timedelta(days=1)
    for booking in RoomBooking.objects.approved().on(tomorrow).select_related("room", "location", "group"):
        sent += emails.reminder(booking)
    return sent


def run(today: dt.date) -> str:
    lapsed = lapse_due(today)
    warned = warn_lapsing(today)
    reminded = remind_use(today)
    return f"{len(lapsed)} provisional booking(s) lapsed, {warned} lapse warning(s), {reminded} reminder(s)"
