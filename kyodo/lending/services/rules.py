"""The lending rules, checked the same way for a new request, a staff edit and an extension, and the
helpers every use case shares (the lock, the locked reservation, the staff check).

Taking units always goes: open a transaction, lock the equipment type rows (core.locking: primary-key
order, inside the transaction only, a lock timeout → Busy), re-check the per-day counts inside the lock,
write, commit. Freeing units (decline, cancel, return) needs no lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from kyodo.core import audit, calendar
from kyodo.core.dates import format_date
from kyodo.core.errors import Unavailable
from kyodo.core.i18n import in_language
from kyodo.core.locking import lock, lock_one
from kyodo.core.models import Location, User
from kyodo.groups.models import Group
from kyodo.groups.services import is_member
from kyodo.lending import availability
from kyodo.lending.inputs import LineInput, RequestInput, line_data
from kyodo.lending.models import (
    EquipmentType,
    Kit,
    KitItem,
    LendingRules,
    Reservation,
    ReservationItem,
)

HORIZON_DAYS = 366
Kind = Literal["request", "edit", "extension"]
REQUEST: Final = "request"
EDIT: Final = "edit"
EXTENSION: Final = "extension"
Resolved = list[tuple[EquipmentType, int, Kit | None]]
Needs = dict[int, int]


@dataclass
class Line:
    """One line of a request: an equipment type or a kit, and how many."""

    quantity: int
    equipment_type_id: int | None = None
    kit_id: int | None = None


def rules_for(location: Location) -> LendingRules:
    return LendingRules.for_location(location)


def hold_end(location: Location, return_date: dt.date, rules: LendingRules) -> dt.date:
    """The last day units are held: the K-th open day after return (the inspection buffer)."""
    if rules.inspection_days == 0:
        return return_date
    return calendar.add_open_days(location, return_date, rules.inspection_days) or return_date


def earliest_pickup(location: Location, rules: LendingRules, day: dt.date) -> dt.date | None:
    """The first day a request made on `day` may be picked up (rule "open days ahead")."""
    return calendar.add_open_days(location, day, rules.min_days_ahead) if rules.min_days_ahead else day


# --- The input --------------------------------------------------------------------------------------


def parse_request(
    lines: Sequence[Line],
    pickup: dt.date,
    return_date: dt.date,
    purpose: str = "",
    audience_size: int | None = None,
) -> RequestInput:
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


def resolve_lines(lines: Sequence[LineInput]) -> Resolved:
    """[(EquipmentType, quantity, Kit or None)] from parsed lines; unknown or hidden items are a 422."""
    resolved: Resolved = []
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
            equipment_type = None
            if line.equipment is not None:  # parse_request refuses a line naming neither
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
    if len({equipment_type.location_id for equipment_type, _q, _k in resolved}) > 1:
        raise ValidationError({"items": [_("All items of one request must be lent from the same location.")]})
    return resolved


def needs_of(resolved: Resolved) -> Needs:
    needs: Needs = {}
    for equipment_type, quantity, _kit in resolved:
        needs[equipment_type.pk] = needs.get(equipment_type.pk, 0) + quantity
    return needs


def needs_of_reservation(reservation: Reservation) -> Needs:
    needs: Needs = {}
    for type_id, quantity in reservation.items.values_list("equipment_type_id", "quantity"):
        needs[type_id] = needs.get(type_id, 0) + quantity
    return needs


# --- The rules --------------------------------------------------------------------------------------


def check_group(group: Group, day: dt.date) -> None:
    if not group.is_approved:
        raise ValidationError({"group": [_("Only approved groups may borrow equipment.")]})
    if Reservation.objects.filter(group=group).overdue(day).exists():
        raise ValidationError(
            {"group": [_("Your group has an overdue loan. Please return it before making a new request.")]}
        )


def check_horizon(day: dt.date, **dates: dt.date) -> None:
    """Dates more than a year ahead (or behind) are refused before any calendar arithmetic."""
    errors = {}
    for field, value in dates.items():
        if abs((value - day).days) > HORIZON_DAYS:
            errors[field] = [_("Please choose a date within a year from today.")]
    if errors:
        raise ValidationError(errors)


def check_rules(
    location: Location,
    rules: LendingRules,
    group: Group | None,
    pickup: dt.date,
    return_date: dt.date,
    total_units: int,
    day: dt.date,
    kind: Kind = REQUEST,
    exclude_id: int | None = None,
) -> None:
    """Every date and quantity rule, each a message naming the rule. Raises ValidationError.

    The one check for a new request, a staff edit (kind=EDIT: no "open days ahead", but not in the
    past) and an extension (kind=EXTENSION: the pickup is settled, every rule about the return date and
    the quantities applies). `exclude_id` is the reservation being changed, so it does not count twice.
    An extension's errors name the field "new_return_date", the field its form has."""
    return_field = "new_return_date" if kind == EXTENSION else "return_date"
    if kind == EXTENSION:
        check_horizon(day, new_return_date=return_date)
    else:
        check_horizon(day, pickup_date=pickup, return_date=return_date)
    errors: dict[str, list[str]] = {}
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
    if not errors and total_units and group is not None:
        held = group_units_between(group, pickup, return_date, exclude_id)
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


def group_units_between(group: Group, start: dt.date, end: dt.date, exclude_id: int | None = None) -> int:
    """Units the group has requested or borrowed for some day in [start, end] (the largest day)."""
    rows = ReservationItem.objects.filter(
        reservation__group=group,
        reservation__status__in=Reservation.OPEN,
        reservation__pickup_date__lte=end,
        reservation__return_date__gte=start,
    )
    if exclude_id is not None:
        rows = rows.exclude(reservation_id=exclude_id)
    per_day: dict[dt.date, int] = {}
    for quantity, first, last in rows.order_by().values_list(
        "quantity", "reservation__pickup_date", "reservation__return_date"
    ):
        for day in availability.days_between(max(first, start), min(last, end)):
            per_day[day] = per_day.get(day, 0) + quantity
    return max(per_day.values(), default=0)


def ensure_fits(
    needs: Mapping[int, int],
    start: dt.date,
    end: dt.date,
    day: dt.date,
    exclude_reservation_id: int | None = None,
) -> None:
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


# --- Shared by the use cases ------------------------------------------------------------------------


def lock_types(type_ids: Iterable[int]) -> list[EquipmentType]:
    """Lock the equipment types whose units are taken or freed (core.locking: pk order, no deadlock)."""
    return lock(EquipmentType.objects.filter(pk__in=list(type_ids)))


def locked_reservation(reservation_id: int) -> Reservation:
    reservation = lock_one(Reservation.objects.filter(pk=reservation_id))
    if reservation is None:
        raise Http404
    return reservation


def require_staff(user: User | Any) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise PermissionDenied


def require(allowed: bool, message: str) -> None:
    """`allowed` is the model's answer (reservation.can_approve() …): the status sets live there."""
    if not allowed:
        raise ValidationError({"status": [message]})


def can_view(user: User | Any, reservation: Reservation) -> bool:
    return user.is_authenticated and (user.is_staff or is_member(user, reservation.group))


RULE_FIELDS = [
    "min_days_ahead",
    "max_days",
    "inspection_days",
    "max_units_per_request",
    "max_units_per_group",
    "pickup_hours",
    "return_hours",
    "what_to_bring",
    "what_to_bring_en",
    "liability",
    "liability_en",
]


@dataclass(frozen=True)
class RulesSummary:
    """The rules as a group reads them before asking (the catalogue, the request form): every number
    check_rules applies, and the practical ones, with the defaults filled in for blank settings."""

    location: Location
    max_days: int
    min_days_ahead: int
    inspection_days: int
    max_units_per_request: int
    max_units_per_group: int
    earliest_pickup: dt.date | None
    pickup_hours: str
    return_hours: str
    what_to_bring: str
    liability: str


def opening_hours_text(location: Location) -> str:
    """ "10:00–17:00" when every open weekday has the same hours, else "during the opening hours"."""
    spans = {(h.opens, h.closes) for h in location.opening_hours.all()}
    if len(spans) == 1:
        opens, closes = spans.pop()
        return f"{opens:%H:%M}–{closes:%H:%M}"
    return _("During the center's opening hours")


def summary(location: Location, day: dt.date) -> RulesSummary:
    """What a group is told of `location`'s lending rules on `day` (in the active language)."""
    rules = rules_for(location)
    hours = opening_hours_text(location)
    return RulesSummary(
        location=location,
        max_days=rules.max_days,
        min_days_ahead=rules.min_days_ahead,
        inspection_days=rules.inspection_days,
        max_units_per_request=rules.max_units_per_request,
        max_units_per_group=rules.max_units_per_group,
        earliest_pickup=earliest_pickup(location, rules, day),
        pickup_hours=rules.pickup_hours or hours,
        return_hours=rules.return_hours or hours,
        what_to_bring=in_language(rules, "what_to_bring")
        or _(
            "An ID of the person who picks up (a driving licence, an insurance card…) and a bag to carry it."
        ),
        liability=in_language(rules, "liability")
        or _(
            "The borrowing group is responsible for the equipment until it is returned: loss or damage "
            "beyond normal wear is repaired or replaced at the group's cost. Tell the counter at once if "
            "something breaks or goes missing."
        ),
    )


def summaries(day: dt.date) -> list[RulesSummary]:
    """The summary of each location that lends something (the catalogue)."""
    ids = EquipmentType.objects.active().values_list("location_id", flat=True)
    return [
        summary(location, day) for location in Location.objects.filter(pk__in=ids).order_by("order", "pk")
    ]


def update_rules(staff_user: User, location: Location, data: Mapping[str, Any]) -> LendingRules:
    """Staff set a location's lending rules; they apply to requests and changes from now on."""
    require_staff(staff_user)
    with transaction.atomic():
        LendingRules.objects.get_or_create(location=location)
        rules = lock_one(LendingRules.objects.filter(location=location))
        assert rules is not None  # noqa: S101  created just above in this transaction; narrows the type only
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
