"""GET /api/v1/events: published events as JSON, filtered by date range, status and category."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kyodo.api.auth import OptionalAuth
from kyodo.community.feeds import absolute, status_note
from kyodo.community.models import Event

PREFIX = "/events"
router = Router(tags=["events"], auth=OptionalAuth())


class EventOut(Schema):
    id: int
    title: str
    title_en: str
    title_kana: str
    category: str
    start_date: dt.date
    end_date: dt.date
    # Local wall-clock times "hh:mm" in Asia/Tokyo; a JSON Schema "time" would demand a UTC offset.
    start_time: str | None = Field(None, pattern=r"^\d{2}:\d{2}$")
    end_time: str | None = Field(None, pattern=r"^\d{2}:\d{2}$")
    status: str
    status_note: str
    postponed_to: dt.date | None
    venue_name: str
    venue_address: str
    latitude: float | None
    longitude: float | None
    organizer: str
    group_id: int | None
    description: str
    fee_basic: str
    fee_detail: str
    capacity: int | None
    how_to_apply: str
    apply_by_date: dt.date | None
    url_official: str
    url_instagram: str
    url_city: str
    url: str
    ics_url: str


def _out(event):
    return {
        **{name: getattr(event, name) for name in EventOut.model_fields if hasattr(event, name)},
        "latitude": None if event.latitude is None else float(event.latitude),
        "longitude": None if event.longitude is None else float(event.longitude),
        "start_time": event.start_time.strftime("%H:%M") if event.start_time else None,
        "end_time": event.end_time.strftime("%H:%M") if event.end_time else None,
        "status_note": status_note(event),
        "organizer": event.organizer,
        "url": absolute(reverse("community:event", args=[event.pk])),
        "ics_url": absolute(reverse("community:event_ics", args=[event.pk])),
    }


@router.get("", response=list[EventOut], summary="Published events")
def list_events(
    request,
    start: dt.date | None = None,
    end: dt.date | None = None,
    status: Event.Status | None = None,
    category: Event.Category | None = None,
):
    """Events overlapping [start, end] (either may be left out), optionally of one status or category."""
    if start and end and end < start:
        raise ValidationError({"end": _("The end date cannot be before the start date.")})
    events = Event.objects.published().select_related("group")
    # A postponed event is found by its new date (start_date and end_date stay the original ones).
    if start:
        events = events.filter(Q(end_date__gte=start, postponed_to=None) | Q(postponed_to__gte=start))
    if end:
        events = events.filter(Q(start_date__lte=end, postponed_to=None) | Q(postponed_to__lte=end))
    if status:
        events = events.with_status(status)
    if category:
        events = events.filter(category=category)
    return [_out(e) for e in events]


@router.get("/{event_id}", response=EventOut, summary="One published event")
def get_event(request, event_id: int):
    event = Event.objects.published().select_related("group").filter(pk=event_id).first()
    if event is None:
        raise Http404
    return _out(event)
