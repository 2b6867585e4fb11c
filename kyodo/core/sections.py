"""Pages that several apps add to (home, profile, staff home, the staff dashboard) collect blocks from
each app, so the core and the reports never import every app and each app owns what it shows.

Each app may define `sections.py` with `home(request)`, `profile(request)`, `staff(request)` or
`group(request, group)` returning a list of (template_name, context) pairs, rendered in app order; and
`dashboard(request, board)` returning what it adds to the staff's day at a glance (a list of Waiting,
DayColumn and Block), given the Board: the day, the open days shown and the location chosen."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import pgettext

from kyodo.core.discovery import app_modules
from kyodo.core.models import Location, OutboundEmail

Block = tuple[str, dict[str, Any]]


def _collect(kind: str, request: HttpRequest, *args: Any) -> list[Any]:
    blocks: list[Any] = []
    for module in app_modules("sections"):
        provider = getattr(module, kind, None)
        if provider:
            blocks.extend(provider(request, *args))
    return blocks


def home_sections(request: HttpRequest) -> list[Block]:
    return _collect("home", request)


def profile_sections(request: HttpRequest) -> list[Block]:
    return _collect("profile", request)


def staff_sections(request: HttpRequest) -> list[Block]:
    return _collect("staff", request)


def group_sections(request: HttpRequest, group: Any) -> list[Block]:
    return _collect("group", request, group)


# --- The staff dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Board:
    """What the dashboard shows: today and the next open days, at one location or (None) at all."""

    today: dt.date
    dates: list[dt.date]
    location: Location | None

    @property
    def first(self) -> dt.date:
        return self.dates[0]

    @property
    def last(self) -> dt.date:
        return self.dates[-1]


@dataclass(frozen=True)
class Waiting:
    """A card "N things wait for staff", linking to where staff deal with them (order: place on the row)."""

    order: int
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class DayColumn:
    """One column of one day (pickups, returns, consultations…): a title, the items and how to show one."""

    order: int
    date: dt.date
    title: str
    template: str  # renders one item as `item`
    items: list[Any]
    link: tuple[str, str] | None = None  # (label, url) for the whole day, e.g. the counter of that day


@dataclass(frozen=True)
class Attention:
    """A block that needs staff now (overdue loans, mail that could not be delivered)."""

    order: int
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class Dashboard:
    board: Board
    waiting: list[Waiting]
    attention: list[Attention]
    days: list[tuple[dt.date, list[DayColumn]]]


def dashboard_sections(request: HttpRequest, board: Board) -> Dashboard:
    """Every app's contribution to the staff day, sorted into cards, attention blocks and day columns."""
    parts = _collect("dashboard", request, board)
    by_date: dict[dt.date, list[DayColumn]] = {date: [] for date in board.dates}
    for part in parts:
        if isinstance(part, DayColumn) and part.date in by_date:
            by_date[part.date].append(part)
    return Dashboard(
        board=board,
        waiting=sorted((p for p in parts if isinstance(p, Waiting)), key=lambda p: p.order),
        attention=sorted((p for p in parts if isinstance(p, Attention)), key=lambda p: p.order),
        days=[(date, sorted(columns, key=lambda c: c.order)) for date, columns in by_date.items()],
    )


# --- The core's own part of the dashboard (this module is also the core app's `sections`) ---------------


def dashboard(request: HttpRequest, board: Board) -> list[Waiting | Attention]:
    """Mail staff must know about: what is still trying, and what was given up, with its error."""
    parts: list[Waiting | Attention] = [
        Waiting(
            90,
            pgettext("dashboard", "undelivered e-mails"),
            OutboundEmail.objects.failing().count(),
            reverse("core:outbox"),
        )
    ]
    given_up = list(OutboundEmail.objects.given_up().order_by("-created_at")[:10])
    if given_up:
        parts.append(Attention(90, "core/dashboard/given_up.html", {"given_up": given_up}))
    return parts
