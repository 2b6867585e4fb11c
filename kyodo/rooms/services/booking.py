"""The 仮予約: a room's 区分 on one day held at once, under the room's lock, never twice.

The opening-rush path reads only: the room, its location's rules and 区分 (cached per request), the
calendar of one day, the held rows of that room and day (the constraint's index), the room's blocks of
that day, and the group's own bookings for its limits (by the group index). Nothing scans all bookings."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import calendar
from kyodo.core.dates import format_date
from kyodo.core.errors import Unavailable
from kyodo.core.locking import lock_one
from kyodo.core.models import Location, User
from kyodo.groups.models import Group
from kyodo.groups.services import is_member
from kyodo.rooms import emails
from kyodo.rooms.inputs import BookingInput
from kyodo.rooms.models import (
    EXCLUDED_USES,
    FeeCategory,
    Period,
    Room,
    RoomBlock,
    RoomBooking,
    RoomBookingPeriod,
    RoomSettings,
)
from kyodo.rooms.services import clock, fees, window
from kyodo.rooms.services.common import require


def resolve_room(room_id: int) -> Room:
    room = Room.objects.active().select_related("location").filter(pk=room_id).first()
    if room is None:
        raise ValidationError({"room": [_("There is no bookable room %(id)s.") % {"id": room_id}]})
    return room


def resolve_periods(location: Location, codes: Sequence[str]) -> list[Period]:
    """The 区分 named by their codes, in order; they must be consecutive (全日 is all of them)."""
    periods = window.periods_of(location)
    by_code = {p.code: p for p in periods}
    wanted = list(dict.fromkeys(codes))
    if "all" in wanted or "full" in wanted:
        return periods
    unknown = [c for c in wanted if c not in by_code]
    if unknown:
        message = _("Unknown period: %(codes)s.") % {"codes": ", ".join(unknown[:5])}
        raise ValidationError({"periods": [ValidationError(message, code="unknown")]})
    positions = sorted(periods.index(by_code[c]) for c in wanted)
    if positions != list(range(positions[0], positions[0] + len(positions))):
        raise ValidationError(
            {
                "periods": [
                    ValidationError(
                        _("Please choose consecutive periods of the day."), code="not_consecutive"
                    )
                ]
            }
        )
    return [periods[i] for i in positions]


def check_use(use: str) -> None:
    if use in EXCLUDED_USES:
        raise ValidationError(
            {
                "use": [
                    ValidationError(
                        _("The terms of use exclude commercial, religious and political use of the rooms."),
                        code="excluded_use",
                    )
                ]
            }
        )


def check_terms(user: Any, accepted: bool) -> None:
    if not accepted and not user.is_staff:
        raise ValidationError(
            {"terms_accepted": [ValidationError(_("Please accept the terms of use."), code="terms")]}
        )


def check_capacity(room: Room, attendees: int | None) -> None:
    if attendees is not None and attendees > room.capacity:
        raise ValidationError(
            {
                "attendees": [
                    ValidationError(
                        _("%(room)s holds at most %(n)s people.") % {"room": room.name, "n": room.capacity},
                        code="capacity",
                    )
                ]
            }
        )


def who_books(user: Any, room: Room, group_id: int | None) -> tuple[Group | None, str]:
    """(group, fee category) of a booking by `user`, or PermissionDenied / ValidationError."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(_("Please sign in to book a room."))
    if group_id is None:
        if user.is_staff:
            return None, FeeCategory.CENTER
        if room.open_to_accounts():
            return None, FeeCategory.GENERAL
        raise ValidationError(
            {"group": [ValidationError(_("Please choose the group you book for."), code="group_required")]}
        )
    group = Group.objects.filter(pk=group_id).first()
    if group is None:
        raise ValidationError({"group": [_("There is no group %(id)s.") % {"id": group_id}]})
    if not user.is_staff and not is_member(user, group):
        raise PermissionDenied(_("Only members of the group may book rooms for it."))
    if not group.is_approved:
        message = _("Only registered groups may book rooms; this group's registration is not approved.")
        raise ValidationError({"group": [ValidationError(message, code="group_not_registered")]})
    return group, FeeCategory.REGISTERED


def check_limits(rules: RoomSettings, group: Group, day: dt.date, n_periods: int, today: dt.date) -> None:
    """The location's limits per group, each refused with a message naming the rule."""
    if rules.max_periods_per_month:
        used = (
            RoomBookingPeriod.objects.active()
            .filter(booking__group=group, date__year=day.year, date__month=day.month)
            .count()
        )
        if used + n_periods > rules.max_periods_per_month:
            raise ValidationError(
                _(
                    "Limit reached: a group may book at most %(n)s periods a month at this location "
                    "(%(used)s already booked in %(month)s)."
                )
                % {"n": rules.max_periods_per_month, "used": used, "month": f"{day.year}/{day.month}"},
                code="limit_periods_per_month",
            )
    if rules.max_future_bookings:
        future = RoomBooking.objects.active().filter(group=group, date__gte=today).count()
        if future >= rules.max_future_bookings:
            raise ValidationError(
                _("Limit reached: a group may hold at most %(n)s future bookings at this location.")
                % {"n": rules.max_future_bookings},
                code="limit_future_bookings",
            )


def application_due(rules: RoomSettings, today: dt.date, day: dt.date) -> dt.date:
    """The last day to complete the 使用申請: `application_days` after today, and before the day itself."""
    return max(today, min(today + dt.timedelta(days=rules.application_days), day - dt.timedelta(days=1)))


ALREADY_TAKEN = {"code": "already_taken"}  # in the API's 409 body, whatever the language


def taken_message(periods: Sequence[Period], day: dt.date) -> str:
    names = "・".join(p.localized_name() for p in periods)
    return _("Already taken: %(periods)s on %(date)s. Please choose another period.") % {
        "periods": names,
        "date": format_date(day),
    }


@dataclass(frozen=True)
class Prepared:
    """A booking checked against every rule that needs no lock: what the review step shows."""

    data: BookingInput
    room: Room
    periods: list[Period]
    group: Group | None
    category: str
    fee: int
    override: bool
    now: dt.datetime
    win: window.Window

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)


def prepare(
    user: User | Any, data: BookingInput | Mapping[str, Any], override_window: bool = False
) -> Prepared:
    """Every rule of a 仮予約 that needs no lock (ValidationError / PermissionDenied), nothing written."""
    data = data if isinstance(data, BookingInput) else BookingInput.parse(data)
    room = resolve_room(data.room)
    location = room.location
    periods = resolve_periods(location, data.periods)
    group, category = who_books(user, room, data.group)
    override = bool(override_window and user.is_staff)
    check_use(data.use)
    check_terms(user, data.terms_accepted)
    check_capacity(room, data.attendees)
    now = clock.now()
    today = timezone.localdate(now)
    win = window.window_at(location, now)
    if override:
        require(data.date >= today, _("This day has passed."), "date", "past")
    else:
        window.check(win, data.date)
    if not calendar.is_open(location, data.date):
        raise ValidationError(
            {"date": [ValidationError(_("The center is closed on this day."), code="closed")]}
        )
    if group is not None and not override:
        check_limits(win.rules, group, data.date, len(periods), today)
    return Prepared(
        data, room, periods, group, category, fees.fee_for(room, periods, category), override, now, win
    )


def preview(user: User | Any, data: BookingInput | Mapping[str, Any]) -> Prepared:
    """The review step: every rule, and whether the 区分 are still free (Unavailable), nothing written."""
    prepared = prepare(user, data)
    _check_free(prepared)
    return prepared


def _check_free(prepared: Prepared) -> None:
    period_ids = [p.pk for p in prepared.periods]
    day = prepared.data.date
    blocked = [
        b
        for b in RoomBlock.objects.filter(room=prepared.room, date=day)
        if any(b.covers(pid) for pid in period_ids)
    ]
    if blocked:
        raise Unavailable(
            _("This room is not available then: %(reason)s.")
            % {"reason": blocked[0].reason or blocked[0].get_kind_display()}
        )
    if (
        RoomBookingPeriod.objects.active()
        .filter(room=prepared.room, date=day, period_id__in=period_ids)
        .exists()
    ):
        raise Unavailable(taken_message(prepared.periods, day), ALREADY_TAKEN)


def book(
    user: User | Any,
    data: BookingInput | Mapping[str, Any],
    *,
    override_window: bool = False,
    series: str = "",
) -> RoomBooking:
    """A 仮予約 of `data.periods` of a room on a day, for a group (or the center, or an account).

    Staff booking for a phone caller go through the same rules (the terms are read to the caller);
    `override_window` (staff only: recurring bookings, the center's events) skips the window and the
    group limits, never the calendar, the blocks or another booking. A repeat of the same submit (the
    form's one-time key, the API's Idempotency-Key) is answered by the door through kyodo.core.once."""
    p = prepare(user, data, override_window)
    data, room, periods, group = p.data, p.room, p.periods, p.group
    # A plain read first: in the opening rush most requests lose, and they are answered without queueing
    # for the room's lock (on SQLite, the database's write lock). Re-checked under the lock below.
    _check_free(p)
    with transaction.atomic():
        # The group first (its limits), then the room: the same order everywhere, so no deadlock.
        if group is not None:
            lock_one(Group.objects.filter(pk=group.pk))
        lock_one(Room.objects.filter(pk=room.pk))
        _check_free(p)
        if group is not None and not p.override:
            check_limits(p.win.rules, group, data.date, len(periods), p.today)  # again, under the lock
        booking = RoomBooking.objects.create(
            room=room,
            location=room.location,
            date=data.date,
            group=group,
            requested_by=user,
            for_center=group is None and user.is_staff,
            booked_by_staff=bool(user.is_staff),
            use=data.use,
            purpose=data.purpose.strip(),
            attendees=data.attendees,
            fee_category=p.category,
            fee=p.fee,
            fee_due=p.fee,
            application_due=application_due(p.win.rules, p.today, data.date),
            series=series,
            created_at=p.now,
        )
        booking.reference = f"RM-{booking.pk:06d}"
        booking.save(update_fields=["reference"])
        try:
            with transaction.atomic():
                RoomBookingPeriod.objects.bulk_create(
                    RoomBookingPeriod(booking=booking, room=room, date=data.date, period=period)
                    for period in periods
                )
        except IntegrityError:
            # Another request won between the check and the write (the constraint is the last word).
            raise Unavailable(taken_message(periods, data.date), ALREADY_TAKEN) from None
        if booking.for_center:
            booking.status = RoomBooking.Status.APPROVED
            booking.approved_at = p.now
            booking.save(update_fields=["status", "approved_at"])
        else:
            emails.provisional(booking)
    return booking


def new_series() -> str:
    return uuid.uuid4().hex[:12]
