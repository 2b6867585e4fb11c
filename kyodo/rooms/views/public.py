"""Anyone: the 空き状況 grid, a room's page, the rooms in the 公共施設一覧 CSV."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from kyodo.rooms import opendata, services
from kyodo.rooms.forms import WeekForm
from kyodo.rooms.models import Room

WEEK = 7


def _rooms():
    return Room.objects.active().select_related("location").order_by("location", "order", "pk")


def week_of(request: HttpRequest, rooms) -> tuple[WeekForm, dt.date, Room | None]:
    form = WeekForm(request.GET or None, rooms=rooms)
    today = services.clock.today()
    start, room = today, None
    if form.is_valid():
        start = form.cleaned_data.get("start") or today
        room = form.cleaned_data.get("room")
    return form, start, room


def grid(request: HttpRequest) -> HttpResponse:
    """A week at a time: each room a table of days × 区分, each cell a symbol and a word."""
    rooms = _rooms()
    form, start, chosen = week_of(request, rooms)
    end = start + dt.timedelta(days=WEEK - 1)
    shown = [chosen] if chosen else list(rooms)
    tables = []
    for room in shown:
        tables.append(
            {
                "room": room,
                "periods": services.periods_of(room.location),
                "days": services.room_days(room, start, end),
            }
        )
    context = {
        "form": form,
        "tables": tables,
        "start": start,
        "end": end,
        "previous": start - dt.timedelta(days=WEEK),
        "next": start + dt.timedelta(days=WEEK),
        "chosen": chosen,
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "rooms/grid.html", context, status=status)


def room_detail(request: HttpRequest, room_id: int) -> HttpResponse:
    room = get_object_or_404(_rooms(), pk=room_id)
    periods = services.periods_of(room.location)
    fees = {(f.period_id, f.category): f.amount for f in room.fees.all()}
    rows = [(p, fees.get((p.pk, "registered")), fees.get((p.pk, "general"))) for p in periods]
    return render(request, "rooms/room.html", {"room": room, "fee_rows": rows})


def facilities_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(opendata.facilities_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="public_facilities.csv"'
    return response
