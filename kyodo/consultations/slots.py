"""Slot generation: which start times can be booked, and how many coordinators are free at each.

The core (`day_windows`, `free_slots`) is pure: plain rows in, slots out, so property tests can drive it
without a database. `slots_for` loads the rows for a location and a date range and calls it.

Rules
- A coordinator works in their weekly hours at a location, clipped to the location's opening hours, on
  the location's open days only (core.calendar: closed weekdays, holidays, year-end, closures).
- An "off" exception removes the whole day (or the hours it names); an "extra" exception adds hours.
- Candidate starts lie on a grid from the start of each working window, every length + buffer minutes;
  a consultation must end inside the window.
- A coordinator is free at a start when the candidate's blocked range [start, end + buffer) overlaps
  none of their active bookings' blocked ranges [start, blocked_until), nor those of 仮受付 still held
  at `now` (a lapsed hold is free at once, before the daily job marks it).
- Starts before `earliest` (notice) or on a date after `last_date` (horizon) are not offered.
"""

import bisect
import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from kyodo.consultations.models import (
    Consultation,
    ConsultationSettings,
    CoordinatorException,
    CoordinatorHours,
)
from kyodo.core.calendar import Day, add_open_days, calendar_for
from kyodo.core.models import Location

TOKYO = ZoneInfo(settings.TIME_ZONE)

# (start, end) of a stretch of time.
Interval = tuple[dt.datetime, dt.datetime]


class HoursRow(Protocol):
    """What `day_windows` reads of a weekly-hours row (a CoordinatorHours, or a plain row in tests)."""

    @property
    def coordinator_id(self) -> int: ...
    @property
    def location_id(self) -> int: ...
    @property
    def weekday(self) -> int: ...
    @property
    def start(self) -> dt.time: ...
    @property
    def end(self) -> dt.time: ...


class ExceptionRow(Protocol):
    """What `day_windows` reads of an exception row (a CoordinatorException, or a plain row in tests)."""

    @property
    def coordinator_id(self) -> int: ...
    @property
    def location_id(self) -> int | None: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> dt.time | None: ...
    @property
    def end(self) -> dt.time | None: ...


@dataclass(frozen=True)
class Window:
    coordinator_id: int
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class Busy:
    coordinator_id: int
    start: dt.datetime
    end: dt.datetime  # blocked_until


@dataclass
class Slot:
    start: dt.datetime
    end: dt.datetime
    coordinator_ids: list[int] = field(default_factory=list)

    @property
    def free(self) -> int:
        return len(self.coordinator_ids)


def _at(date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=TOKYO)


def _subtract(intervals: list[Interval], cut_start: dt.datetime, cut_end: dt.datetime) -> list[Interval]:
    """Intervals (start, end) minus [cut_start, cut_end)."""
    out: list[Interval] = []
    for start, end in intervals:
        if cut_end <= start or cut_start >= end:
            out.append((start, end))
            continue
        if start < cut_start:
            out.append((start, cut_start))
        if cut_end < end:
            out.append((cut_end, end))
    return out


# Merged intervals are of datetimes (working windows) or of POSIX seconds (busy ranges).
Moment = TypeVar("Moment", dt.datetime, float)


def _merge(intervals: Iterable[tuple[Moment, Moment]]) -> list[tuple[Moment, Moment]]:
    merged: list[tuple[Moment, Moment]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def day_windows(
    day: Day, location_id: int, hours: Iterable[HoursRow], exceptions: Iterable[ExceptionRow]
) -> list[Window]:
    """Working windows on one calendar Day (core.calendar.Day) at a location, per coordinator.

    `hours`: rows with coordinator_id, location_id, weekday, start, end.
    `exceptions`: rows with coordinator_id, location_id (None = everywhere), date, kind, start, end."""
    if not day.is_open or day.opens is None or day.closes is None:
        return []
    by_coordinator: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for row in hours:
        if row.location_id == location_id and row.weekday == day.date.weekday():
            by_coordinator.setdefault(row.coordinator_id, []).append((row.start, row.end))
    todays = [e for e in exceptions if e.date == day.date]
    for e in todays:
        if e.kind == "extra" and e.location_id == location_id and e.start is not None and e.end is not None:
            by_coordinator.setdefault(e.coordinator_id, []).append((e.start, e.end))
    windows: list[Window] = []
    for coordinator_id, times in by_coordinator.items():
        intervals: list[Interval] = []
        for start, end in times:
            start, end = max(start, day.opens), min(end, day.closes)
            if start < end:
                intervals.append((_at(day.date, start), _at(day.date, end)))
        intervals = _merge(intervals)
        for e in todays:
            if e.kind != "off" or e.coordinator_id != coordinator_id:
                continue
            if e.location_id not in (None, location_id):
                continue
            if e.start is None or e.end is None:
                intervals = []
            else:
                intervals = _subtract(intervals, _at(day.date, e.start), _at(day.date, e.end))
        windows.extend(Window(coordinator_id, start, end) for start, end in intervals)
    return windows


# Per coordinator: the starts and the ends of their merged busy ranges, in POSIX seconds.
Ranges = tuple[list[float], list[float]]


def _blocked_ranges(busy: Iterable[Busy]) -> dict[int, Ranges]:
    """{coordinator_id: (starts, ends)} of each coordinator's busy ranges, merged and sorted, in POSIX
    seconds: whether a candidate overlaps one is then a binary search over plain numbers (comparing
    aware datetimes of two zones, Tokyo and UTC, costs a UTC-offset look-up each time)."""
    by_coordinator: dict[int, list[tuple[float, float]]] = {}
    for b in busy:
        by_coordinator.setdefault(b.coordinator_id, []).append((b.start.timestamp(), b.end.timestamp()))
    ranges: dict[int, Ranges] = {}
    for coordinator_id, intervals in by_coordinator.items():
        merged = _merge(intervals)
        ranges[coordinator_id] = ([start for start, _ in merged], [end for _, end in merged])
    return ranges


def _overlaps(ranges: Ranges | None, start: float, end: float) -> bool:
    """Does [start, end) overlap one of the merged, sorted ranges?"""
    if ranges is None:
        return False
    starts, ends = ranges
    i = bisect.bisect_right(ends, start)  # the first range that ends after `start`
    return i < len(starts) and starts[i] < end


def free_slots(
    windows: Iterable[Window],
    busy: Iterable[Busy],
    length: dt.timedelta,
    buffer: dt.timedelta,
    earliest: dt.datetime,
    last_date: dt.date,
) -> list[Slot]:
    """All candidate starts with the coordinators free at each, sorted by start (free may be 0)."""
    step = length + buffer
    blocked = _blocked_ranges(busy)
    seconds, stride = length.total_seconds(), step.total_seconds()
    first = earliest.timestamp()
    # Starts on a date after last_date (Tokyo) are out: compare with the midnight that ends it.
    cutoff = dt.datetime.combine(last_date + dt.timedelta(days=1), dt.time(0), TOKYO).timestamp()
    slots: dict[float, Slot] = {}
    for w in windows:
        ranges = blocked.get(w.coordinator_id)
        start, at, window_end = w.start, w.start.timestamp(), w.end.timestamp()
        while at + seconds <= window_end:
            if first <= at < cutoff:
                slot = slots.get(at)
                if slot is None:
                    slot = slots[at] = Slot(start, start + length)
                taken = _overlaps(ranges, at, at + stride)  # its blocked range: length + buffer
                if not taken and w.coordinator_id not in slot.coordinator_ids:
                    slot.coordinator_ids.append(w.coordinator_id)
            start += step
            at += stride
    return [slots[key] for key in sorted(slots)]


# --- Loading from the database ---------------------------------------------------------------------


def booking_window(
    location: Location, conf: ConsultationSettings, now: dt.datetime, ignore_notice: bool = False
) -> tuple[dt.datetime, dt.date]:
    """(earliest start, last date) allowed by the notice and horizon settings."""
    today = now.astimezone(TOKYO).date()
    earliest = now
    if not ignore_notice and conf.notice_open_days > 0:
        first_day = add_open_days(location, today, conf.notice_open_days)
        if first_day is None:  # no open day within the calendar's horizon
            return now, today - dt.timedelta(days=1)
        earliest = max(now, _at(first_day, dt.time(0)))
    return earliest, today + dt.timedelta(days=conf.horizon_days)


def slots_for(
    location: Location,
    start_date: dt.date,
    end_date: dt.date,
    now: dt.datetime,
    conf: ConsultationSettings | None = None,
    exclude_booking_id: int | None = None,
    ignore_notice: bool = False,
    coordinator_ids: Collection[int] | None = None,
) -> list[Slot]:
    """Slots at a location between two dates (inclusive), as seen at `now`."""
    conf = conf or ConsultationSettings.for_location(location)
    if end_date < start_date:
        return []
    hours_rows = CoordinatorHours.objects.filter(
        location=location, coordinator__is_active=True, coordinator__is_coordinator=True
    )
    exception_rows = CoordinatorException.objects.filter(date__gte=start_date, date__lte=end_date)
    if coordinator_ids is not None:
        hours_rows = hours_rows.filter(coordinator_id__in=coordinator_ids)
        exception_rows = exception_rows.filter(coordinator_id__in=coordinator_ids)
    hours = list(hours_rows)
    # An "extra" exception only counts for active coordinators.
    active = set(
        get_user_model().objects.filter(is_active=True, is_coordinator=True).values_list("pk", flat=True)
    )
    exceptions = [e for e in exception_rows if e.coordinator_id in active]
    windows: list[Window] = []
    for day in calendar_for(location, start_date, end_date).days():
        windows.extend(day_windows(day, location.pk, hours, exceptions))
    if not windows:
        return []
    first = min(w.start for w in windows)
    last = max(w.end for w in windows)
    reach = dt.timedelta(minutes=conf.length_minutes + conf.buffer_minutes)
    rows = Consultation.objects.taking_time(now).filter(  # a lapsed 仮受付 frees its time at once
        coordinator_id__in={w.coordinator_id for w in windows},
        # A booking lies within one day's opening hours (plus the buffer), so one that blocks time after
        # `first` started less than a day before it. Without this lower bound on `start`, the
        # (coordinator, start) index is read from the first booking ever: years of rows for a month.
        start__gt=first - max(dt.timedelta(days=1), reach),
        start__lt=last + reach,
        blocked_until__gt=first,
    )
    if exclude_booking_id:
        rows = rows.exclude(pk=exclude_booking_id)
    # Plain tuples, not model instances: a busy month is hundreds of rows and only three fields are used.
    busy = [Busy(*row) for row in rows.order_by().values_list("coordinator_id", "start", "blocked_until")]
    earliest, last_date = booking_window(location, conf, now, ignore_notice)
    return free_slots(
        windows,
        busy,
        dt.timedelta(minutes=conf.length_minutes),
        dt.timedelta(minutes=conf.buffer_minutes),
        earliest,
        last_date,
    )
