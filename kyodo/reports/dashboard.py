"""Staff's day at a glance, assembled from every app's `sections.dashboard` (see kyodo.core.sections):
today and the next open days, what waits for staff, and what needs them now. The reports app knows no
other app's models; each app says what it adds, in its own words."""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from kyodo.core import calendar
from kyodo.core.models import Location
from kyodo.core.sections import Board, Dashboard, dashboard_sections

DAYS_AHEAD = 2  # today plus the next two open days


def open_days(location: Location | None, today: dt.date) -> list[dt.date]:
    """Today and the next open days of the location (of the first location when showing all)."""
    reference = location or calendar.default_location()
    days = [today]
    if reference is None:
        return days
    following = calendar.open_days(reference, today + dt.timedelta(days=1), today + dt.timedelta(days=60))
    return days + following[:DAYS_AHEAD]


def build(request: HttpRequest, location: Location | None = None, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    return dashboard_sections(
        request, Board(today=today, dates=open_days(location, today), location=location)
    )
