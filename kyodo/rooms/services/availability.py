"""The 空き状況: per room, day and 区分, one of free · taken · closed · not_open_yet. Reads the room's
held rows and blocks for the range only (indexed by room and date), and the location calendar once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kyodo.core import calendar
from kyodo.rooms.models import Period, Room, RoomBlock, RoomBookingPeriod
from kyodo.rooms.services import clock
from kyodo.rooms.services.window import Window, opens_at, periods_of, window_at

FREE, TAKEN, CLOSED, NOT_OPEN_YET = "free", "taken", "closed", "not_open_yet"
STATES = (FREE, TAKEN, CLOSED, NOT_OPEN_YET)
MAX_DAYS = 92


@dataclass(frozen=True)
class Cell:
    date: dt.date
    period: Period
    state: str
    reason: str = ""
    opens: dt.datetime | None = None

    def is_free(self) -> bool:
        return self.state == FREE

    def is_taken(self) -> bool:
        return self.state == TAKEN

    def is_closed(self) -> bool:
        return self.state == CLOSED

    def is_not_open_yet(self) -> bool:
        return self.state == NOT_OPEN_YET


def room_days(
    room: Room, start: dt.date, end: dt.date, window: Window | None = None
) -> list[tuple[dt.date, list[Cell]]]:
    """[(date, [Cell per 区分])] from start to end (inclusive)."""
    location = room.location
    window = window or window_at(location, clock.now())
    periods = periods_of(location)
    cal = calendar.calendar_for(location, start, end)
    taken = set(
        RoomBookingPeriod.objects.of_room_between(room.pk, start, end).values_list("date", "period_id")
    )
    blocks: dict[dt.date, list[RoomBlock]] = {}
    for block in RoomBlock.objects.of_room_between(room.pk, start, end):
        blocks.setdefault(block.date, []).append(block)
    days = []
    for day in cal.days():
        cells = []
        for period in periods:
            cells.append(_cell(window, day, period, (day.date, period.pk) in taken, blocks.get(day.date, [])))
        days.append((day.date, cells))
    return days


def _cell(window: Window, day: calendar.Day, period: Period, is_taken: bool, blocks: list[RoomBlock]) -> Cell:
    if not day.is_open:
        return Cell(day.date, period, CLOSED, day.reason)
    for block in blocks:
        if block.covers(period.pk):
            return Cell(day.date, period, CLOSED, block.reason or block.get_kind_display())
    if is_taken:
        return Cell(day.date, period, TAKEN)
    if not window.is_open_yet(day.date):
        return Cell(day.date, period, NOT_OPEN_YET, opens=opens_at(window.rules, day.date))
    if window.too_late(day.date):
        return Cell(day.date, period, CLOSED, _("Booking closed"))
    return Cell(day.date, period, FREE)
