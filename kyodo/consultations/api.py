"""/api/v1/consultations: topics, free slots, public booking (same service as the form), staff list."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from kyodo.api.auth import REQUIRED, OptionalAuth
from kyodo.consultations import services
from kyodo.consultations.inputs import BookingInput
from kyodo.consultations.models import Consultation
from kyodo.core import once
from kyodo.core.inputs import BoundedDate
from kyodo.core.models import User
from kyodo.core.ratelimit import client_ip

PREFIX = "/consultations"
router = Router(tags=["consultations"])
MAX_RANGE_DAYS = 62


class TopicOut(Schema):
    id: int
    name: str


class SlotOut(Schema):
    start: str
    end: str
    free: int


class BookingIn(BookingInput):
    """A public booking: the limits are BookingInput's, the same as the form's and the service's."""


class BookingOut(Schema):
    """A booking: `manage_url` once it is booked; a 仮受付 (`status: "pending_confirmation"`) has none and
    gives `reference` (受付番号) and `held_until` instead — the confirmation link goes by mail only."""

    id: int
    start: str
    end: str
    mode: str
    status: str
    reference: str
    manage_url: str | None = None
    held_until: str | None = None


class StaffBookingOut(Schema):
    id: int
    start: str
    end: str
    mode: str
    status: str
    topic: str
    name: str
    email: str
    phone: str
    group_name: str
    coordinator: str
    location: int


class Error(Schema):
    detail: str


def _iso(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat()


@router.get("/topics", response=list[TopicOut], auth=None)
def topics(request: HttpRequest, lang: str = "ja") -> list[dict[str, Any]]:
    """Topics in Japanese, or in English with ?lang=en."""
    with translation.override("en" if lang == "en" else "ja"):
        return [{"id": t.pk, "name": t.localized_name()} for t in services.active_topics()]


@router.get("/slots", response={200: list[SlotOut], 422: Error}, auth=None)
def slots(
    request: HttpRequest,
    start: BoundedDate,
    end: BoundedDate,
    mode: str = "",
    topic: str = "",
    location: str = "",
) -> list[dict[str, Any]]:
    """Times that can be booked between two dates (inclusive), with how many coordinators are free."""
    first, last = start, end
    if last < first or (last - first).days > MAX_RANGE_DAYS:
        raise ValidationError(
            {"end": _("The range must be at most %(days)d days.") % {"days": MAX_RANGE_DAYS}}
        )
    if mode or topic:
        services.clean_choice(topic or None, mode or Consultation.Mode.IN_PERSON)
    place = services.public_location(location or None)
    return [
        {"start": _iso(s.start), "end": _iso(s.end), "free": s.free}
        for s in services.public_slots(place, first, last)
    ]


@router.post(
    "",
    response={201: BookingOut, 409: Error, 422: Error, 429: Error},
    auth=OptionalAuth(),
    exclude_none=True,
    openapi_extra=once.OPENAPI,
)
@once.idempotent("consultations.book")
def book(request: HttpRequest, payload: BookingIn) -> Status:
    """Book a consultation (public). 201 with `status: "pending_confirmation"` and no `manage_url` for a
    仮受付 (confirmed from the mail). By phone (`mode: "phone"`) `phone` is required; a phone number is
    stored with ASCII digits and hyphens, a reading (`kana`, optional with `language: "en"`) in katakana.
    409: the slot was just taken; 422: invalid input; 429: too many (Retry-After says when to try again)."""
    # Set by OptionalAuth, from a token only: the session cookie could come from a cross-site post.
    user: User | None = getattr(request, "api_user", None)
    place = services.public_location(payload.location)
    consultation = services.book(
        place,
        payload.start,
        payload.mode,
        payload.topic,
        payload.model_dump(),
        user=user,
        ip=client_ip(request),
        language="en" if payload.language == "en" else "ja",
    )
    return Status(201, _booking_out(consultation))


def _booking_out(consultation: Consultation) -> dict[str, Any]:
    """What the booker is told: the manage link only once the booking is confirmed."""
    out: dict[str, Any] = {
        "id": consultation.pk,
        "start": _iso(consultation.start),
        "end": _iso(consultation.end),
        "mode": consultation.mode,
        "status": consultation.status,
        "reference": consultation.reference,
    }
    if consultation.is_pending:
        out["held_until"] = _iso(consultation.held_until) if consultation.held_until else None
    else:
        out["manage_url"] = services.manage_url(consultation)
    return out


@router.get("", response={200: list[StaffBookingOut], 403: Error, 422: Error}, auth=REQUIRED)
def staff_list(
    request: HttpRequest, start: BoundedDate | None = None, end: BoundedDate | None = None
) -> list[dict[str, Any]]:
    """Staff only: bookings between two dates (default: the next 30 days)."""
    if not request.user.is_staff:
        raise PermissionDenied(_("Staff only."))
    first = start or timezone.localdate()
    last = end or first + dt.timedelta(days=30)
    rows = (
        Consultation.objects.visible_to(request.user)
        .on_days(first, last)
        .select_related("topic", "coordinator")
    )
    return [
        {
            "id": c.pk,
            "start": _iso(c.start),
            "end": _iso(c.end),
            "mode": c.mode,
            "status": c.status,
            "topic": c.topic.localized_name(),
            "name": c.name,
            "email": c.email,
            "phone": c.phone,
            "group_name": c.group_name,
            "coordinator": str(c.coordinator),
            "location": c.location_id,
        }
        for c in rows
    ]
