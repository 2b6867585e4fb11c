"""Blocks the community app adds to the home page, staff home, my page and a group's private page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import pgettext

from kyodo.community import services
from kyodo.community.models import Event
from kyodo.core.sections import Board, Waiting
from kyodo.groups.models import Group

Blocks = list[tuple[str, dict[str, Any]]]  # (template name, context) pairs


def home(request: HttpRequest) -> Blocks:
    upcoming = services.UpcomingEvents(Event.objects.select_related("group"))[:3]
    return [("community/sections/home.html", {"news": services.latest_news(3), "events": upcoming})]


def staff(request: HttpRequest) -> Blocks:
    awaiting = Event.objects.submitted().count()
    return [("community/sections/staff.html", {"awaiting": awaiting})]


def profile(request: HttpRequest) -> Blocks:
    if not services.can_submit(request.user) or request.user.is_staff:
        return []
    return [("community/sections/profile.html", {})]


def group(request: HttpRequest, group: Group) -> Blocks:
    """On the group's private page (members and staff): the group's events."""
    events = Event.objects.filter(group=group).order_by("-start_date")[:20]
    return [
        (
            "community/sections/group.html",
            {
                "group": group,
                "events": events,
                "can_submit": group.is_approved,
            },
        )
    ]


def dashboard(request: HttpRequest, board: Board) -> list[Waiting]:
    """Events members submitted, waiting for staff to publish or return them."""
    submitted = Event.objects.submitted().count()
    return [
        Waiting(40, pgettext("dashboard", "submitted events"), submitted, reverse("community:event_manage"))
    ]
