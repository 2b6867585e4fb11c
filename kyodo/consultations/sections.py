"""Blocks this app adds to the profile page and the staff home."""

import datetime as dt

from django.utils import timezone

from kyodo.consultations.models import Consultation


def profile(request):
    """The signed-in person's own bookings from today on (never anyone else's)."""
    today_start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Consultation.objects.of_user(request.user)
        .filter(start__gte=today_start)
        .exclude(status=Consultation.Status.CANCELLED)
        .select_related("topic")
    )
    return [("consultations/sections/profile.html", {"consultations": list(rows)})]


def staff(request):
    if not request.user.is_staff:
        return []
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = (
        Consultation.objects.visible_to(request.user)
        .active()
        .filter(start__gte=start, start__lt=start + dt.timedelta(days=1))
        .select_related("coordinator")
    )
    return [("consultations/sections/staff.html", {"today": list(rows)})]
