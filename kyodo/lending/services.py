"""Every lending rule, transaction and lock. Pages, the API, commands and the admin call only these.

Taking units (a request, a staff edit, an extension, an approval) always goes: open a transaction, lock
the equipment type rows in primary-key order (on SQLite the IMMEDIATE transaction is already exclusive),
re-check the per-day counts inside the lock, write, commit. Freeing units (decline, cancel, return)
needs no lock.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit, calendar
from kyodo.core.dates import format_date
from kyodo.core.errors import Unavailable
from kyodo.groups.models import Group
from kyodo.groups.services import is_member
from kyodo.lending import availability, emails
from kyodo.lending.inputs import ExtensionInput, RequestInput, line_data, quantity_errors
from kyodo.lending.models import (
    EquipmentType,
    ExtensionRequest,
    Kit,
    KitItem,
    LendingRules,
    Reservation,
    ReservationItem,
    ReservationUnit,
    Unit,
)

HORIZON_DAYS = 366


def today():
    """The current date in Asia/Tokyo (a function, so tests can move time)."""
    return timezone.localdate()


@dataclass
class Line:
    """One line of a request: an equipment type or a kit, and how many."""

    quantity: int
    equipment_type_id: int | None = None
    kit_id: int | None = None


def rules_for(location):
    return LendingRules.for_location(location)


def hold_end(location, return_date, rules):
    """The last day units are held: the K-th open day after return (the inspection buffer)."""
    if rules.inspection_days == 0:
        return return_date
    return calendar.add_open_days(location, return_date, rules.inspection_days) or return_date


# --- Requests ---------------------------------------------------------------------------------------


def parse_request(lines, pickup, return_date, purpose="", audience_size=None):
    """The request as a RequestInput, or the ValidationError every door shows in the same words.

    Lines of quantity 0 are left out (a form's blank fields); none left is its own message."""
    items = [line_data(line.quantity, line.equipment_type_id, line.kit_id) for line in lines]
    items = [item for item in items if item["quantity"] != 0]
    if not items:
        raise ValidationError({"items": [_("Choose at least one item and its quantity.")]})
    data = RequestInput.parse(
        {
            "items": items,
            "pickup_date": pickup,
            "return_date": return_date,
            "purpose": purpose or "",
            "audience_size": audience_size,
        }
    )
    if any((line.equipment is None) == (line.kit is None) for line in data.items):
        raise ValidationError({"items": [_("Each item names either an equipment type or a kit.")]})
    return data


def _resolve_lines(lines):
    """[(EquipmentType, quantity, Kit or None)] from parsed LineInputs; unknown or hidden items are a 422."""
    resolved = []
    errors = []
    for line in lines:
        if line.kit is not None:
            kit = Kit.objects.filter(pk=line.kit, active=True).first()
            if kit is None:
                errors.append(_("There is no kit %(id)s.") % {"id": line.kit})
                continue
            for item in KitItem.objects.filter(kit=kit).select_related(
                "equipment_type", "equipment_type__location"
            ):
                resolved.append((item.equipment_type, item.quantity * line.quantity, kit))
        else:
            equipment_type = (
                EquipmentType.objects.filter(pk=line.equipment, active=True)
                .select_related("location")
                .first()
            )
            if equipment_type is None:
                errors.append(_("There is no equipment %(id)s.") % {"id": line.equipment})
                continue
            resolved.append((equipment_type, line.quantity, None))
    if errors:
        raise ValidationError({"items": errors})
    if not resolved:
        raise ValidationError({"items": [_("Choose at least one item and its quantity.")]})
    return resolved


def needs_of(resolved):
    needs = {}
    for equipment_type, quantity, _kit in resolved:
        needs[equipment_type.pk] = needs.get(equipment_type.pk, 0) + quantity
    return needs


def _check_group(group, day):
    if not group.is_approved:
        raise ValidationError({"group": [_("Only approved groups may borrow equipment.")]})
    if Reservation.objects.filter(group=group).overdue(day).exists():
        raise ValidationError(
            {"group": [_("Your group has an overdue loan. Please return it before making a new request.")]}
        )


def earliest_pickup(location, rules, day):
    """The first day a request made on `day` may be picked up (rule "open days ahead")."""
    return calendar.add_open_days(location, day, rules.min_days_ahead) if rules.min_days_ahead else day


REQUEST, EDIT, EXTENSION = "request", "edit", "extension"


def check_rules(location, rules, group, pickup, return_date, total_units, day, kind=REQUEST, exclude_id=None):
    """Every date and quantity rule, each a message naming the rule. Raises ValidationError.

    The one check for a new request, a staff edit (kind=EDIT: no "open days ahead", but not in the
    past) and an extension (kind=EXTENSION: the pickup is settled, every rule about the return date and
    the quantities applies). `exclude_id` is the reservation being changed, so it does not count twice.
    An extension's errors name the field "new_return_date", the field its form and API have."""
    return_field = "new_return_date" if kind == EXTENSION else "return_date"
    if kind == EXTENSION:
        check_horizon(day, new_return_date=return_date)
    else:
        check_horizon(day, pickup_date=pickup, return_date=return_date)
    errors = {}
    if return_date < pickup:
        errors.setdefault(return_field, []).append(_("The return date must be on or after the pickup date."))
    cal = calendar.calendar_for(location, min(pickup, return_date), max(pickup, return_date))
    if kind != EXTENSION and not cal.day(pickup).is_open:
        errors.setdefault("pickup_date", []).append(
            _("Pickup must be on an open day; the center is closed on %(date)s.")
            % {"date": format_date(pickup)}
        )
    if not cal.day(return_date).is_open:
        errors.setdefault(return_field, []).append(
            _("Return must be on an open day; the center is closed on %(date)s.")
            % {"date": format_date(return_date)}
        )
    if kind == REQUEST:
        earliest = earliest_pickup(location, rules, day)
        if earliest is None or pickup < earliest:
            errors.setdefault("pickup_date", []).append(
                _(
                    "Rule “open days ahead”: requests are made at least %(n)d open days before pickup; "
                    "the earliest pickup is %(date)s."
                )
                % {"n": rules.min_days_ahead, "date": format_date(earliest) if earliest else "—"}
            )
    elif kind == EDIT and pickup < day:
        errors.setdefault("pickup_date", []).append(_("The pickup date is in the past."))
    if return_date >= pickup and (return_date - pickup).days + 1 > rules.max_days:
        errors.setdefault(return_field, []).append(
            _("Rule “longest loan”: a loan lasts at most %(n)d days.") % {"n": rules.max_days}
        )
    if total_units > rules.max_units_per_request:
        errors.setdefault("items", []).append(
            _("Rule “units per request”: at most %(n)d units in one request.")
            % {"n": rules.max_units_per_request}
        )
    if not errors and total_units:
        held = _group_units_between(group, pickup, return_date, exclude_id)
        if held + total_units > rules.max_units_per_group:
            errors.setdefault("items", []).append(
                _(
                    "Rule “units per group”: a group borrows at most %(n)d units at once; "
                    "your group already has %(held)d over these dates."
                )
                % {"n": rules.max_units_per_group, "held": held}
            )
    if errors:
        raise ValidationError(errors)


def check_horizon(day, **dates):
    """Dates more than a year ahead (or behind) are refused before any calendar arithmetic."""
    errors = {}
    for field, value in dates.items():
        if abs((value - day).days) > HORIZON_DAYS:
            errors[field] = [_("Please choose a date within a year from today.")]
    if errors:
        raise ValidationError(errors)


def _group_units_between(group, start, end, exclude_id=None):
    """Units the group has requested or borrowed for some day in [start, end] (the largest day)."""
    rows = ReservationItem.objects.filter(
        reservation__group=group,
        reservation__status__in=Reservation.OPEN,
        reservation__pickup_date__lte=end,
        reservation__return_date__gte=start,
    )
    if exclude_id is not None:
        rows = rows.exclude(reservation_id=exclude_id)
    per_day = {}
    for quantity, first, last in rows.order_by().values_list(
        "quantity", "reservation__pickup_date", "reservation__return_date"
    ):
        for day in availability.days_between(max(first, start), min(last, end)):
            per_day[day] = per_day.get(day, 0) + quantity
    return max(per_day.values(), default=0)


def lock_types(type_ids):
    """Lock the equipment type rows in primary-key order (the same order everywhere: no deadlock)."""
    return list(EquipmentType.objects.select_for_update().filter(pk__in=type_ids).order_by("pk"))


def ensure_fits(needs, start, end, day, exclude_reservation_id=None):
    """Raise Unavailable naming the first type and day that does not fit. Call it inside the lock."""
    short = availability.shortfalls(needs, start, end, day, exclude_reservation_id)
    if short:
        type_id, date, free = short[0]
        name = EquipmentType.objects.get(pk=type_id).localized_name()
        raise Unavailable(
            _("Not available: %(name)s has only %(free)d free on %(date)s.")
            % {"name": name, "free": free, "date": format_date(date)},
            {"equipment": type_id, "date": date.isoformat(), "free": free},
        )


def preview(group, lines, pickup, return_date, day=None):
    """What a member sees before sending: every rule checked (ValidationError), nothing written.

    Returns [(EquipmentType, quantity needed, fewest free on any day of the loan and inspection)]."""
    day = day or today()
    data = parse_request(lines, pickup, return_date)
    resolved = _resolve_lines(data.items)
    _check_same_location(resolved)
    location = resolved[0][0].location
    rules = rules_for(location)
    if group is not None:
        _check_group(group, day)
    needs = needs_of(resolved)
    check_rules(location, rules, group, pickup, return_date, sum(needs.values()), day)
    free = availability.free_by_day(needs.keys(), pickup, hold_end(location, return_date, rules), day)
    types = {t.pk: t for t, _q, _k in resolved}
    return [(types[tid], quantity, max(min(free[tid].values()), 0)) for tid, quantity in needs.items()]


def _check_same_location(resolved):
    if len({equipment_type.location_id for equipment_type, _q, _k in resolved}) > 1:
        raise ValidationError({"items": [_("All items of one request must be lent from the same location.")]})


def create_request(user, group, lines, pickup, return_date, purpose, audience_size=None, day=None):
    """A member of an approved group requests equipment. Holds the units at once, or raises."""
    day = day or today()
    if not user.is_authenticated or not (user.is_staff or is_member(user, group)):
        raise PermissionDenied(_("Only members of the group may request equipment for it."))
    data = parse_request(lines, pickup, return_date, purpose, audience_size)
    purpose = data.purpose.strip()
    if not purpose:
        raise ValidationError({"purpose": [_("Please tell us what the equipment is for.")]})
    resolved = _resolve_lines(data.items)
    _check_same_location(resolved)
    location = resolved[0][0].location
    needs = needs_of(resolved)
    with transaction.atomic():
        group = Group.objects.select_for_update().get(pk=group.pk)
        lock_types(needs.keys())
        rules = rules_for(location)
        _check_group(group, day)
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


# --- Staff decisions -----------------------------------------------------------------------------------


def _require_staff(user):
    if not (user.is_authenticated and user.is_staff):
        raise PermissionDenied


def _locked_reservation(reservation_id):
    reservation = Reservation.objects.select_for_update().filter(pk=reservation_id).first()
    if reservation is None:
        raise Http404
    return reservation


def _needs_of_reservation(reservation):
    needs = {}
    for type_id, quantity in reservation.items.values_list("equipment_type_id", "quantity"):
        needs[type_id] = needs.get(type_id, 0) + quantity
    return needs


def _require_status(allowed, message):
    """`allowed` is the model's answer (reservation.can_approve() …): the status sets live there."""
    if not allowed:
        raise ValidationError({"status": [message]})


def approve(staff_user, reservation_id, day=None):
    """Approve a request. It already holds its units; re-check in case a unit left service since."""
    _require_staff(staff_user)
    day = day or today()
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        _require_status(reservation.can_approve(), _("Only a request waiting for review can be approved."))
        needs = _needs_of_reservation(reservation)
        lock_types(needs.keys())
        ensure_fits(needs, reservation.pickup_date, reservation.hold_until, day, reservation.pk)
        reservation.status = Reservation.Status.APPROVED
        reservation.approved_at = timezone.now()
        reservation.save(update_fields=["status", "approved_at", "updated_at"])
        audit.record(staff_user, "lending.approve", reservation)
        emails.decided(reservation)
    return reservation


def decline(staff_user, reservation_id, reason):
    _require_staff(staff_user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Please give the reason for declining.")]})
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        _require_status(reservation.can_decline(), _("Only a request not yet picked up can be declined."))
        reservation.status = Reservation.Status.DECLINED
        reservation.decline_reason = reason
        reservation.save(update_fields=["status", "decline_reason", "updated_at"])
        audit.record(staff_user, "lending.decline", reservation, reason)
        emails.decided(reservation)
    return reservation


def can_view(user, reservation):
    return user.is_authenticated and (user.is_staff or is_member(user, reservation.group))


def cancel(user, reservation_id):
    """The group (before pickup) or staff cancel a reservation; its units are free at once."""
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        if not can_view(user, reservation):
            raise Http404
        _require_status(reservation.can_cancel(), _("Only a reservation not yet picked up can be cancelled."))
        reservation.status = Reservation.Status.CANCELLED
        reservation.cancelled_at = timezone.now()
        reservation.save(update_fields=["status", "cancelled_at", "updated_at"])
        if user.is_staff:
            audit.record(user, "lending.cancel", reservation)
        emails.cancelled(reservation)
    return reservation


def edit(staff_user, reservation_id, pickup, return_date, quantities, day=None):
    """Staff change dates and quantities ({item_id: quantity}, 0 removes a line); every rule re-checks."""
    _require_staff(staff_user)
    day = day or today()
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        _require_status(reservation.can_edit(), _("Only a reservation not yet picked up can be edited."))
        items = list(reservation.items.all())
        new_quantities = {}
        for item in items:
            quantity = quantities.get(item.pk, item.quantity)
            if quantity is None or quantity < 0:
                raise ValidationError({"items": [_("The quantity must be a whole number.")]})
            if quantity_errors(quantity):  # the limit of a request's line (lending.inputs), stated once
                raise ValidationError({"items": quantity_errors(quantity)})
            new_quantities[item.pk] = quantity
        if not any(new_quantities.values()):
            raise ValidationError({"items": [_("Choose at least one item and its quantity.")]})
        needs = {}
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
        for item in items:
            if new_quantities[item.pk] == 0:
                item.delete()
            elif new_quantities[item.pk] != item.quantity:
                item.quantity = new_quantities[item.pk]
                item.save(update_fields=["quantity"])
        reservation.pickup_date, reservation.return_date, reservation.hold_until = (
            pickup,
            return_date,
            last_day,
        )
        reservation.save(update_fields=["pickup_date", "return_date", "hold_until", "updated_at"])
        audit.record(staff_user, "lending.edit", reservation, f"before: {before}")
    return reservation


# --- Extensions -----------------------------------------------------------------------------------------


def _check_extension(reservation, new_return_date, day):
    """The rules of a new request for the loan as it would be: longest loan, open days, horizon, units
    per request and per group (this reservation not counted twice). Returns the needs and rules."""
    if new_return_date <= reservation.return_date:
        raise ValidationError({"new_return_date": [_("The new return date must be after the current one.")]})
    needs = _needs_of_reservation(reservation)
    rules = rules_for(reservation.location)
    check_rules(
        reservation.location, rules, reservation.group, reservation.pickup_date, new_return_date,
        sum(needs.values()), day, kind=EXTENSION, exclude_id=reservation.pk,
    )  # fmt: skip
    return needs, rules


def request_extension(user, reservation_id, new_return_date, reason="", day=None):
    """The group asks to keep its loan longer: every rule of a request is checked now, the units when
    staff decide."""
    day = day or today()
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        if not can_view(user, reservation):
            raise Http404
        _require_status(
            reservation.can_extend(), _("Only an approved reservation or a loan can be extended.")
        )
        data = ExtensionInput.parse({"new_return_date": new_return_date, "reason": reason or ""})
        check_horizon(day, new_return_date=data.new_return_date)
        if reservation.extensions.pending().exists():
            raise ValidationError({"new_return_date": [_("An extension is already waiting for staff.")]})
        _check_extension(reservation, data.new_return_date, day)
        extension = ExtensionRequest.objects.create(
            reservation=reservation,
            new_return_date=data.new_return_date,
            reason=data.reason,
            requested_by=user,
        )
        emails.extension_requested(extension)
    return extension


def decide_extension(staff_user, extension_id, approve_it, day=None):
    """Staff approve an extension if every rule still holds and the units stay free until the new hold
    end, or decline it."""
    _require_staff(staff_user)
    day = day or today()
    with transaction.atomic():
        extension = ExtensionRequest.objects.select_for_update().filter(pk=extension_id).first()
        if extension is None:
            raise Http404
        reservation = _locked_reservation(extension.reservation_id)
        if not extension.is_pending():
            raise ValidationError({"status": [_("This extension was already decided.")]})
        if approve_it:
            _require_status(
                reservation.can_extend(), _("Only an approved reservation or a loan can be extended.")
            )
            needs = _needs_of_reservation(reservation)
            lock_types(needs.keys())
            # Re-checked inside the lock: the rules or the group's other loans may have changed since.
            needs, rules = _check_extension(reservation, extension.new_return_date, day)
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


# --- Counter: checkout and return ---------------------------------------------------------------------


def _normalise_tags(tags):
    seen = []
    for tag in tags:
        tag = (tag or "").strip()
        if tag and tag.upper() not in [t.upper() for t in seen]:
            seen.append(tag)
    return seen


def checkout(staff_user, reservation_id, asset_tags, accessories=(), day=None):
    """Hand over the units whose tags were scanned; they must match the reserved types and quantities."""
    _require_staff(staff_user)
    day = day or today()
    tags = _normalise_tags(asset_tags)
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        _require_status(reservation.can_check_out(), _("Only an approved reservation can be checked out."))
        if day < reservation.pickup_date:
            raise ValidationError(
                {
                    "tags": [
                        _("The pickup is on %(date)s, not before.")
                        % {"date": format_date(reservation.pickup_date)}
                    ]
                }
            )
        needs = _needs_of_reservation(reservation)
        lock_types(needs.keys())
        units = {tag.upper(): find_unit(tag) for tag in tags}
        errors = []
        chosen = []
        for tag in tags:
            unit = units.get(tag.upper())
            if unit is None:
                errors.append(_("Unknown asset tag: %(tag)s") % {"tag": tag})
            elif unit.equipment_type_id not in needs:
                errors.append(_("%(tag)s is not part of this reservation.") % {"tag": unit.asset_tag})
            elif not unit.is_in_service():
                errors.append(_("%(tag)s is not in service.") % {"tag": unit.asset_tag})
            else:
                busy = (
                    ReservationUnit.objects.filter(unit=unit)
                    .exclude(reservation=reservation)
                    .filter(start__lte=reservation.hold_until, end__gte=reservation.pickup_date)
                    .select_related("reservation")
                    .first()
                )
                if busy is None:
                    busy = ReservationUnit.objects.filter(unit=unit, returned_at__isnull=True).first()
                if busy is not None:
                    errors.append(
                        _("%(tag)s is on another loan or in inspection until %(date)s.")
                        % {"tag": unit.asset_tag, "date": format_date(busy.end)}
                    )
                else:
                    chosen.append(unit)
        counts = {}
        for unit in chosen:
            counts[unit.equipment_type_id] = counts.get(unit.equipment_type_id, 0) + 1
        if not errors:
            for type_id, quantity in needs.items():
                if counts.get(type_id, 0) != quantity:
                    name = EquipmentType.objects.get(pk=type_id).localized_name()
                    errors.append(
                        _("%(name)s: scan %(need)d, scanned %(got)d.")
                        % {"name": name, "need": quantity, "got": counts.get(type_id, 0)}
                    )
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
    accessories: list
    damaged: bool = False
    note: str = ""


def return_loan(staff_user, reservation_id, returned, day=None):
    """Take the loan back: checklist and condition per unit; a damaged unit goes under repair.

    Returns the reservations now short because a unit left service (for staff to act on)."""
    _require_staff(staff_user)
    day = day or today()
    by_unit = {r.unit_id: r for r in returned}
    with transaction.atomic():
        reservation = _locked_reservation(reservation_id)
        _require_status(reservation.can_return(), _("Only a loan that is out can be returned."))
        loans = list(reservation.units.filter(returned_at__isnull=True).select_related("unit"))
        errors = []
        for loan in loans:
            entry = by_unit.get(loan.unit_id)
            if entry is not None and entry.damaged and not entry.note.strip():
                errors.append(_("%(tag)s: please describe the damage.") % {"tag": loan.unit.asset_tag})
        if errors:
            raise ValidationError({"condition": errors})
        damaged = [
            loan.unit.equipment_type_id
            for loan in loans
            if getattr(by_unit.get(loan.unit_id), "damaged", False)
        ]
        if damaged:
            lock_types(damaged)  # a unit leaves service: no request may count on it meanwhile
        rules = rules_for(reservation.location)
        last_day = max(hold_end(reservation.location, day, rules), reservation.pickup_date)
        damaged_types = set()
        for loan in loans:
            entry = by_unit.get(loan.unit_id) or ReturnedUnit(loan.unit_id, [])
            loan.returned_at = timezone.now()
            loan.returned_to = staff_user
            loan.accessories_back = list(entry.accessories)
            loan.condition = (
                ReservationUnit.Condition.DAMAGED if entry.damaged else ReservationUnit.Condition.OK
            )
            loan.note = entry.note.strip()
            loan.end = last_day
            loan.save()
            if entry.damaged:
                damaged_types.add(loan.unit.equipment_type_id)
                _set_status(loan.unit, Unit.Status.UNDER_REPAIR, entry.note.strip(), day)
        reservation.status = Reservation.Status.RETURNED
        reservation.returned_at = timezone.now()
        reservation.hold_until = last_day
        reservation.save(update_fields=["status", "returned_at", "hold_until", "updated_at"])
        audit.record(staff_user, "lending.return", reservation)
        short = short_reservations(damaged_types, day) if damaged_types else []
    return short


# --- Units ---------------------------------------------------------------------------------------------


def _set_status(unit, status, note, day):
    unit.status = status
    if note:
        stamp = format_date(day)
        unit.condition_notes = (
            unit.condition_notes + "\n" if unit.condition_notes else ""
        ) + f"{stamp}: {note}"
    unit.save(update_fields=["status", "condition_notes"])


def set_unit_status(staff_user, unit_id, status, note="", day=None):
    """Change a unit's status; taking one out of service returns the future reservations now short."""
    _require_staff(staff_user)
    day = day or today()
    if status not in Unit.Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    with transaction.atomic():
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        lock_types([unit.equipment_type_id])
        unit = Unit.objects.get(pk=unit_id)
        _set_status(unit, status, (note or "").strip(), day)
        audit.record(staff_user, "lending.unit_status", unit, f"{status} {note}".strip())
        return short_reservations([unit.equipment_type_id], day)


def short_reservations(type_ids, day, horizon_days=366):
    """Requested or approved reservations from `day` on that cover a day where a type is overbooked."""
    end = day + dt.timedelta(days=horizon_days)
    type_ids = list(type_ids)
    capacity = availability.units_in_service(type_ids)
    rows = availability.hold_rows(type_ids, day, end, day)
    held = {}
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


def find_unit(tag):
    tag = (tag or "").strip()
    return (
        Unit.objects.filter(asset_tag__iexact=tag).select_related("equipment_type").first() if tag else None
    )


RULE_FIELDS = [
    "min_days_ahead",
    "max_days",
    "inspection_days",
    "max_units_per_request",
    "max_units_per_group",
]


def update_rules(staff_user, location, data):
    """Staff set a location's lending rules; they apply to requests and changes from now on."""
    _require_staff(staff_user)
    with transaction.atomic():
        rules, _created = LendingRules.objects.select_for_update().get_or_create(location=location)
        changed = []
        for field in RULE_FIELDS:
            if field in data and getattr(rules, field) != data[field]:
                changed.append(f"{field}: {getattr(rules, field)} → {data[field]}")
                setattr(rules, field, data[field])
        rules.full_clean()
        rules.save()
        if changed:
            audit.record(staff_user, "lending.rules", rules, "; ".join(changed))
    return rules
