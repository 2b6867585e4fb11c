"""The year's figures (事業報告), by fiscal year (April–March), per location or for all.

The database does the counting: each figure is a grouped aggregate query, and Python only combines the
grouped rows (at most one per equipment type, pickup date and return date), never one row per reservation.
Loans are reservations that were handed over (checked out or returned), counted in the month of pickup.
A loan's unit-days are its quantity times the location's open days from pickup to return (the dates the
loan holds, extensions included), clipped to the period. Utilisation per type is unit-days lent ÷ (units in
service × open days). Units carry no status history, so the denominator counts the units in service now
(added before the period ended).
"""

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from kyodo.community.models import Event
from kyodo.consultations.models import Consultation, Topic
from kyodo.core import calendar
from kyodo.core.dates import fiscal_year_range
from kyodo.core.models import Location
from kyodo.groups.models import Group
from kyodo.lending.models import EquipmentType, Reservation, ReservationItem

# The lending service refuses any date more than a year from today, so no loan spans more than two years.
# Bounding the pickup date by that lets the (status, pickup_date) index do the work on a large table.
LONGEST_LOAN = dt.timedelta(days=2 * 366)


@dataclass
class Period:
    start: dt.date
    end: dt.date

    def aware_bounds(self):
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )


def months_of(fiscal_year):
    """The twelve months of a fiscal year: April .. March."""
    periods = []
    for i in range(12):
        year, month = (fiscal_year, 4 + i) if i < 9 else (fiscal_year + 1, i - 8)
        first = dt.date(year, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        periods.append(Period(first, last))
    return periods


class OpenDays:
    """A location's open days over a fiscal year, read once (two queries), counted by bisection."""

    def __init__(self, location, year):
        self.days = calendar.open_days(location, year.start, year.end)

    def count(self, start, end):
        """Open days in [start, end]."""
        if end < start:
            return 0
        return bisect.bisect_right(self.days, end) - bisect.bisect_left(self.days, start)


def lent_quantities(location, year):
    """[(type id, pickup, return, quantity)] of the loans overlapping the year, grouped by the database."""

    rows = (
        ReservationItem.objects.of_lent_reservations()
        .filter(
            reservation__location=location,
            reservation__pickup_date__range=(year.start - LONGEST_LOAN, year.end),
            reservation__return_date__gte=year.start,
        )
        .values_list("equipment_type", "reservation__pickup_date", "reservation__return_date")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    return list(rows)


def allocate(rows, open_days, year, months):
    """Unit-days lent per month and per type over the year, in one pass over the grouped rows."""
    per_month = [0] * len(months)
    by_type: dict[int, int] = {}
    for type_id, pickup, returned, quantity in rows:
        first, last = max(pickup, year.start), min(returned, year.end)
        if last < first:
            continue
        by_type[type_id] = by_type.get(type_id, 0) + quantity * open_days.count(first, last)
        for i in range(_month_index(first), _month_index(last) + 1):
            month = months[i]
            per_month[i] += quantity * open_days.count(max(first, month.start), min(last, month.end))
    return per_month, by_type


def _month_index(day):
    """0 for April … 11 for March."""
    return (day.month - 4) % 12


def loans_by_month(location, year):
    """[loans picked up in April, …, in March]: the database counts per pickup date (≤ 366 rows)."""

    rows = (
        Reservation.objects.lent()
        .filter(location=location, pickup_date__range=(year.start, year.end))
        .values_list("pickup_date")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = [0] * 12
    for day, n in rows:
        counts[_month_index(day)] += n
    return counts


@dataclass
class TypeUse:
    type_id: int
    name: str
    units: int
    unit_days_lent: int
    unit_days_available: int

    @property
    def percent(self):
        return f"{self.utilisation * 100:.1f}%"

    @property
    def utilisation(self):
        return self.unit_days_lent / self.unit_days_available if self.unit_days_available else 0.0


def utilisation_by_type(location, period, open_days, lent):

    open_count = open_days.count(period.start, period.end)
    types = (
        EquipmentType.objects.filter(location=location)
        .with_units_in_service(added_by=period.end)
        .order_by("order", "name")
    )
    return [
        TypeUse(
            t.pk, t.localized_name(), t.units_in_service, lent.get(t.pk, 0), t.units_in_service * open_count
        )
        for t in types
    ]


def declined_reasons(location, period):

    start, end = period.aware_bounds()
    rows = (
        Reservation.objects.declined()
        .filter(location=location, created_at__gte=start, created_at__lt=end)
        .values("decline_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "decline_reason")
    )
    return [(row["decline_reason"] or "—", row["n"]) for row in rows]


def groups_served(location, period):

    return (
        Reservation.objects.lent()
        .filter(location=location, pickup_date__range=(period.start, period.end))
        .values("group")
        .distinct()
        .count()
    )


def new_groups(period):

    start, end = period.aware_bounds()
    return Group.objects.approved().filter(reviewed_at__gte=start, reviewed_at__lt=end).count()


def consultation_counts(location, period):
    """[{topic, mode, status, n}]: one grouped query; at most topics × modes × statuses rows."""

    start, end = period.aware_bounds()
    return list(
        Consultation.objects.filter(location=location)
        .starting_between(start, end)
        .counted_for_statistics()
        .values("topic", "mode", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def events_by_status(period):

    rows = (
        Event.objects.published()
        .filter(start_date__range=(period.start, period.end))
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


@dataclass
class YearReport:
    fiscal_year: int
    locations: list
    months: list = field(default_factory=list)  # [(Period, loans, unit_days)]
    types: list = field(default_factory=list)  # [TypeUse] sorted by utilisation, most used first
    declined: list = field(default_factory=list)  # [(reason, count)]
    groups_served: int = 0
    new_groups: int = 0
    topics: list = field(default_factory=list)  # [(topic name, count)]
    modes: list = field(default_factory=list)  # [(mode label, count)]
    outcomes: dict = field(default_factory=dict)  # status → count (held, no_show, booked)
    events: dict = field(default_factory=dict)  # status → count
    rooms: list = field(default_factory=list)  # [(Location, kyodo.rooms.services.stats.Year)] with rooms

    @property
    def total_loans(self):
        return sum(m[1] for m in self.months)

    @property
    def total_unit_days(self):
        return sum(m[2] for m in self.months)

    @property
    def most_used(self):
        return [t for t in self.types if t.unit_days_available][:3]

    @property
    def least_used(self):
        return [t for t in reversed(self.types) if t.unit_days_available][:3]


def _merge_counts(pairs: Iterable[tuple[Any, int]]) -> dict[Any, int]:
    merged: dict[Any, int] = {}
    for key, n in pairs:
        merged[key] = merged.get(key, 0) + n
    return merged


def year_report(fiscal_year, location=None):
    """All the figures of one fiscal year, for one location or summed over all of them."""

    locations = [location] if location else list(Location.objects.all())
    year = Period(*fiscal_year_range(fiscal_year))
    report = YearReport(fiscal_year, locations)
    months = months_of(fiscal_year)
    report.months = [(month, 0, 0) for month in months]
    types = []
    for loc in locations:
        open_days = OpenDays(loc, year)
        per_month, by_type = allocate(lent_quantities(loc, year), open_days, year, months)
        loans = loans_by_month(loc, year)
        for i, month in enumerate(months):
            _, count, days = report.months[i]
            report.months[i] = (month, count + loans[i], days + per_month[i])
        types += utilisation_by_type(loc, year, open_days, by_type)
    report.types = sorted(types, key=lambda t: (-t.utilisation, t.name))
    report.declined = sorted(
        _merge_counts(pair for loc in locations for pair in declined_reasons(loc, year)).items(),
        key=lambda p: -p[1],
    )
    report.groups_served = sum(groups_served(loc, year) for loc in locations)
    report.new_groups = new_groups(year)
    topic_names = {t.pk: t.localized_name() for t in Topic.objects.all()}
    counts = [row for loc in locations for row in consultation_counts(loc, year)]
    topics = _merge_counts((row["topic"], row["n"]) for row in counts)
    report.topics = [(topic_names.get(pk, "—"), n) for pk, n in sorted(topics.items(), key=lambda p: -p[1])]
    modes = _merge_counts((row["mode"], row["n"]) for row in counts)
    report.modes = [(str(Consultation.Mode(m).label), n) for m, n in modes.items()]
    report.outcomes = _merge_counts((row["status"], row["n"]) for row in counts)
    report.events = events_by_status(year)
    report.rooms = room_years(locations, fiscal_year)
    return report


def room_years(locations, fiscal_year):
    """The rooms' figures of the year (稼働率 per room and 区分, bookings, people, fees collected and
    waived) for each location that has rooms: the one computation of kyodo.rooms.services.stats."""
    from kyodo.rooms.models import Room
    from kyodo.rooms.services import stats as room_stats

    with_rooms = set(Room.objects.filter(location__in=locations).values_list("location_id", flat=True))
    return [(loc, room_stats.year(loc, fiscal_year)) for loc in locations if loc.pk in with_rooms]
