"""Blocks the rooms add to the profile page and the staff dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kyodo.rooms import services
from kyodo.rooms.models import RoomBooking


def profile(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    if not request.user.is_authenticated:
        return []
    bookings = (
        RoomBooking.objects.visible_to(request.user)
        .active()
        .future(services.clock.today())
        .select_related("room", "group")
        .order_by("date", "pk")
    )
    if request.user.is_staff:
        bookings = bookings.filter(requested_by=request.user)
    return [("rooms/sections/bookings.html", {"bookings": bookings[:20]})]


def staff(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """The staff home: 使用申請 waiting for a decision, and the rooms' staff pages."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return []
    return [("rooms/sections/staff.html", {"applied": RoomBooking.objects.applied().count()})]
