"""How many units of a type are free on each day, with a constant number of queries.

free(type, day) = units in service − quantity held on that day by reservations that hold units
(requested, approved, checked out, and returned ones until their inspection buffer ends).
A loan still out after its return date (overdue) holds its units until it comes back.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Count

from kyodo.core import calendar
from kyodo.core.calendar import Day
from kyodo.core.models import Location
from kyodo.lending.models import EquipmentType, Kit, KitItem, ReservationItem, Unit

FOREVER = dt.date.max

# (type id, quantity, first day held, last day held, reservation id)
HoldRow = tuple[int, int, dt.date, dt.date, int]
# {type id: {date: free units}}
FreeByDay = dict[int, dict[dt.date, int]]


def days_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every date from start to end inclusive (counted, so date.max never overflows)."""
    for n in range((end - start).days + 1):
        yield start + dt.timedelta(days=n)


def units_in_service(type_ids: Collection[int]) -> dict[int, int]:
    """{type_id: units in service} in one query."""
    rows = (
        Unit.objects.in_service()
        .filter(equipment_type_id__in=type_ids)
        .values("equipment_type_id")
        .annotate(n=Count("id"))
    )
    counts = {type_id: 0 for type_id in type_ids}
    counts.update({row["equipment_type_id"]: row["n"] for row in rows})
    return counts


def hold_rows(
    type_ids: Collection[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    exclude_reservation_id: int | None = None,
) -> list[HoldRow]:
    """(type_id, quantity, first day held, last day held, reservation_id) overlapping [start, end], one query."""
    # One table (the items' copies of their reservation's status and dates), whatever the number of
    # reservations in the period.
    queryset = ReservationItem.objects.holding(type_ids, start, end)
    if exclude_reservation_id is not None:
        queryset = queryset.exclude(reservation_id=exclude_reservation_id)
    rows: list[HoldRow] = []
    for type_id, quantity, pickup, hold_until, is_overdue, reservation_id in (
        queryset.with_overdue(today)
        .order_by()
        .values_list(
            "equipment_type_id", "quantity", "pickup_date", "hold_until", "is_overdue", "reservation_id"
        )
    ):
        last = FOREVER if is_overdue else hold_until  # an overdue loan holds its units until it comes back
        rows.append((type_id, quantity, pickup, last, reservation_id))
    return rows


def held_by_day(
    type_ids: Collection[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    exclude_reservation_id: int | None = None,
) -> dict[int, dict[dt.date, int]]:
    """{type_id: {date: quantity held}} for every calendar day in [start, end]."""
    held: dict[int, dict[dt.date, int]] = {type_id: defaultdict(int) for type_id in type_ids}
    for type_id, quantity, first, last, _rid in hold_rows(
        type_ids, start, end, today, exclude_reservation_id
    ):
        for day in days_between(max(first, start), min(last, end)):
            held[type_id][day] += quantity
    return held


def free_by_day(
    type_ids: Iterable[int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    exclude_reservation_id: int | None = None,
) -> FreeByDay:
    """{type_id: {date: free units}} for every calendar day in [start, end]: two queries."""
    ids = list(type_ids)
    capacity = units_in_service(ids)
    held = held_by_day(ids, start, end, today, exclude_reservation_id)
    return {
        type_id: {day: capacity[type_id] - held[type_id][day] for day in days_between(start, end)}
        for type_id in ids
    }


def shortfalls(
    needs: Mapping[int, int],
    start: dt.date,
    end: dt.date,
    today: dt.date,
    exclude_reservation_id: int | None = None,
) -> list[tuple[int, dt.date, int]]:
    """Days in [start, end] where `needs` ({type_id: quantity}) does not fit: [(type_id, date, free)]."""
    free = free_by_day(needs.keys(), start, end, today, exclude_reservation_id)
    short: list[tuple[int, dt.date, int]] = []
    for type_id, quantity in needs.items():
        for day, count in free[type_id].items():
            if count < quantity:
                short.append((type_id, day, max(count, 0)))
    return short


def type_days(
    equipment_type: EquipmentType, start: dt.date, end: dt.date, today: dt.date
) -> list[tuple[dt.date, int]]:
    """[(date, free)] for each open day of the type's location in [start, end]."""
    free = free_by_day([equipment_type.pk], start, end, today)[equipment_type.pk]
    return [(day, max(free[day], 0)) for day in calendar.open_days(equipment_type.location, start, end)]


def kit_free(kit_items: Sequence[KitItem], free: FreeByDay) -> dict[dt.date, int]:
    """How many whole kits fit on each day, given {type_id: {date: free}}."""
    days: Iterable[dt.date] = next(iter(free.values())).keys() if free else []
    result: dict[dt.date, int] = {}
    for day in days:
        result[day] = min(
            (max(free[item.equipment_type_id][day], 0) // item.quantity for item in kit_items), default=0
        )
    return result


def kit_days(kit: Kit, start: dt.date, end: dt.date, today: dt.date) -> list[tuple[dt.date, int]]:
    """[(date, kits free)] for each open day of the kit's location in [start, end]."""
    items = list(KitItem.objects.filter(kit=kit))
    free = free_by_day({item.equipment_type_id for item in items}, start, end, today)
    per_day = kit_free(items, free) if items else {}
    return [(day, per_day.get(day, 0)) for day in calendar.open_days(kit.location, start, end)]


@dataclass
class FreeInPeriod:
    """The catalogue filtered by a period: what can be lent on every day of it."""

    types: list[EquipmentType]  # the types with a unit free on every day, in the given order
    kits: list[Kit]  # the kits with a whole kit free on every day
    free: dict[int, int]  # type id → fewest units free on a day of the period
    kit_counts: dict[int, int]  # kit id → fewest whole kits free on a day of the period


def free_in_period(
    types: Iterable[EquipmentType], kits: Iterable[Kit], start: dt.date, end: dt.date, today: dt.date
) -> FreeInPeriod:
    """Which of `types` and `kits` are free on every day of [start, end]: two queries (the kits' items are
    read through `kit.items.all()`, so prefetch them)."""
    types, kits = list(types), list(kits)
    type_ids = {t.pk for t in types} | {i.equipment_type_id for k in kits for i in k.items.all()}
    per_day = free_by_day(type_ids, start, end, today)
    free = {type_id: max(min(days.values()), 0) for type_id, days in per_day.items()}
    kit_counts = {}
    for kit in kits:
        items = list(kit.items.all())
        kit_counts[kit.pk] = min(kit_free(items, per_day).values(), default=0) if items else 0
    return FreeInPeriod(
        types=[t for t in types if free.get(t.pk, 0) > 0],
        kits=[k for k in kits if kit_counts[k.pk] > 0],
        free=free,
        kit_counts=kit_counts,
    )


def next_free_date(open_days_with_free: Iterable[tuple[dt.date, int]], minimum: int = 1) -> dt.date | None:
    """The first open day with at least `minimum` free, from [(date, free)]."""
    for day, free in open_days_with_free:
        if free >= minimum:
            return day
    return None


def month_calendar(
    location: Location, year: int, month: int, free_per_day: Mapping[dt.date, int]
) -> list[list[tuple[Day, int] | None]]:
    """month_weeks of the location with each open day's free count: [[(Day, free) or None]]."""
    weeks: list[list[tuple[Day, int] | None]] = []
    for week in calendar.month_weeks(location, year, month):
        weeks.append([(day, max(free_per_day.get(day.date, 0), 0)) if day else None for day in week])
    return weeks
