"""How a write takes a coordinator's time: lock, re-check the slot from committed data, pick, save.

Never a double booking: each write that takes time runs in a transaction that first locks the rows of
the coordinators it may take — those of the location and weekday asked for, or the one staff chose
(core.locking: SELECT … FOR UPDATE in id order on PostgreSQL, `Busy` → 409 past the lock timeout; on
SQLite the IMMEDIATE transaction already holds the database's write lock), then recomputes the slot
from committed data, then writes.
On PostgreSQL an exclusion constraint is the safety net (migration 0002).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.consultations import slots as slotlib
from kyodo.consultations.models import (
    Consultation,
    CoordinatorException,
    CoordinatorHours,
    CoordinatorProfile,
)
from kyodo.consultations.services.checks import refusal
from kyodo.core import calendar, locking
from kyodo.core.errors import Unavailable
from kyodo.core.models import Location, User


def coordinators_for(
    location: Location, start: dt.datetime, coordinator: User | None = None
) -> QuerySet[User]:
    """The coordinators a booking at `location` and `start` may take: the one staff chose, else those
    with weekly hours there on that weekday or extra hours there that day. Nobody else's row is locked,
    so bookings at another location (or on another weekday) never queue behind this one."""
    users = get_user_model().objects.filter(is_coordinator=True)
    if coordinator is not None:
        return users.filter(pk=coordinator.pk)
    day = timezone.localdate(start)
    weekly = CoordinatorHours.objects.filter(location=location, weekday=day.weekday())
    extra = CoordinatorException.objects.filter(
        location=location, date=day, kind=CoordinatorException.Kind.EXTRA
    )
    return users.filter(Q(pk__in=weekly.values("coordinator_id")) | Q(pk__in=extra.values("coordinator_id")))


def lock_coordinators(
    location: Location, start: dt.datetime, coordinator: User | None = None, now: dt.datetime | None = None
) -> list[int]:
    """Lock the rows of the coordinators this booking may take (core.locking: inside a transaction only,
    in id order, `Busy` past the lock timeout), then let their lapsed 仮受付 lapse: the slots already
    ignore them, and the PostgreSQL constraint must too. Returns their ids."""
    ids = [user.pk for user in locking.lock(coordinators_for(location, start, coordinator))]
    lapsed = Consultation.objects.to_lapse(now or timezone.now()).filter(coordinator_id__in=ids)
    lapsed.update(status=Consultation.Status.CANCELLED, confirm_token_hash="")
    return ids


def _slot_at(
    location: Location,
    start: dt.datetime,
    now: dt.datetime,
    exclude_booking_id: int | None = None,
    ignore_notice: bool = False,
    coordinator_ids: list[int] | None = None,
) -> slotlib.Slot | None:
    day = timezone.localdate(start)
    for slot in slotlib.slots_for(
        location,
        day,
        day,
        now,
        exclude_booking_id=exclude_booking_id,
        ignore_notice=ignore_notice,
        coordinator_ids=coordinator_ids,
    ):
        if slot.start == start:
            return slot
    return None


def taken_message() -> str:
    return _("Sorry, this time was just taken. Please choose another time.")


def pick_coordinator(slot: slotlib.Slot, prefer: int | None = None) -> int:
    """The preferred coordinator if free, else the one with the fewest bookings that day (then by id)."""
    if prefer is not None and prefer in slot.coordinator_ids:
        return prefer
    local = timezone.localtime(slot.start)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = {pk: 0 for pk in slot.coordinator_ids}
    held = Consultation.objects.active().starting_between(day_start, day_start + dt.timedelta(days=1))
    for pk in held.filter(coordinator_id__in=slot.coordinator_ids).values_list("coordinator_id", flat=True):
        counts[pk] += 1
    return min(slot.coordinator_ids, key=lambda pk: (counts[pk], pk))


def find_free_slot(
    location: Location,
    start: dt.datetime,
    now: dt.datetime,
    by_staff: bool,
    coordinator: User | None = None,
    exclude_booking_id: int | None = None,
) -> slotlib.Slot:
    """The slot at `start` with at least one free coordinator (`coordinator`, when staff chose one)."""
    ids = [coordinator.pk] if coordinator is not None else None
    slot = _slot_at(location, start, now, exclude_booking_id, ignore_notice=by_staff, coordinator_ids=ids)
    if slot is None:
        raise ValidationError(
            {"start": _("This time cannot be booked. Please choose one of the times shown.")}
        )
    if not slot.free:
        raise Unavailable(taken_message())
    return slot


def save_holding(consultation: Consultation, update_fields: list[str] | None = None) -> None:
    """Save a booking that holds time; the PostgreSQL constraint turns a missed overlap into 409."""
    try:
        with transaction.atomic():
            consultation.save(update_fields=update_fields)
    except IntegrityError as exc:
        if "consultation_no_overlap" in str(exc):
            raise Unavailable(taken_message()) from exc
        raise


def meeting_url_of(coordinator_id: int) -> str:
    profile = CoordinatorProfile.objects.filter(coordinator_id=coordinator_id).first()
    return profile.meeting_url if profile else ""


# --- 仮受付: how long a hold lasts, and how much of a day holds may take -----------------------------


def hold_end(location: Location, start: dt.datetime, now: dt.datetime, by_phone: bool) -> dt.datetime:
    """When a new 仮受付 lapses: KYODO_CONSULTATION_HOLD_MINUTES after booking for the mail's link; for a
    phone number alone (staff call back), the end of the next open day. Never after its own start."""
    end = now + dt.timedelta(minutes=settings.CONSULTATION_HOLD_MINUTES)
    if by_phone:
        day = calendar.next_open_day(location, timezone.localdate(now))
        if day is not None:
            closes = calendar.calendar_for(location, day, day).day(day).closes or dt.time(23, 59)
            end = dt.datetime.combine(day, closes, tzinfo=slotlib.TOKYO)
    return min(end, start)


def check_hold_share(location: Location, start: dt.datetime, now: dt.datetime) -> None:
    """Unconfirmed holds may take at most half of a location's slots of one day: one anonymous client
    cannot fill a day with 仮受付. Runs under the coordinators' lock, so parallel holds count each other."""
    if not settings.RATE_LIMITS_ON:
        return
    day = timezone.localdate(start)
    taken = Consultation.objects.taking_time(now).at_location(location).on_days(day, day)
    held = list(taken.filter(status=Consultation.Status.PENDING).values_list("held_until", flat=True))
    free = sum(slot.free for slot in slotlib.slots_for(location, day, day, now, ignore_notice=True))
    if held and len(held) * 2 >= free + taken.count():
        retry = max(1, int((min(h for h in held if h is not None) - now).total_seconds()))
        raise refusal(_("Many bookings for this day are waiting for confirmation."), location, retry, now)
