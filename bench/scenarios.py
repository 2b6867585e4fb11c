"""The bench scenarios. Each knows what it needs from the bench context (bench_context.py); a scenario
whose page or endpoint is not on this branch yet reports "not available yet" instead of failing."""

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Scenario:
    name: str
    title: str
    make: object  # ctx -> (i -> (method, path, headers, body)), or None when not available
    page: bool = True  # a GET page/endpoint: compared with the floor and the empty database
    concurrency: int = 4
    ok_statuses: set = field(default_factory=set)  # empty: any status < 400 is fine
    missing: str = ""


def _get(path, headers=None):
    return lambda i: ("GET", path, headers or {}, None)


def _future_open_day(ctx, offset):
    """The offset-th date in the context's list of future open days (wrapping)."""
    days = ctx.get("open_days") or []
    return days[offset % len(days)] if days else None


def floor(ctx):
    return _get(ctx["urls"]["floor"])


def equipment(ctx):
    return _get(ctx["urls"]["equipment"]) if ctx["urls"].get("equipment") else None


def equipment_calendar(ctx):
    template, types = ctx["urls"].get("equipment_detail"), ctx.get("equipment_types")
    if not template or not types:
        return None
    month = dt.date.fromisoformat(ctx["today"]).strftime("%Y-%m")
    return lambda i: ("GET", template.format(id=types[i % len(types)]) + f"?month={month}", {}, None)


def availability(ctx):
    template, types = ctx.get("api", {}).get("availability"), ctx.get("equipment_types")
    if not template or not types:
        return None
    start = dt.date.fromisoformat(ctx["today"])
    end = start + dt.timedelta(days=89)
    query = f"?start={start}&end={end}"
    return lambda i: ("GET", template.format(id=types[i % len(types)]) + query, {}, None)


def events(ctx):
    return _get(ctx["urls"]["events"]) if ctx["urls"].get("events") else None


def groups_search(ctx):
    if not ctx["urls"].get("groups"):
        return None
    return _get(ctx["urls"]["groups"] + "?q=" + ctx["group_query"])


def consultation_slots(ctx):
    path = ctx["urls"].get("consultation_slots")
    return _get(path) if path else None


def _booking(ctx, types_for):
    template, clients = ctx.get("api", {}).get("reservations"), ctx["clients"]
    types = ctx.get("equipment_types")
    if not template or not types or not clients or not ctx.get("open_days"):
        return None

    def make(i):
        client = clients[i % len(clients)]
        pickup = _future_open_day(ctx, i // len(clients))
        body = {
            "group": client["group"],
            "items": [{"equipment": types_for(i, types), "quantity": 1}],
            "pickup_date": pickup,
            "return_date": pickup,
            "purpose": "bench",
        }
        return ("POST", template, {"Authorization": f"Bearer {client['token']}"}, body)

    return make


def booking_many(ctx):
    return _booking(ctx, lambda i, types: types[i % len(types)])


def booking_contended(ctx):
    return _booking(ctx, lambda i, types: types[0])


def consultation_booking(ctx):
    info = ctx.get("consultation") or {}
    slots = info.get("slots")
    if not slots or not info.get("topic"):
        return None

    def make(i):
        body = {"start": slots[i % len(slots)], "mode": "in_person", "topic": info["topic"],
                "location": info["location"], "name": "ベンチ 太郎", "email": f"bench{i}@scale.example.jp",
                "consent": True}  # fmt: skip
        return ("POST", info["path"], {}, body)

    return make


SCENARIOS = [
    Scenario("floor", "Floor (base template, no domain query)", floor),
    Scenario("equipment", "/equipment/", equipment),
    Scenario("equipment_calendar", "Equipment type month calendar", equipment_calendar),
    Scenario("availability_api", "Availability API, 90 days", availability),
    Scenario("events", "/events/", events),
    Scenario("groups_search", "/groups/?q=", groups_search),
    Scenario("consultation_slots", "Consultation slots, 30 days", consultation_slots),
    Scenario(
        "booking_many", "Booking POSTs over many types", booking_many, page=False, ok_statuses={201, 409}
    ),
    Scenario(
        "booking_contended",
        "Booking POSTs contending for one type",
        booking_contended,
        page=False,
        concurrency=16,
        ok_statuses={201, 409},
    ),
    Scenario(
        "consultation_booking",
        "Consultation booking POSTs",
        consultation_booking,
        page=False,
        ok_statuses={201, 409},
    ),
]
