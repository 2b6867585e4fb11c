"""The rooms API: rooms and their availability (public), room bookings (bearer token or session).

Every write goes through kyodo.rooms.services; errors map as in kyodo.api.api: 422 a rule or the input
(the message names the rule), 403, 404, 409 a 区分 already taken (or busy: retry). `Idempotency-Key`
(optional) on POST /room-bookings: a repeat with the same key by the same person returns the first
booking, with the same 201."""

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kyodo.api.auth import REQUIRED
from kyodo.core import once
from kyodo.core.inputs import BoundedDate
from kyodo.rooms import services
from kyodo.rooms.inputs import BookingInput, ReasonInput
from kyodo.rooms.models import Room, RoomBooking

router = Router(tags=["rooms"])


class Error(Schema):
    detail: str


class RoomOut(Schema):
    id: int
    name: str
    name_en: str
    location: str
    location_id: int
    capacity: int
    bookable_by: str


class RoomDetailOut(RoomOut):
    equipment: list[str]
    accessibility: str
    allowed_uses: str
    periods: list[dict[str, str]]


class RoomPage(Schema):
    items: list[RoomOut]
    count: int


class PeriodStateOut(Schema):
    code: str
    name: str
    start: str
    end: str
    state: str = Field(..., description="free, taken, closed or not_open_yet")
    opens_at: str | None = None
    reason: str = ""


class DayOut(Schema):
    date: dt.date
    periods: list[PeriodStateOut]


class AvailabilityOut(Schema):
    days: list[DayOut]


class RangeIn(Schema):
    start: BoundedDate
    end: BoundedDate


class BookingIn(BookingInput):
    """The body: room, date, periods (codes; "all" for 全日), group, purpose, attendees. Calling the API
    accepts the location's terms of use unless `terms_accepted` is sent as false."""

    terms_accepted: bool = True


class BookingOut(Schema):
    id: int
    reference: str
    status: str
    room: int
    room_name: str
    date: dt.date
    periods: list[str]
    group: int | None
    group_name: str
    purpose: str
    attendees: int | None
    fee: int
    fee_due: int
    application_due: dt.date | None
    permit_number: str | None
    created_at: dt.datetime


class BookingPage(Schema):
    items: list[BookingOut]
    count: int


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _period_dicts(room: Room) -> list[dict[str, str]]:
    return [
        {"code": p.code, "name": p.localized_name(), "start": f"{p.start:%H:%M}", "end": f"{p.end:%H:%M}"}
        for p in services.periods_of(room.location)
    ]


def _room(room: Room, detail: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": room.pk,
        "name": room.name,
        "name_en": room.name_en,
        "location": room.location.name,
        "location_id": room.location_id,
        "capacity": room.capacity,
        "bookable_by": room.bookable_by,
    }
    if detail:
        data.update(
            equipment=room.equipment_list(),
            accessibility=room.accessibility,
            allowed_uses=room.allowed_uses,
            periods=_period_dicts(room),
        )
    return data


def _booking(booking: RoomBooking) -> dict[str, Any]:
    return {
        "id": booking.pk,
        "reference": booking.reference or "",
        "status": booking.status,
        "room": booking.room_id,
        "room_name": booking.room.name,
        "date": booking.date,
        "periods": [p.code for p in booking.period_list()],
        "group": booking.group_id,
        "group_name": booking.group.name if booking.group else "",
        "purpose": booking.purpose,
        "attendees": booking.attendees,
        "fee": booking.fee,
        "fee_due": booking.fee_due,
        "application_due": booking.application_due,
        "permit_number": booking.permit_number,
        "created_at": booking.created_at,
    }


def _rooms():
    return Room.objects.active().select_related("location").order_by("location", "order", "pk")


@router.get("/rooms", response=RoomPage, summary="Rooms")
def room_list(request: HttpRequest, page: Query[PageIn]) -> dict[str, Any]:
    rooms = _rooms()
    return {
        "items": [_room(r) for r in rooms[page.offset : page.offset + page.limit]],
        "count": rooms.count(),
    }


@router.get("/rooms/{room_id}", response={200: RoomDetailOut, 404: Error}, summary="One room")
def room_detail(request: HttpRequest, room_id: int) -> dict[str, Any]:
    return _room(get_object_or_404(_rooms(), pk=room_id), detail=True)


@router.get(
    "/rooms/{room_id}/availability",
    response={200: AvailabilityOut, 404: Error, 422: Error},
    summary="Each 区分 of each day: free, taken, closed or not_open_yet (at most 92 days)",
)
def room_availability(request: HttpRequest, room_id: int, query: Query[RangeIn]) -> dict[str, Any]:
    room = get_object_or_404(_rooms(), pk=room_id)
    if query.end < query.start:
        raise ValidationError({"end": [_("The end date must be on or after the start date.")]})
    if (query.end - query.start).days >= services.MAX_DAYS:
        raise ValidationError({"end": [_("Please ask for at most %(n)d days.") % {"n": services.MAX_DAYS}]})
    days = services.room_days(room, query.start, query.end)
    return {
        "days": [
            {
                "date": day,
                "periods": [
                    {
                        "code": c.period.code,
                        "name": c.period.localized_name(),
                        "start": f"{c.period.start:%H:%M}",
                        "end": f"{c.period.end:%H:%M}",
                        "state": c.state,
                        "opens_at": c.opens.isoformat() if c.opens else None,
                        "reason": str(c.reason),
                    }
                    for c in cells
                ],
            }
            for day, cells in days
        ]
    }


def _visible(request: Any):
    return (
        RoomBooking.objects.visible_to(request.auth)
        .select_related("room", "group")
        .prefetch_related("periods__period")
        .order_by("-created_at", "-pk")
    )


@router.post(
    "/room-bookings",
    response={201: BookingOut, 403: Error, 409: Error, 422: Error},
    auth=REQUIRED,
    summary="Book (仮予約) one or several consecutive 区分 of a room on one day",
    openapi_extra=once.OPENAPI,
)
@once.idempotent("rooms.booking")
def booking_create(request: Any, payload: BookingIn) -> Status:
    """201 with `status: "provisional"` and the `reference`; 409 when a 区分 is already taken (or the
    room is blocked, or many people are booking: retry); 422 with the rule broken (window, limits,
    capacity, terms, uses). Send `Idempotency-Key: <a UUID>` to make a retry safe: the same key and
    request by the same caller returns the first answer (the same status and body)."""
    booking = services.book(request.auth, payload)
    created = _visible(request).filter(pk=booking.pk).first() or booking
    return Status(201, _booking(created))


@router.get(
    "/room-bookings", response=BookingPage, auth=REQUIRED, summary="Your groups' room bookings (staff: all)"
)
def booking_list(request: Any, page: Query[PageIn]) -> dict[str, Any]:
    bookings = _visible(request)
    return {
        "items": [_booking(b) for b in bookings[page.offset : page.offset + page.limit]],
        "count": bookings.count(),
    }


@router.get(
    "/room-bookings/{booking_id}",
    response={200: BookingOut, 404: Error},
    auth=REQUIRED,
    summary="One room booking",
)
def booking_detail(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    booking = _visible(request).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return _booking(booking)


@router.post(
    "/room-bookings/{booking_id}/cancel",
    response={200: BookingOut, 404: Error, 422: Error},
    auth=REQUIRED,
    summary="Cancel a room booking (staff: with a reason)",
)
def booking_cancel(request: Any, booking_id: int) -> dict[str, Any]:
    """The group: no body needed. Staff: `{"reason": "…"}` (JSON), required."""
    if not _visible(request).filter(pk=booking_id).exists():
        raise Http404
    reason = ""
    if request.content_type == "application/json" and request.body:
        try:
            data = json.loads(request.body)
        except ValueError:
            raise ValidationError({"reason": [_("Send the reason as JSON.")]}) from None
        reason = ReasonInput.parse(data if isinstance(data, dict) else {}).reason
    services.cancel(request.auth, booking_id, reason)
    return _booking(_visible(request).get(pk=booking_id))
