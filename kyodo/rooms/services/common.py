"""What every rooms use case shares: who may see or act on a booking, its locked row, refusals."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from kyodo.core.locking import lock_one
from kyodo.groups.services import is_member
from kyodo.rooms.models import RoomBooking


def can_view(user: Any, booking: RoomBooking) -> bool:
    """Staff, members of the booking's group, or the person who booked without a group."""
    if not user or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    if booking.group_id is None:
        return booking.requested_by_id == user.pk
    return bool(booking.group and is_member(user, booking.group))


def locked_booking(booking_id: int) -> RoomBooking:
    """The booking's row, locked (call inside transaction.atomic()); 404 when there is none."""
    booking = lock_one(RoomBooking.objects.filter(pk=booking_id).select_related("room", "location"))
    if booking is None:
        raise Http404
    return booking


def visible_locked(user: Any, booking_id: int) -> RoomBooking:
    booking = locked_booking(booking_id)
    if not can_view(user, booking):
        raise Http404
    return booking


def require(condition: bool, message: Any, field: str | None = None, code: str = "invalid") -> None:
    if not condition:
        error = ValidationError(str(message), code=code)
        raise ValidationError({field: [error]}) if field else error
