"""Units: finding one by its tag, taking one out of service (and which reservations that leaves short)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.dates import format_date
from kyodo.core.models import Location, OpeningHours, User
from kyodo.groups.services import is_member
from kyodo.lending import availability
from kyodo.lending.models import EquipmentType, Reservation, ReservationUnit, Unit
from kyodo.lending.services import clock
from kyodo.lending.services.rules import lock_types, require_staff


def record_status(unit: Unit, status: str, note: str, day: dt.date) -> None:
    """Write a unit's new status, with the dated note appended to its condition notes."""
    unit.status = status
    if note:
        stamp = format_date(day)
        unit.condition_notes = (
            unit.condition_notes + "\n" if unit.condition_notes else ""
        ) + f"{stamp}: {note}"
    unit.save(update_fields=["status", "condition_notes"])


def set_unit_status(
    staff_user: User | Any, unit_id: int, status: str, note: str = "", day: dt.date | None = None
) -> list[Reservation]:
    """Change a unit's status; taking one out of service returns the future reservations now short."""
    require_staff(staff_user)
    day = day or clock.today()
    if status not in Unit.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    with transaction.atomic():
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        lock_types([unit.equipment_type_id])
        unit = Unit.objects.get(pk=unit_id)
        record_status(unit, status, (note or "").strip(), day)
        audit.record(staff_user, "lending.unit_status", unit, f"{status} {note}".strip())
        return short_reservations([unit.equipment_type_id], day)


def short_reservations(type_ids: Iterable[int], day: dt.date, horizon_days: int = 366) -> list[Reservation]:
    """Requested or approved reservations from `day` on that cover a day where a type is overbooked."""
    end = day + dt.timedelta(days=horizon_days)
    type_ids = list(type_ids)
    capacity = availability.units_in_service(type_ids)
    rows = availability.hold_rows(type_ids, day, end, day)
    held: dict[tuple[int, dt.date], int] = {}
    for type_id, quantity, first, last, _rid in rows:
        for d in availability.days_between(max(first, day), min(last, end)):
            held[(type_id, d)] = held.get((type_id, d), 0) + quantity
    over = {key for key, quantity in held.items() if quantity > capacity[key[0]]}
    short_ids = set()
    for type_id, _quantity, first, last, rid in rows:
        if any((type_id, d) in over for d in availability.days_between(max(first, day), min(last, end))):
            short_ids.add(rid)
    return list(
        Reservation.objects.before_pickup()
        .filter(pk__in=short_ids)
        .select_related("group")
        .order_by("pickup_date", "pk")
    )


@dataclass(frozen=True)
class UnitCard:
    """What a unit's QR label opens for anyone who is not staff: what the item is, the center's contact
    and hours, its setup guide; the return date only for a member of the group that has it now."""

    unit: Unit
    equipment_type: EquipmentType
    location: Location
    hours: list[OpeningHours]
    closed_weekdays: list[int]
    return_date: dt.date | None  # None unless the person is a member of the borrowing group
    reservation_id: int | None


def unit_card(unit: Unit, user: User | Any) -> UnitCard:
    location = unit.equipment_type.location
    hours = list(location.opening_hours.order_by("weekday"))
    current = (
        ReservationUnit.objects.filter(unit=unit, returned_at__isnull=True)
        .select_related("reservation")
        .first()
    )
    mine = current is not None and user.is_authenticated and is_member(user, current.reservation.group)
    return UnitCard(
        unit=unit,
        equipment_type=unit.equipment_type,
        location=location,
        hours=hours,
        closed_weekdays=[d for d in range(7) if d not in {h.weekday for h in hours}],
        return_date=current.reservation.return_date if mine and current else None,
        reservation_id=current.reservation_id if mine and current else None,
    )


def find_unit(tag: str | None) -> Unit | None:
    tag = (tag or "").strip()
    return (
        Unit.objects.filter(asset_tag__iexact=tag).select_related("equipment_type").first() if tag else None
    )
