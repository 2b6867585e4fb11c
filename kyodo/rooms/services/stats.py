"""Room statistics by 年度: 稼働率 (occupancy) per room and per 区分, bookings, people, fees collected and
waived. Occupancy = booked 区分 (permitted, or held and not lapsed/cancelled) / bookable 区分 (open
days × 区分, less blocks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum

from kyodo.core import calendar
from kyodo.core.dates import fiscal_year_range
from kyodo.core.models import Location
from kyodo.rooms.models import Payment, Room, RoomBlock, RoomBooking, RoomBookingPeriod
from kyodo.rooms.services.window import periods_of


@dataclass
class RoomYear:
    room: Room
    bookable: int
    booked: int
    by_period: dict[str, tuple[int, int]]  # period name → (booked, bookable)

    @property
    def occupancy(self) -> float:
        return self.booked / self.bookable if self.bookable else 0.0


@dataclass
class Year:
    year: int
    rooms: list[RoomYear]
    bookings: int
    people: int
    collected: int
    waived: int
    months: list[tuple[dt.date, int, int, int]]  # (first of the month, bookings, booked 区分, people)


def year(location: Location, fiscal_year: int, until: dt.date | None = None) -> Year:
    start, end = fiscal_year_range(fiscal_year)
    if until is not None:
        end = min(end, until)
    open_days = calendar.open_days(location, start, end)
    periods = periods_of(location)
    rows = []
    for room in Room.objects.filter(location=location).order_by("order", "pk"):
        blocks = list(RoomBlock.objects.filter(room=room, date__gte=start, date__lte=end))
        held = dict(
            RoomBookingPeriod.objects.active()
            .filter(room=room, date__gte=start, date__lte=end)
            .values("period_id")
            .annotate(n=Count("pk"))
            .values_list("period_id", "n")
        )
        by_period = {}
        for period in periods:
            blocked = sum(1 for b in blocks if b.covers(period.pk) and b.date in set(open_days))
            by_period[period.localized_name()] = (held.get(period.pk, 0), len(open_days) - blocked)
        rows.append(
            RoomYear(
                room,
                sum(b for _h, b in by_period.values()),
                sum(h for h, _b in by_period.values()),
                by_period,
            )
        )
    bookings = RoomBooking.objects.filter(location=location, date__gte=start, date__lte=end)
    counted = bookings.filter(status__in=RoomBooking.ACTIVE)
    people = counted.aggregate(n=Sum("attendance"))["n"] or 0
    payments = Payment.objects.filter(
        booking__location=location, recorded_at__date__gte=start, recorded_at__date__lte=end
    )
    paid = payments.aggregate(
        p=Sum("amount", filter=Q(kind=Payment.Kind.PAYMENT)),
        r=Sum("amount", filter=Q(kind=Payment.Kind.REFUND)),
    )
    waived = sum(b.fee - b.fee_due for b in counted.only("fee", "fee_due"))
    return Year(
        fiscal_year, rows, counted.count(), people, (paid["p"] or 0) - (paid["r"] or 0), waived,
        _months(location, counted, start, end),
    )  # fmt: skip


def _months(
    location: Location, counted: Any, start: dt.date, end: dt.date
) -> list[tuple[dt.date, int, int, int]]:
    """Per month of the year: bookings, booked 区分 and people (attendance recorded after use)."""
    by_month: dict[dt.date, list[int]] = {}
    day = start.replace(day=1)
    while day <= end:
        by_month[day] = [0, 0, 0]
        day = (day + dt.timedelta(days=32)).replace(day=1)
    for booking in counted.annotate(n=Count("periods", filter=Q(periods__active=True))).only(
        "date", "attendance"
    ):
        row = by_month.setdefault(booking.date.replace(day=1), [0, 0, 0])
        row[0] += 1
        row[1] += booking.n
        row[2] += booking.attendance or 0
    return [(month, *values) for month, values in sorted(by_month.items())]  # type: ignore[misc]
