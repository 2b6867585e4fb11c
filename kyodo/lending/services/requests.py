"""A group's loan request: the preview before sending, the request itself, and its cancellation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.locking import lock_one
from kyodo.core.models import User
from kyodo.groups.models import Group
from kyodo.groups.services import is_member
from kyodo.lending import availability, emails
from kyodo.lending.models import EquipmentType, Reservation, ReservationItem
from kyodo.lending.services import clock
from kyodo.lending.services.rules import (
    Line,
    can_view,
    check_group,
    check_rules,
    ensure_fits,
    hold_end,
    lock_types,
    locked_reservation,
    needs_of,
    parse_request,
    require,
    resolve_lines,
    rules_for,
)


@dataclass(frozen=True)
class Borrowers:
    """Who the person may request for: their approved groups, and their groups still under review
    (審査中: they are told so, not invited to register a group again)."""

    approved: list[Group]
    pending: list[Group]


def borrowers(user: User | Any) -> Borrowers:
    groups = Group.objects.of_member(user).order_by("name")
    return Borrowers(approved=list(groups.approved()), pending=list(groups.pending()))


def preview(
    group: Group | None,
    lines: Sequence[Line],
    pickup: dt.date,
    return_date: dt.date,
    day: dt.date | None = None,
) -> list[tuple[EquipmentType, int, int]]:
    """What a member sees before sending: every rule checked (ValidationError), nothing written.

    Returns [(EquipmentType, quantity needed, fewest free on any day of the loan and inspection)]."""
    day = day or clock.today()
    data = parse_request(lines, pickup, return_date)
    resolved = resolve_lines(data.items)
    location = resolved[0][0].location
    rules = rules_for(location)
    if group is not None:
        check_group(group, day)
    needs = needs_of(resolved)
    check_rules(location, rules, group, pickup, return_date, sum(needs.values()), day)
    free = availability.free_by_day(needs.keys(), pickup, hold_end(location, return_date, rules), day)
    types = {t.pk: t for t, _q, _k in resolved}
    return [(types[tid], quantity, max(min(free[tid].values()), 0)) for tid, quantity in needs.items()]


def create_request(
    user: User | Any,
    group: Group,
    lines: Sequence[Line],
    pickup: dt.date,
    return_date: dt.date,
    purpose: str,
    audience_size: int | None = None,
    day: dt.date | None = None,
) -> Reservation:
    """A member of an approved group requests equipment. Holds the units at once, or raises."""
    day = day or clock.today()
    if not user.is_authenticated or not (user.is_staff or is_member(user, group)):
        raise PermissionDenied(_("Only members of the group may request equipment for it."))
    data = parse_request(lines, pickup, return_date, purpose, audience_size)
    purpose = data.purpose.strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Please tell us what the equipment is for.")]})
    resolved = resolve_lines(data.items)
    location = resolved[0][0].location
    needs = needs_of(resolved)
    with transaction.atomic():
        # The group first (its limits and overdue loans), then the types: the same order everywhere.
        group = lock_one(Group.objects.filter(pk=group.pk)) or group
        lock_types(needs.keys())
        rules = rules_for(location)
        check_group(group, day)
        check_rules(location, rules, group, pickup, return_date, sum(needs.values()), day)
        last_day = hold_end(location, return_date, rules)
        ensure_fits(needs, pickup, last_day, day)
        reservation = Reservation.objects.create(
            group=group,
            requested_by=user,
            location=location,
            pickup_date=pickup,
            return_date=return_date,
            hold_until=last_day,
            purpose=purpose,
            audience_size=data.audience_size,
        )
        ReservationItem.objects.bulk_create(
            ReservationItem(
                reservation=reservation, equipment_type=t, quantity=q, kit=k, **reservation.item_copies()
            )
            for t, q, k in resolved
        )
        emails.request_received(reservation)
    return reservation


def cancel(user: User | Any, reservation_id: int) -> Reservation:
    """The group (before pickup) or staff cancel a reservation; its units are free at once."""
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        if not can_view(user, reservation):
            raise Http404
        require(reservation.can_cancel(), _("Only a reservation not yet picked up can be cancelled."))
        reservation.status = Reservation.Status.CANCELLED
        reservation.cancelled_at = timezone.now()
        reservation.save(update_fields=["status", "cancelled_at", "updated_at"])
        audit.record(
            user, "lending.cancel", reservation
        )  # by the group too: the history, and the .ics SEQUENCE
        emails.cancelled(reservation)
    return reservation
