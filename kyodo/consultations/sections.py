"""Blocks this app adds to the profile page, the staff home and the staff dashboard."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from kyodo.consultations.models import Consultation
from kyodo.core.sections import Attention, Board, DayColumn, Waiting


def profile(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    """The signed-in person's own bookings from today on (never anyone else's)."""
    rows = Consultation.objects.of_user(request.user).upcoming().select_related("topic")
    return [("consultations/sections/profile.html", {"consultations": list(rows)})]


def staff(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    if not request.user.is_staff:
        return []
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Consultation.objects.visible_to(request.user)
        .active_between(start, start + dt.timedelta(days=1))
        .select_related("coordinator")
    )
    return [("consultations/sections/staff.html", {"today": list(rows)})]


def dashboard(request: HttpRequest, board: Board) -> list[DayColumn | Waiting | Attention]:
    """Each day's bookings, with a link to the day's schedule; 仮受付 staff must call back, first."""
    calls = list(
        Consultation.objects.awaiting_call(timezone.now())
        .at_location(board.location)
        .select_related("topic")
        .order_by("held_until", "start")
    )
    parts: list[DayColumn | Waiting | Attention] = [
        Waiting(15, pgettext("dashboard", "bookings to confirm by phone"), len(calls),
                reverse("consultations:schedule") + "?view=week"),
    ]  # fmt: skip
    if calls:
        parts.append(Attention(5, "consultations/dashboard/calls.html", {"calls": calls}))
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(board.first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(board.last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        Consultation.objects.active_between(start, end)
        .at_location(board.location)
        .select_related("coordinator", "topic", "location")
        .order_by("start")
    )
    by_date: dict[dt.date, list[Consultation]] = {}
    for row in rows:
        by_date.setdefault(timezone.localtime(row.start).date(), []).append(row)
    for date in board.dates:
        query = f"?date={date:%Y-%m-%d}" + (f"&location={board.location.pk}" if board.location else "")
        link = (gettext("Consultations of the day"), reverse("consultations:schedule") + query)
        parts.append(
            DayColumn(30, date, pgettext("dashboard", "Consultations"), "consultations/dashboard/consultation.html",
                      by_date.get(date, []), link=link)
        )  # fmt: skip
    return parts
