"""The year's figures (事業報告), by fiscal year (April–March), per location or for all.

Every figure is an aggregate query; nothing loops over reservations or bookings in Python. Loans are
reservations that were handed over (checked out or returned). A loan's unit-days are its quantity times the
location's open days from pickup to return (the dates the loan holds, extensions included), clipped to the
period. Utilisation per type is unit-days lent ÷ (units in service × open days). Units carry no status
history, so the denominator counts units in service now (and added before the period ended).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from kyodo.core import calendar
from kyodo.core.dates import fiscal_year_range
from kyodo.core.models import Location
from kyodo.reports.sql import count_at_or_before, count_before, date_value, days_between

LENT = ["checked_out", "returned"]


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


class ClosedDays:
    """A location's closed days over a fiscal year, read once (two queries) and sliced per period."""

    def __init__(self, location, year):
        cal = calendar.calendar_for(location, year.start, year.end)
        self.days = [d.date for d in cal.days() if not d.is_open]
        self.year = year

    def within(self, period):
        return [d for d in self.days if period.start <= d <= period.end]

    def open_days(self, period):
        return (period.end - period.start).days + 1 - len(self.within(period))


# The lending service refuses any date more than a year from today, so no loan spans more than two years.
# Bounding the pickup date by that lets the (status, pickup_date) index do the work on a large table.
LONGEST_LOAN = dt.timedelta(days=2 * 366)


def _lent_items(location, period):
    from kyodo.lending.models import ReservationItem

    return ReservationItem.objects.filter(
        reservation__location=location,
        reservation__status__in=LENT,
        reservation__pickup_date__range=(period.start - LONGEST_LOAN, period.end),
        reservation__return_date__gte=period.start,
    )


def _open_unit_days(a, b, closed):
    """quantity × open days of [a, b], where a and b name annotations on the queryset."""
    calendar_days = days_between(F(a), F(b)) + 1
    closed_inside = count_at_or_before(b, closed) - count_before(a, closed)
    return F("quantity") * (calendar_days - closed_inside)


def _clip(period, suffix=""):
    return {
        f"a{suffix}": Greatest(F("reservation__pickup_date"), date_value(period.start)),
        f"b{suffix}": Least(F("reservation__return_date"), date_value(period.end)),
    }


def _overlaps(period):
    return Q(reservation__pickup_date__lte=period.end, reservation__return_date__gte=period.start)


def monthly_figures(location, year, months, closed_days):
    """[(loans, unit-days lent)] for each month, in one aggregate query."""
    queryset = _lent_items(location, year)
    aggregates = {}
    for i, month in enumerate(months):
        queryset = queryset.annotate(**_clip(month, i))
        picked_up = Q(reservation__pickup_date__range=(month.start, month.end))
        aggregates[f"loans{i}"] = Count("reservation", distinct=True, filter=picked_up)
        aggregates[f"days{i}"] = Coalesce(
            Sum(_open_unit_days(f"a{i}", f"b{i}", closed_days.within(month)), filter=_overlaps(month)), 0
        )
    row = queryset.aggregate(**aggregates)
    return [(row[f"loans{i}"], row[f"days{i}"]) for i in range(len(months))]


def unit_days_by_type(location, period, closed_days):
    """{equipment type id: unit-days lent in the period}, in one grouped query."""
    rows = (
        _lent_items(location, period)
        .annotate(**_clip(period))
        .values("equipment_type")
        .annotate(unit_days=Sum(_open_unit_days("a", "b", closed_days.within(period))))
    )
    return {row["equipment_type"]: row["unit_days"] or 0 for row in rows}


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


def utilisation_by_type(location, period, closed_days):
    from kyodo.lending.models import EquipmentType

    open_count = closed_days.open_days(period)
    lent = unit_days_by_type(location, period, closed_days)
    types = (
        EquipmentType.objects.filter(location=location)
        .annotate(
            in_service=Count(
                "units",
                filter=Q(units__status="in_service", units__created_at__date__lte=period.end),
            )
        )
        .order_by("order", "name")
    )
    return [
        TypeUse(t.pk, t.localized_name(), t.in_service, lent.get(t.pk, 0), t.in_service * open_count)
        for t in types
    ]


def declined_reasons(location, period):
    from kyodo.lending.models import Reservation

    start, end = period.aware_bounds()
    rows = (
        Reservation.objects.filter(
            location=location, status="declined", created_at__gte=start, created_at__lt=end
        )
        .values("decline_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "decline_reason")
    )
    return [(row["decline_reason"] or "—", row["n"]) for row in rows]


def groups_served(location, period):
    from kyodo.lending.models import Reservation

    return (
        Reservation.objects.filter(
            location=location, status__in=LENT, pickup_date__range=(period.start, period.end)
        )
        .values("group")
        .distinct()
        .count()
    )


def new_groups(period):
    from kyodo.groups.models import Group

    start, end = period.aware_bounds()
    return Group.objects.filter(status="approved", reviewed_at__gte=start, reviewed_at__lt=end).count()


def consultation_counts(location, period):
    """[{topic, mode, status, n}]: one grouped query; at most topics × modes × statuses rows."""
    from kyodo.consultations.models import Consultation

    start, end = period.aware_bounds()
    return list(
        Consultation.objects.filter(location=location, start__gte=start, start__lt=end)
        .exclude(status__in=["cancelled", "pending_confirmation"])
        .values("topic", "mode", "status")
        .annotate(n=Count("id"))
        .order_by()
    )


def events_by_status(period):
    from kyodo.community.models import Event

    rows = (
        Event.objects.filter(state="published", start_date__range=(period.start, period.end))
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


def _merge_counts(pairs):
    merged = {}
    for key, n in pairs:
        merged[key] = merged.get(key, 0) + n
    return merged


def year_report(fiscal_year, location=None):
    """All the figures of one fiscal year, for one location or summed over all of them."""
    from kyodo.consultations.models import Consultation, Topic

    locations = [location] if location else list(Location.objects.all())
    year = Period(*fiscal_year_range(fiscal_year))
    report = YearReport(fiscal_year, locations)
    closed = {loc.pk: ClosedDays(loc, year) for loc in locations}
    months = months_of(fiscal_year)
    per_location = [monthly_figures(loc, year, months, closed[loc.pk]) for loc in locations]
    for i, month in enumerate(months):
        loans = sum(figures[i][0] for figures in per_location)
        unit_days = sum(figures[i][1] for figures in per_location)
        report.months.append((month, loans, unit_days))
    types = [t for loc in locations for t in utilisation_by_type(loc, year, closed[loc.pk])]
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
    return report
