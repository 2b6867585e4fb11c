"""The counter: hand over the reserved units (checkout, by scanned asset tags) and take them back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.dates import format_date
from kyodo.core.errors import Unavailable
from kyodo.core.models import User
from kyodo.lending.models import EquipmentType, Reservation, ReservationUnit, Unit
from kyodo.lending.services import clock
from kyodo.lending.services.rules import (
    Needs,
    hold_end,
    lock_types,
    locked_reservation,
    needs_of_reservation,
    require,
    require_staff,
    rules_for,
)
from kyodo.lending.services.units import find_unit, record_status, short_reservations


def _normalise_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = (tag or "").strip()
        if tag and tag.upper() not in [t.upper() for t in seen]:
            seen.append(tag)
    return seen


def _unit_problem(unit: Unit | None, tag: str, reservation: Reservation, needs: Needs) -> str | None:
    """Why this scanned unit cannot go out on this reservation, or None."""
    if unit is None:
        return _("Unknown asset tag: %(tag)s") % {"tag": tag}
    if unit.equipment_type_id not in needs:
        return _("%(tag)s is not part of this reservation.") % {"tag": unit.asset_tag}
    if not unit.is_in_service():
        return _("%(tag)s is not in service.") % {"tag": unit.asset_tag}
    busy = (
        ReservationUnit.objects.filter(unit=unit)
        .exclude(reservation=reservation)
        .filter(start__lte=reservation.hold_until, end__gte=reservation.pickup_date)
        .first()
    ) or ReservationUnit.objects.filter(unit=unit, returned_at__isnull=True).first()
    if busy is not None:
        return _("%(tag)s is on another loan or in inspection until %(date)s.") % {
            "tag": unit.asset_tag,
            "date": format_date(busy.end),
        }
    return None


def _count_problems(chosen: Sequence[Unit], needs: Needs) -> list[str]:
    """A line per type whose scanned count differs from the reserved quantity."""
    counts: dict[int, int] = {}
    for unit in chosen:
        counts[unit.equipment_type_id] = counts.get(unit.equipment_type_id, 0) + 1
    problems = []
    for type_id, quantity in needs.items():
        if counts.get(type_id, 0) != quantity:
            name = EquipmentType.objects.get(pk=type_id).localized_name()
            problems.append(
                _("%(name)s: scan %(need)d, scanned %(got)d.")
                % {"name": name, "need": quantity, "got": counts.get(type_id, 0)}
            )
    return problems


def checkout(
    staff_user: User | Any,
    reservation_id: int,
    asset_tags: Iterable[str],
    accessories: Iterable[str] = (),
    day: dt.date | None = None,
) -> Reservation:
    """Hand over the units whose tags were scanned; they must match the reserved types and quantities."""
    require_staff(staff_user)
    day = day or clock.today()
    tags = _normalise_tags(asset_tags)
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        require(reservation.can_check_out(), _("Only an approved reservation can be checked out."))
        if day < reservation.pickup_date:
            message = _("The pickup is on %(date)s, not before.") % {
                "date": format_date(reservation.pickup_date)
            }
            raise ValidationError({"tags": [message]})
        needs = needs_of_reservation(reservation)
        lock_types(needs.keys())
        errors, chosen = [], []
        for tag in tags:
            unit = find_unit(tag)
            problem = _unit_problem(unit, tag, reservation, needs)
            if problem:
                errors.append(problem)
            elif unit is not None:
                chosen.append(unit)
        errors = errors or _count_problems(chosen, needs)
        if errors:
            raise ValidationError({"tags": errors})
        try:
            with transaction.atomic():
                for unit in chosen:
                    ReservationUnit.objects.create(
                        reservation=reservation,
                        unit=unit,
                        start=reservation.pickup_date,
                        end=reservation.hold_until,
                        checked_out_by=staff_user,
                        accessories_out=list(accessories),
                    )
        except IntegrityError as exc:  # the database safety net: a unit promised twice
            raise Unavailable(_("One of these units is already on another loan.")) from exc
        reservation.status = Reservation.Status.CHECKED_OUT
        reservation.checked_out_at = timezone.now()
        reservation.save(update_fields=["status", "checked_out_at", "updated_at"])
        audit.record(staff_user, "lending.checkout", reservation, ", ".join(u.asset_tag for u in chosen))
    return reservation


@dataclass
class ReturnedUnit:
    unit_id: int
    accessories: list[str] = field(default_factory=list)
    damaged: bool = False
    note: str = ""


def return_loan(
    staff_user: User | Any,
    reservation_id: int,
    returned: Iterable[ReturnedUnit],
    day: dt.date | None = None,
) -> list[Reservation]:
    """Take the loan back: checklist and condition per unit; a damaged unit goes under repair.

    Returns the reservations now short because a unit left service (for staff to act on)."""
    require_staff(staff_user)
    day = day or clock.today()
    by_unit = {r.unit_id: r for r in returned}
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        require(reservation.can_return(), _("Only a loan that is out can be returned."))
        loans = list(reservation.units.filter(returned_at__isnull=True).select_related("unit"))
        entries = {loan.pk: by_unit.get(loan.unit_id) or ReturnedUnit(loan.unit_id) for loan in loans}
        errors = [
            _("%(tag)s: please describe the damage.") % {"tag": loan.unit.asset_tag}
            for loan in loans
            if entries[loan.pk].damaged and not entries[loan.pk].note.strip()
        ]
        if errors:
            raise ValidationError({"condition": errors})
        damaged_types = {loan.unit.equipment_type_id for loan in loans if entries[loan.pk].damaged}
        if damaged_types:
            lock_types(damaged_types)  # a unit leaves service: no request may count on it meanwhile
        rules = rules_for(reservation.location)
        last_day = max(hold_end(reservation.location, day, rules), reservation.pickup_date)
        for loan in loans:
            entry = entries[loan.pk]
            loan.returned_at = timezone.now()
            loan.returned_to = staff_user
            loan.accessories_back = list(entry.accessories)
            loan.condition = (
                ReservationUnit.Condition.DAMAGED if entry.damaged else ReservationUnit.Condition.OK
            )
            loan.note = entry.note.strip()
            loan.end = last_day
            loan.save()
            missing = loan.missing_accessories()
            if missing:  # on the unit's notes too, so the next checkout sees it
                gone = _("Accessories missing after reservation #%(id)s: %(list)s") % {
                    "id": reservation.pk,
                    "list": ", ".join(missing),
                }
                record_status(loan.unit, loan.unit.status, gone, day)
            if entry.damaged:
                record_status(loan.unit, Unit.Status.UNDER_REPAIR, entry.note.strip(), day)
        reservation.status = Reservation.Status.RETURNED
        reservation.returned_at = timezone.now()
        reservation.hold_until = last_day
        reservation.save(update_fields=["status", "returned_at", "hold_until", "updated_at"])
        audit.record(staff_user, "lending.return", reservation)
        short = short_reservations(damaged_types, day) if damaged_types else []
    return short
