"""How many units of a type are free on each day, with a constant number of queries.

free(type, day) = units in service − quantity held on that day by reservations that hold units
(requested, approved, checked out, and returned ones until their inspection buffer ends).
A loan still out after its return date (overdue) holds its units until it comes back.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q

from kyodo.core import calendar
from kyodo.lending.models import KitItem, Reservation, ReservationItem, Unit

FOREVER = dt.date.max


def days_between(start, end):
    """Every date from start to end inclusive (counted, so date.max never overflows)."""
    for n in range((end - start).days + 1):
        yield start + dt.timedelta(days=n)


def units_in_service(type_ids):
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


def hold_rows(type_ids, start, end, today, exclude_reservation_id=None):
    """(type_id, quantity, first day held, last day held, reservation_id) overlapping [start, end], one query."""
    # The items' copies of their reservation's status and dates: one table, read through its
    # (type, hold until) and (type, status) indexes, whatever the number of reservations in the period.
    queryset = ReservationItem.objects.filter(
        Q(equipment_type_id__in=type_ids, hold_until__gte=start)
        | Q(equipment_type_id__in=type_ids, reservation_status=Reservation.Status.CHECKED_OUT),
        reservation_status__in=Reservation.HOLDING,
        pickup_date__lte=end,
    )
    if exclude_reservation_id is not None:
        queryset = queryset.exclude(reservation_id=exclude_reservation_id)
    rows = []
    for (
        type_id,
        quantity,
        pickup,
        hold_until,
        return_date,
        status,
        reservation_id,
    ) in queryset.order_by().values_list(
        "equipment_type_id",
        "quantity",
        "pickup_date",
        "hold_until",
        "return_date",
        "reservation_status",
        "reservation_id",
    ):
        if status == Reservation.Status.CHECKED_OUT and return_date < today:
            hold_until = FOREVER  # overdue: held until it comes back
        rows.append((type_id, quantity, pickup, hold_until, reservation_id))
    return rows


def held_by_day(type_ids, start, end, today, exclude_reservation_id=None):
    """{type_id: {date: quantity held}} for every calendar day in [start, end]."""
    held = {type_id: defaultdict(int) for type_id in type_ids}
    for type_id, quantity, first, last, _rid in hold_rows(
        type_ids, start, end, today, exclude_reservation_id
    ):
        for day in days_between(max(first, start), min(last, end)):
            held[type_id][day] += quantity
    return held


def free_by_day(type_ids, start, end, today, exclude_reservation_id=None):
    """{type_id: {date: free units}} for every calendar day in [start, end]: two queries."""
    type_ids = list(type_ids)
    capacity = units_in_service(type_ids)
    held = held_by_day(type_ids, start, end, today, exclude_reservation_id)
    return {
        type_id: {day: capacity[type_id] - held[type_id][day] for day in days_between(start, end)}
        for type_id in type_ids
    }


def shortfalls(needs, start, end, today, exclude_reservation_id=None):
    """Days in [start, end] where `needs` ({type_id: quantity}) does not fit: [(type_id, date, free)]."""
    free = free_by_day(needs.keys(), start, end, today, exclude_reservation_id)
    short = []
    for type_id, quantity in needs.items():
        for day, count in free[type_id].items():
            if count < quantity:
                short.append((type_id, day, max(count, 0)))
    return short


def type_days(equipment_type, start, end, today):
    """[(date, free)] for each open day of the type's location in [start, end]."""
    free = free_by_day([equipment_type.pk], start, end, today)[equipment_type.pk]
    return [(day, max(free[day], 0)) for day in calendar.open_days(equipment_type.location, start, end)]


def kit_free(kit_items, free):
    """How many whole kits fit on each day, given {type_id: {date: free}}."""
    days = next(iter(free.values())).keys() if free else []
    result = {}
    for day in days:
        result[day] = min(
            (max(free[item.equipment_type_id][day], 0) // item.quantity for item in kit_items), default=0
        )
    return result


def kit_days(kit, start, end, today):
    """[(date, kits free)] for each open day of the kit's location in [start, end]."""
    items = list(KitItem.objects.filter(kit=kit))
    free = free_by_day({item.equipment_type_id for item in items}, start, end, today)
    per_day = kit_free(items, free) if items else {}
    return [(day, per_day.get(day, 0)) for day in calendar.open_days(kit.location, start, end)]


def next_free_date(open_days_with_free, minimum=1):
    """The first open day with at least `minimum` free, from [(date, free)]."""
    for day, free in open_days_with_free:
        if free >= minimum:
            return day
    return None


def month_calendar(location, year, month, free_per_day):
    """month_weeks of the location with each open day's free count: [[(Day, free) or None]]."""
    weeks = []
    for week in calendar.month_weeks(location, year, month):
        weeks.append([(day, max(free_per_day.get(day.date, 0), 0)) if day else None for day in week])
    return weeks
