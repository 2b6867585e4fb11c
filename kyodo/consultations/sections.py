"""Blocks this app adds to the profile page and the staff home."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from kyodo.consultations.models import Consultation


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
