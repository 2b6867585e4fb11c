"""The public catalogue: types, kits and their free days."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kyodo.core import calendar, paging
from kyodo.core.inputs import in_date_range
from kyodo.core.models import Location
from kyodo.lending import availability, services
from kyodo.lending.forms import CatalogFilterForm
from kyodo.lending.models import EquipmentType, Kit


def catalog(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None)
    types: QuerySet[EquipmentType] | list[EquipmentType]
    kits: QuerySet[Kit] | list[Kit]
    types = EquipmentType.objects.active().with_units_in_service().select_related("location")
    kits = Kit.objects.filter(active=True).prefetch_related("items__equipment_type")
    free = kit_counts = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("category"):
            types = types.filter(category=data["category"])
            kits = kits.filter(items__equipment_type__category=data["category"]).distinct()
        if data.get("start"):
            period = availability.free_in_period(types, kits, data["start"], data["end"], services.today())
            types, kits, free, kit_counts = period.types, period.kits, period.free, period.kit_counts
    status = 400 if form.errors else 200
    # 500 types at the scale: pages of 24 cards, so the page costs the same with 5 types or 500.
    page = paging.page_of(types, 24, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "types": page.object_list,
        "kits": kits,
        "free": free,
        "kit_counts": kit_counts,
        "query": paging.query_without_page(request),
        "rules_summaries": services.summaries(services.today()),
    }
    return render(request, "lending/catalog.html", context, status=status)


def _month(request: HttpRequest) -> dt.date:
    today = services.today()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError):
        first = today.replace(day=1)
    if not in_date_range(first):
        raise Http404
    return first


def _month_context(location: Location, first: dt.date, per_day_free: Mapping[dt.date, int]) -> dict[str, Any]:
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return {
        "month": first,
        "weeks": availability.month_calendar(location, first.year, first.month, per_day_free),
        "prev_month": (first - dt.timedelta(days=1)).replace(day=1),
        "next_month": last + dt.timedelta(days=1),
    }


def type_detail(request: HttpRequest, type_id: int) -> HttpResponse:
    equipment_type = get_object_or_404(
        EquipmentType.objects.active().with_units_in_service().select_related("location"), pk=type_id
    )
    first = _month(request)
    today = services.today()
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    horizon = today + dt.timedelta(days=120)
    # From today: the calendar shows no count on past days, and reading them cost a scan of every
    # reservation of the month so far.
    end = max(last, horizon)
    free = availability.free_by_day([equipment_type.pk], today, end, today)[equipment_type.pk]
    open_days = _bookable_days(equipment_type.location, today, horizon)
    context = {
        "type": equipment_type,
        "request_query": f"type={equipment_type.pk}",
        "earliest": open_days[0] if open_days else horizon,
        "rules": services.summary(equipment_type.location, today),
        "kits": Kit.objects.filter(active=True, items__equipment_type=equipment_type).distinct(),
        "next_free": availability.next_free_date([(day, free[day]) for day in open_days]),
        "today": today,
        **_month_context(equipment_type.location, first, free),
    }
    return render(request, "lending/type_detail.html", context)


def _bookable_days(location: Location, today: dt.date, horizon: dt.date) -> list[dt.date]:
    """Open days a request made today could start on: "next free date" must be a date one can pick."""
    earliest = services.earliest_pickup(location, services.rules_for(location), today) or horizon
    return calendar.open_days(location, earliest, horizon)


def kit_detail(request: HttpRequest, kit_id: int) -> HttpResponse:
    kit = get_object_or_404(Kit.objects.filter(active=True).select_related("location"), pk=kit_id)
    items = list(kit.items.select_related("equipment_type"))
    first = _month(request)
    today = services.today()
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    horizon = today + dt.timedelta(days=120)
    end = max(last, horizon)  # from today, as for a type
    per_type = availability.free_by_day({i.equipment_type_id for i in items}, today, end, today)
    free = availability.kit_free(items, per_type) if items else {}
    open_days = _bookable_days(kit.location, today, horizon)
    context = {
        "kit": kit,
        "request_query": f"kit={kit.pk}",
        "earliest": open_days[0] if open_days else horizon,
        "rules": services.summary(kit.location, today),
        "items": items,
        "next_free": availability.next_free_date([(day, free.get(day, 0)) for day in open_days]),
        "today": today,
        **_month_context(kit.location, first, free),
    }
    return render(request, "lending/kit_detail.html", context)
