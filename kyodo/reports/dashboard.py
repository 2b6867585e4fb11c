"""Staff's day at a glance: today and the next open days, overdue loans, and what waits for staff."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from kyodo.core import calendar
from kyodo.core.models import Location, OutboundEmail

DAYS_AHEAD = 2  # today plus the next two open days


@dataclass
class Day:
    date: dt.date
    pickups: list = field(default_factory=list)
    returns: list = field(default_factory=list)
    consultations: list = field(default_factory=list)


def _days(location, today):
    """Today and the next open days of the location (of the first location when showing all)."""
    reference = location or calendar.default_location()
    days = [today]
    if reference is None:
        return days
    following = calendar.open_days(reference, today + dt.timedelta(days=1), today + dt.timedelta(days=60))
    return days + following[:DAYS_AHEAD]


def build(location=None, today=None):
    from kyodo.community.models import Event
    from kyodo.consultations.models import Consultation
    from kyodo.groups.models import Group
    from kyodo.lending.models import ExtensionRequest, Reservation

    today = today or timezone.localdate()
    days = [Day(d) for d in _days(location, today)]
    by_date = {d.date: d for d in days}
    first, last = days[0].date, days[-1].date

    reservations = Reservation.objects.select_related("group", "location").prefetch_related(
        "items__equipment_type"
    )
    consultations = Consultation.objects.active().select_related("coordinator", "topic", "location")
    if location:
        reservations = reservations.filter(location=location)
        consultations = consultations.filter(location=location)

    for r in reservations.filter(status="approved", pickup_date__range=(first, last)).order_by(
        "pickup_date", "pk"
    ):
        by_date[r.pickup_date].pickups.append(r)
    for r in reservations.filter(status="checked_out", return_date__range=(first, last)).order_by(
        "return_date", "pk"
    ):
        by_date[r.return_date].returns.append(r)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    for c in consultations.filter(start__gte=start, start__lt=end).order_by("start"):
        day = by_date.get(timezone.localtime(c.start).date())
        if day:
            day.consultations.append(c)

    overdue = [
        (r, (today - r.return_date).days)
        for r in reservations.filter(status="checked_out", return_date__lt=today).order_by(
            "return_date", "pk"
        )
    ]
    late_pickups = reservations.filter(status="approved", pickup_date__lt=today).count()
    waiting = {
        "groups": Group.objects.filter(status="pending").count(),
        "requests": reservations.filter(status="requested").count(),
        "extensions": ExtensionRequest.objects.filter(status="pending", reservation__in=reservations).count(),
        "events": Event.objects.filter(state="submitted").count(),
        "emails": OutboundEmail.objects.exclude(status=OutboundEmail.Status.SENT)
        .filter(attempts__gt=0)
        .count(),
    }
    return {
        "today": today,
        "days": days,
        "overdue": overdue,
        "late_pickups": late_pickups,
        "waiting": waiting,
        "location": location,
        "locations": Location.objects.all(),
    }
