"""Recurring bookings by staff for regular groups (every second Tuesday 夜間 for the 年度), with a
report of each date: booked, or why not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from kyodo.core.doors import message_of
from kyodo.core.errors import Unavailable
from kyodo.rooms.inputs import RecurringInput
from kyodo.rooms.models import RoomBooking
from kyodo.rooms.services.booking import book, new_series
from kyodo.rooms.services.common import require

MAX_DATES = 60


@dataclass(frozen=True)
class Outcome:
    date: dt.date
    booking: RoomBooking | None
    reason: str = ""

    def booked(self) -> bool:
        return self.booking is not None


def dates(start: dt.date, end: dt.date, weekday: int, nth: int = 0) -> Iterator[dt.date]:
    """Every `weekday` from start to end (nth=0), or the nth such weekday of each month."""
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    while day <= end:
        if nth == 0 or (day.day - 1) // 7 + 1 == nth:
            yield day
        day += dt.timedelta(days=7)


def book_recurring(user: Any, data: RecurringInput | Mapping[str, Any]) -> list[Outcome]:
    if not (user and user.is_authenticated and user.is_staff):
        raise PermissionDenied(_("Only staff make recurring bookings."))
    data = data if isinstance(data, RecurringInput) else RecurringInput.parse(data)
    require(data.start <= data.end, _("The end date must be on or after the start date."), "end")
    days = list(dates(data.start, data.end, data.weekday, data.nth))
    require(bool(days), _("No date in this range matches."), "start")
    require(len(days) <= MAX_DATES, _("At most %(n)s dates at a time.") % {"n": MAX_DATES}, "end")
    series = new_series()
    outcomes = []
    for day in days:
        payload = {
            "room": data.room, "date": day, "periods": data.periods, "group": data.group,
            "purpose": data.purpose, "attendees": data.attendees, "terms_accepted": True,
        }  # fmt: skip
        try:
            outcomes.append(Outcome(day, book(user, payload, override_window=True, series=series)))
        except (ValidationError, Unavailable) as exc:
            outcomes.append(Outcome(day, None, message_of(exc)))
    return outcomes
