"""A group asks to keep its loan longer; staff decide. An extension meets every rule a new request
meets (rules.check_rules, kind=EXTENSION), when it is asked and again when staff approve it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.locking import lock_one
from kyodo.core.models import User
from kyodo.lending import emails
from kyodo.lending.inputs import ExtensionInput
from kyodo.lending.models import ExtensionRequest, LendingRules, Reservation
from kyodo.lending.services import clock
from kyodo.lending.services.rules import (
    EXTENSION,
    Needs,
    can_view,
    check_horizon,
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


def check_extension(
    reservation: Reservation, new_return_date: dt.date, day: dt.date
) -> tuple[Needs, LendingRules]:
    """The rules of a new request for the loan as it would be: longest loan, open days, horizon, units
    per request and per group (this reservation not counted twice). Returns its needs and rules."""
    require(reservation.can_extend(), _("Only an approved reservation or a loan can be extended."))
    if new_return_date <= reservation.return_date:
        raise ValidationError({"new_return_date": [_("The new return date must be after the current one.")]})
    needs = needs_of_reservation(reservation)
    rules = rules_for(reservation.location)
    check_rules(
        reservation.location, rules, reservation.group, reservation.pickup_date, new_return_date,
        sum(needs.values()), day, kind=EXTENSION, exclude_id=reservation.pk,
    )  # fmt: skip
    return needs, rules


def request_extension(
    user: User | Any,
    reservation_id: int,
    new_return_date: dt.date,
    reason: str = "",
    day: dt.date | None = None,
) -> ExtensionRequest:
    """The group asks for a later return date: every rule is checked now, the free units when staff
    decide."""
    day = day or clock.today()
    with transaction.atomic():
        reservation = locked_reservation(reservation_id)
        if not can_view(user, reservation):
            raise Http404
        require(reservation.can_extend(), _("Only an approved reservation or a loan can be extended."))
        data = ExtensionInput.parse({"new_return_date": new_return_date, "reason": reason or ""})
        check_horizon(day, new_return_date=data.new_return_date)
        if reservation.extensions.pending().exists():
            raise ValidationError({"new_return_date": [_("An extension is already waiting for staff.")]})
        check_extension(reservation, data.new_return_date, day)
        extension = ExtensionRequest.objects.create(
            reservation=reservation,
            new_return_date=data.new_return_date,
            reason=data.reason,
            requested_by=user,
        )
        emails.extension_requested(extension)
    return extension


def decide_extension(
    staff_user: User | Any, extension_id: int, approve_it: bool, day: dt.date | None = None
) -> ExtensionRequest:
    """Staff approve an extension if every rule still holds and the units stay free until the new
    hold end, or decline it."""
    require_staff(staff_user)
    day = day or clock.today()
    with transaction.atomic():
        extension = lock_one(ExtensionRequest.objects.filter(pk=extension_id))
        if extension is None:
            raise Http404
        reservation = locked_reservation(extension.reservation_id)
        if not extension.is_pending():
            raise ValidationError({"status": [_("This extension was already decided.")]})
        if approve_it:
            lock_types(needs_of_reservation(reservation).keys())
            # Inside the lock: the rules or the group's other loans may have changed since it was asked.
            needs, rules = check_extension(reservation, extension.new_return_date, day)
            last_day = hold_end(reservation.location, extension.new_return_date, rules)
            ensure_fits(needs, reservation.pickup_date, last_day, day, reservation.pk)
            reservation.return_date, reservation.hold_until = extension.new_return_date, last_day
            reservation.save(update_fields=["return_date", "hold_until", "updated_at"])
            reservation.units.filter(returned_at__isnull=True).update(end=last_day)
            extension.status = ExtensionRequest.Status.APPROVED
        else:
            extension.status = ExtensionRequest.Status.DECLINED
        extension.decided_at = timezone.now()
        extension.save(update_fields=["status", "decided_at"])
        audit.record(
            staff_user, f"lending.extension.{extension.status}", reservation, str(extension.new_return_date)
        )
        emails.extension_decided(extension)
    return extension
