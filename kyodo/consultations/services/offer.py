"""What can be booked: topics, locations, settings, free slots and the days that have some."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.consultations import slots as slotlib
from kyodo.consultations.models import Consultation, ConsultationSettings, CoordinatorHours, Topic
from kyodo.core.calendar import default_location
from kyodo.core.models import Location

MODE_HELP = {
    Consultation.Mode.IN_PERSON: gettext_lazy("Come to the center."),
    Consultation.Mode.ONLINE: gettext_lazy("We send you a meeting link before the time."),
    Consultation.Mode.PHONE: gettext_lazy("The coordinator calls you."),
}


def active_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(active=True)


def booking_locations() -> QuerySet[Location]:
    """Locations where at least one coordinator has hours."""
    ids = CoordinatorHours.objects.values_list("location_id", flat=True)
    return Location.objects.filter(pk__in=ids)


def public_location(location_id: int | str | None = None) -> Location:
    """The location a public booking is for: the one asked for, else the first with coordinators."""
    locations = booking_locations()
    if location_id is not None and location_id != "":
        try:
            return locations.get(pk=int(location_id))
        except (ValueError, TypeError, Location.DoesNotExist):
            raise ValidationError({"location": _("Please choose a location.")}) from None
    found = locations.first() or default_location()
    if found is None:  # a fresh installation without any location yet
        raise Http404
    return found


def settings_for(location: Location) -> ConsultationSettings:
    return ConsultationSettings.for_location(location)


def public_slots(
    location: Location,
    start_date: dt.date,
    end_date: dt.date,
    now: dt.datetime | None = None,
    exclude: int | None = None,
) -> list[slotlib.Slot]:
    """Slots offered to the public between two dates (notice and horizon applied).
    `exclude`: a booking being moved, whose own time counts as free."""
    return slotlib.slots_for(
        location, start_date, end_date, now or timezone.now(), exclude_booking_id=exclude
    )


def staff_slots(location: Location, date: dt.date, now: dt.datetime | None = None) -> list[slotlib.Slot]:
    """The slots of one day as staff see them: the notice period does not apply to them."""
    return slotlib.slots_for(location, date, date, now or timezone.now(), ignore_notice=True)


def free_times_by_day(
    location: Location, now: dt.datetime | None = None, exclude: int | None = None
) -> dict[dt.date, int]:
    """{date: how many times can be booked that day} for the days with at least one, from today to the
    end of the horizon, in date order (the month calendar shows the counts, the list the days)."""
    now = now or timezone.now()
    conf = settings_for(location)
    today = timezone.localdate(now)
    counts: dict[dt.date, int] = {}
    end = today + dt.timedelta(days=conf.horizon_days)
    for slot in slotlib.slots_for(location, today, end, now, conf, exclude_booking_id=exclude):
        if slot.free:
            day = timezone.localdate(slot.start)
            counts[day] = counts.get(day, 0) + 1
    return counts


def bookable_days(
    location: Location, now: dt.datetime | None = None, exclude: int | None = None
) -> list[dt.date]:
    """Dates with at least one free slot, from today to the end of the horizon."""
    return list(free_times_by_day(location, now, exclude))


@dataclass(frozen=True)
class CalendarDay:
    """One cell of the month calendar: the date and how many times can be booked (0: none)."""

    date: dt.date
    free: int


@dataclass(frozen=True)
class Month:
    first: dt.date  # the 1st of the month
    weeks: list[list[CalendarDay | None]]  # Sunday first; None outside the month
    days: list[CalendarDay]  # the bookable days, for the list beside the calendar


def booking_months(counts: dict[dt.date, int]) -> list[Month]:
    """The months from the first bookable day to the last, as calendars (Sunday first) with each day's
    number of free times: what the day step shows (a table, and the same days as a list)."""
    if not counts:
        return []
    first, last = min(counts).replace(day=1), max(counts)
    months: list[Month] = []
    while first <= last:
        weeks = [
            [CalendarDay(d, counts.get(d, 0)) if d.month == first.month else None for d in week]
            for week in pycal.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month)
        ]
        days = [
            CalendarDay(d, n)
            for d, n in sorted(counts.items())
            if (d.year, d.month) == (first.year, first.month)
        ]
        months.append(Month(first, weeks, days))
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return months
