"""Staff decisions on a request: approve, decline, change its dates and quantities; and what else is
free for the units it holds (the review page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.models import User
from kyodo.lending import availability, emails
from kyodo.lending.inputs import quantity_errors
from kyodo.lending.models import EquipmentType, Reservation, ReservationItem
from kyodo.lending.services import clock
from kyodo.lending.services.rules import (
    EDIT,
    check_rules,
    ensure_fits,
    hold_end,
    lock_types,
    locked_reservation,
    needs_of_reservation,
    require,
    require_staff,
    rules_for,
)


def approve(staff_user: User | Any, reservation_id: int, day: dt.date | None = None) -> Reservation:
    """Approve a request. It already holds its units; re-check in case a unit left service since."""
    require_staff(staff_user)
    day = day or clock.today()
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        require(reservation.can_approve(), _("Only a request waiting for review can be approved."))
        needs = needs_of_reservation(reservation)
        lock_types(needs.keys())
        ensure_fits(needs, reservation.pickup_date, reservation.hold_until, day, reservation.pk)
        reservation.status = Reservation.Status.APPROVED
        reservation.approved_at = timezone.now()
        reservation.save(update_fields=["status", "approved_at", "updated_at"])
        audit.record(staff_user, "lending.approve", reservation)
        emails.decided(reservation)
    return reservation


def decline(staff_user: User | Any, reservation_id: int, reason: str) -> Reservation:
    require_staff(staff_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason for declining.")]})
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        require(reservation.can_decline(), _("Only a request not yet picked up can be declined."))
        reservation.status = Reservation.Status.DECLINED
        reservation.decline_reason = reason
        reservation.save(update_fields=["status", "decline_reason", "updated_at"])
        audit.record(staff_user, "lending.decline", reservation, reason)
        emails.decided(reservation)
    return reservation


def _new_quantities(items: list[ReservationItem], quantities: Mapping[int, int | None]) -> dict[int, int]:
    """{item id: quantity} after the edit, each checked as a request's line is (0 removes the line)."""
    result = {}
    for item in items:
        quantity = quantities.get(item.pk, item.quantity)
        if quantity is None or quantity < 0:
            raise ValidationError({"items": [_("The quantity must be a whole number.")]})
        if quantity_errors(quantity):
            raise ValidationError({"items": quantity_errors(quantity)})
        result[item.pk] = quantity
    if not any(result.values()):
        raise ValidationError({"items": [_("Choose at least one item and its quantity.")]})
    return result


@dataclass(frozen=True)
class Changes:
    """What a staff edit changed, before → after: the dates, and each type's quantity (0: removed)."""

    pickup: tuple[dt.date, dt.date] | None = None
    return_date: tuple[dt.date, dt.date] | None = None
    quantities: list[tuple[EquipmentType, int, int]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pickup or self.return_date or self.quantities)


def edit(
    staff_user: User | Any,
    reservation_id: int,
    pickup: dt.date,
    return_date: dt.date,
    quantities: Mapping[int, int | None],
    day: dt.date | None = None,
) -> Reservation:
    """Staff change dates and quantities ({item_id: quantity}, 0 removes a line); every rule re-checks."""
    require_staff(staff_user)
    day = day or clock.today()
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        require(reservation.can_edit(), _("Only a reservation not yet picked up can be edited."))
        items = list(reservation.items.all())
        new_quantities = _new_quantities(items, quantities)
        needs: dict[int, int] = {}
        for item in items:
            needs[item.equipment_type_id] = needs.get(item.equipment_type_id, 0) + new_quantities[item.pk]
        needs = {k: v for k, v in needs.items() if v}
        lock_types(needs.keys())
        rules = rules_for(reservation.location)
        check_rules(
            reservation.location, rules, reservation.group, pickup, return_date, sum(needs.values()), day,
            kind=EDIT, exclude_id=reservation.pk,
        )  # fmt: skip
        last_day = hold_end(reservation.location, return_date, rules)
        ensure_fits(needs, pickup, last_day, day, reservation.pk)
        before = f"{reservation.pickup_date}–{reservation.return_date} " + ", ".join(
            f"{i.equipment_type}×{i.quantity}" for i in items
        )
        changes = Changes(
            pickup=(reservation.pickup_date, pickup) if pickup != reservation.pickup_date else None,
            return_date=(reservation.return_date, return_date)
            if return_date != reservation.return_date
            else None,
            quantities=[
                (item.equipment_type, item.quantity, new_quantities[item.pk])
                for item in items
                if new_quantities[item.pk] != item.quantity
            ],
        )
        # 変更前 → 変更後, in no language: the history reads it in any (before the items change: a deleted
        # item has no pk left).
        after = f"{pickup}–{return_date} " + ", ".join(
            f"{i.equipment_type}×{new_quantities[i.pk]}" for i in items if new_quantities[i.pk]
        )
        for item in items:
            if new_quantities[item.pk] == 0:
                item.delete()
            elif new_quantities[item.pk] != item.quantity:
                item.quantity = new_quantities[item.pk]
                item.save(update_fields=["quantity"])
        reservation.pickup_date, reservation.return_date = pickup, return_date
        reservation.hold_until = last_day
        reservation.save(update_fields=["pickup_date", "return_date", "hold_until", "updated_at"])
        audit.record(staff_user, "lending.edit", reservation, f"{before} → {after}")
        if changes:
            emails.changed(reservation, changes)  # the group reads what changed: before → after
    return reservation


def free_besides(
    reservation: Reservation, items: list[ReservationItem], day: dt.date | None = None
) -> list[tuple[ReservationItem, int]]:
    """[(item, fewest units of its type free on any day of the loan, this reservation not counted)]."""
    day = day or clock.today()
    needs = needs_of_reservation(reservation)
    per_day = availability.free_by_day(
        needs.keys(),
        reservation.pickup_date,
        reservation.hold_until,
        day,
        exclude_reservation_id=reservation.pk,
    )
    free = {tid: min(days.values(), default=0) for tid, days in per_day.items()}
    return [(item, max(free.get(item.equipment_type_id, 0), 0)) for item in items]
