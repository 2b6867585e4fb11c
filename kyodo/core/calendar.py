"""The one place that answers "is this location open on this date" and "the open days in this range".

Every later rule (pickup on open days, N open days ahead, consultation slots) calls these functions.
A day is closed when it is a regular closed weekday (no opening hours), a national holiday (jpholiday,
switchable), in the year-end closure 12/29–1/3 (switchable), or inside an ad-hoc closure.
"""

import calendar as pycal
import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass

import jpholiday
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kyodo.core.models import Closure, Location, OpeningHours


@dataclass(frozen=True)
class Day:
    date: dt.date
    is_open: bool
    opens: dt.time | None = None
    closes: dt.time | None = None
    reason: str = ""  # why it is closed


def is_year_end(date: dt.date) -> bool:
    return (date.month == 12 and date.day >= 29) or (date.month == 1 and date.day <= 3)


@functools.lru_cache(maxsize=64)
def _holidays_of_year(year: int) -> dict[dt.date, str]:
    # National holidays are fixed by law for a year; jpholiday computes them afresh on every call, which
    # was a large part of every booking and slot request (three calendars per booking).
    return dict(jpholiday.year_holidays(year))


def holidays_between(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """{date: Japanese name} of the national holidays from start to end, both inclusive."""
    found: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({d: name for d, name in _holidays_of_year(year).items() if start <= d <= end})
    return found


# A request often builds several calendars of one location (a loan request: the rules, the pickup
# notice, the inspection days; a slot list: the notice and the month). The hours and closures are read
# once per Location instance, which lives for one request, instead of once per calendar.
def _opening_hours(location: Location) -> dict[int, OpeningHours]:
    cache = location.__dict__
    if "_calendar_hours" not in cache:
        cache["_calendar_hours"] = {h.weekday: h for h in location.opening_hours.all()}
    hours: dict[int, OpeningHours] = cache["_calendar_hours"]
    return hours


def _closures(location: Location) -> list[Closure]:
    cache = location.__dict__
    if "_calendar_closures" not in cache:
        cache["_calendar_closures"] = list(Closure.objects.filter(location=location).order_by("start_date"))
    closures: list[Closure] = cache["_calendar_closures"]
    return closures


class LocationCalendar:
    """A location's calendar for a date range, loaded with two queries and then answered in memory."""

    def __init__(self, location: Location, start: dt.date, end: dt.date) -> None:
        self.location = location
        self.start = start
        self.end = end
        self.hours = _opening_hours(location)
        # One holiday look-up for the whole range: jpholiday is slow day by day.
        self.holidays: dict[dt.date, str] = (
            holidays_between(start, end) if location.closed_on_holidays else {}
        )
        self.closures = [c for c in _closures(location) if c.start_date <= end and c.end_date >= start]

    def day(self, date: dt.date) -> Day:
        hours = self.hours.get(date.weekday())
        if hours is None:
            return Day(date, False, reason=_("Regular closed day"))
        if self.location.closed_at_year_end and is_year_end(date):
            return Day(date, False, reason=_("Year-end closure"))
        if self.location.closed_on_holidays:
            holiday: str | None = (
                self.holidays.get(date) if self.start <= date <= self.end else jpholiday.is_holiday_name(date)
            )
            if holiday:
                # jpholiday names holidays in Japanese only.
                return Day(date, False, reason=holiday if get_language() != "en" else _("National holiday"))
        for closure in self.closures:
            if closure.start_date <= date <= closure.end_date:
                return Day(date, False, reason=closure.reason or _("Closed"))
        return Day(date, True, hours.opens, hours.closes)

    def days(self) -> Iterator[Day]:
        date = self.start
        while date <= self.end:
            yield self.day(date)
            date += dt.timedelta(days=1)

    def open_days(self) -> list[dt.date]:
        return [d.date for d in self.days() if d.is_open]


def calendar_for(location: Location, start: dt.date, end: dt.date) -> LocationCalendar:
    return LocationCalendar(location, start, end)


def is_open(location: Location, date: dt.date) -> bool:
    return calendar_for(location, date, date).day(date).is_open


def open_days(location: Location, start: dt.date, end: dt.date) -> list[dt.date]:
    """The open dates from start to end, both inclusive."""
    if end < start:
        return []
    return calendar_for(location, start, end).open_days()


def add_open_days(location: Location, date: dt.date, n: int, horizon_days: int = 400) -> dt.date | None:
    """The n-th open day after `date` (n=0: `date` itself if open, else the next open day), or None when
    there is none within `horizon_days`."""
    wanted = max(n, 1)
    first = date if n == 0 else date + dt.timedelta(days=1)
    last = date + dt.timedelta(days=horizon_days)
    # Look a few weeks ahead first: the answer is nearly always there, and a 400-day calendar per call
    # made every booking pay for days it never looks at.
    end = min(first + dt.timedelta(days=7 * wanted + 21), last)
    while True:
        found = open_days(location, first, end)
        if len(found) >= wanted or end >= last:
            return found[wanted - 1] if len(found) >= wanted else None
        end = last


def next_open_day(location: Location, after: dt.date) -> dt.date | None:
    """The first open day strictly after `after`."""
    return add_open_days(location, after, 1)


def month_weeks(location: Location, year: int, month: int) -> list[list[Day | None]]:
    """Weeks (Sunday first, as Japanese calendars are) of a month as lists of Day or None, for the calendar page."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycal.monthrange(year, month)[1])
    cal = calendar_for(location, first, last)
    weeks: list[list[Day | None]] = []
    for week in pycal.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append([cal.day(d) if d.month == month else None for d in week])
    return weeks


@dataclass(frozen=True)
class Today:
    """Whether a location is open on a day (today on the home page), and if not, when it opens next."""

    day: Day
    next_open: dt.date | None = None
    next_hours: OpeningHours | None = None


def today_at(location: Location, date: dt.date | None = None) -> Today:
    date = date or timezone.localdate()
    day = calendar_for(location, date, date).day(date)
    if day.is_open:
        return Today(day)
    following = next_open_day(location, date)
    hours = _opening_hours(location).get(following.weekday()) if following else None
    return Today(day, following, hours)


def closed_weekdays(location: Location) -> list[int]:
    """The regular closed weekdays (0 = Monday): those without opening hours."""
    return [weekday for weekday in range(7) if weekday not in _opening_hours(location)]


def default_location() -> Location | None:
    return Location.objects.order_by("order", "id").first()
