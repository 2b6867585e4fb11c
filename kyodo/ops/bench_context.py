"""What the load client needs to know about a seeded database: tokens, ids, which pages exist.

Used by `manage.py bench_context` (bench/run.py and the drills call it after seeding)."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from kyodo.consultations import services
from kyodo.consultations.models import Topic
from kyodo.core import calendar
from kyodo.core.models import Location, User
from kyodo.core.tokens import issue_token
from kyodo.groups.models import Group, Membership
from kyodo.lending.models import EquipmentType, Unit


def url_or_none(name: str, *args: Any, **kwargs: Any) -> str | None:
    try:
        return reverse(name, args=args, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def build(tokens: int = 16) -> dict[str, Any]:
    members = (
        Membership.objects.filter(group__in=Group.objects.approved(), role=Membership.Role.MANAGER)
        .select_related("user")
        .order_by("pk")[:tokens]
    )
    clients = []
    for membership in members:
        _row, raw = issue_token(membership.user, "bench")
        clients.append({"email": membership.user.email, "group": membership.group_id, "token": raw})
    staff = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    context: dict[str, Any] = {
        "today": timezone.localdate().isoformat(),
        "api": {},
        "clients": clients,
        "staff_token": issue_token(staff, "bench")[1] if staff else None,
        "location": Location.objects.order_by("pk").values_list("pk", flat=True).first(),
        "group_query": (
            Group.objects.listed().order_by("pk").values_list("area", flat=True).first() or ""
        ).removeprefix("金沢市"),
        "urls": {
            "floor": "/bench/floor/",
            "equipment": url_or_none("lending:catalog"),
            "events": url_or_none("community:events"),
            "groups": url_or_none("groups:directory"),
            "consultations": url_or_none("consultations:start"),
        },
    }
    domain = domain_context()
    context["urls"].update(domain.pop("urls"))
    context["api"].update(domain.pop("api"))
    context.update(domain)
    return context


def domain_context() -> dict[str, Any]:
    """Ids and URLs the lending and consultations scenarios need (empty for apps not on this branch)."""
    today = timezone.localdate()
    out: dict[str, Any] = {"urls": {}, "api": {}}
    if apps.is_installed("kyodo.lending") and url_or_none("lending:catalog"):
        types = (
            EquipmentType.objects.active()
            .annotate(n=Count("units", filter=Q(units__status=Unit.Status.IN_SERVICE)))
            .filter(n__gte=2)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        out["equipment_types"] = list(types)
        out["urls"]["equipment_detail"] = reverse("lending:type_detail", args=[0]).replace("/0/", "/{id}/")
        out["api"]["availability"] = "/api/v1/equipment/{id}/availability"
        out["api"]["reservations"] = "/api/v1/reservations"
        location = Location.objects.order_by("pk").first()
        if location:
            # Beyond the seeded bookings (seed_scale fills up to 30 days ahead), within a year.
            days = calendar.open_days(location, today + dt.timedelta(days=40), today + dt.timedelta(days=360))
            out["open_days"] = [d.isoformat() for d in days]
    if apps.is_installed("kyodo.consultations") and url_or_none("consultations:start"):
        first, last = today + dt.timedelta(days=31), today + dt.timedelta(days=60)
        out["urls"]["consultation_slots"] = f"/api/v1/consultations/slots?start={first}&end={last}"
        place = services.booking_locations().first()
        slots = list(services.public_slots(place, first, last)) if place else []
        topic = Topic.objects.filter(active=True).order_by("pk").first()
        out["consultation"] = {
            "path": "/api/v1/consultations",
            "topic": topic.pk if topic else None,
            "location": place.pk if place else None,
            "slots": [timezone.localtime(s.start).isoformat() for s in slots if s.free],
        }
    return out
