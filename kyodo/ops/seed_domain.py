"""seed_scale's steps for the lending, consultations and community apps.

Reservations are laid per unit as a timeline of non-overlapping [pickup, hold_until] periods, and
consultations per coordinator on distinct hours, so the no-double-booking invariants (a type never held
beyond its units in service, a unit never lent twice, a coordinator never booked twice) hold by
construction, also under PostgreSQL's exclusion constraints.
"""

import contextlib
import datetime as dt
from typing import Any

from django.utils import timezone

from kyodo.community.models import Event, NewsPost
from kyodo.consultations.models import Consultation, CoordinatorHours, Topic
from kyodo.core import calendar
from kyodo.core.models import Location
from kyodo.lending.models import Category, EquipmentType, Reservation, ReservationItem, ReservationUnit, Unit

CHUNK = 20_000  # reservations built and inserted at a time (bounded memory at a million rows)
HISTORY_DAYS = 3650  # ten years
FUTURE_DAYS = 30  # seeded bookings reach this far ahead; the bench books beyond


@contextlib.contextmanager
def no_auto_now(*models):
    """Let bulk_create keep our explicit timestamps (auto_now would stamp the clock: not deterministic)."""
    fields = [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now", False)]
    for f in fields:
        f.auto_now = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now = True


def steps(gen):
    # Every app's models are installed (the seed once ran on branches without them, and skipped those).
    return [
        lambda: equipment(gen),
        lambda: reservations(gen),
        lambda: consultations(gen),
        lambda: events(gen),
        lambda: news(gen),
    ]


def _open_days(gen):
    """{location id: [open dates]} over the history and the seeded future, computed once."""
    if "open_days" not in gen.ids:
        start = gen.today - dt.timedelta(days=HISTORY_DAYS)
        end = gen.today + dt.timedelta(days=FUTURE_DAYS)
        gen.ids["open_days"] = {
            loc.pk: calendar.open_days(loc, start, end)
            for loc in Location.objects.filter(pk__in=gen.ids["locations"])
        }
    return gen.ids["open_days"]


# --- lending --------------------------------------------------------------------------------------
def equipment(gen):
    categories = [c.value for c in Category]
    labels = dict(Category.choices)
    types = []
    for i in range(gen.counts["equipment_types"]):
        category = categories[i % len(categories)]
        types.append(
            EquipmentType(
                name=f"{labels[category]} モデル{i + 1:03d}",
                name_en=f"{category} model {i + 1:03d}",
                category=category,
                location_id=gen.ids["locations"][i % len(gen.ids["locations"])],
                description="スケール試験用の機材です。",
                accessories="本体\nケーブル\n収納袋",
                order=i,
            )
        )
    gen.ids["types"] = gen.bulk(EquipmentType, types)
    type_location = {pk: t.location_id for pk, t in zip(gen.ids["types"], types, strict=True)}
    units = []
    for i in range(gen.counts["units"]):
        status = Unit.Status.UNDER_REPAIR if gen.rng.random() < 0.02 else Unit.Status.IN_SERVICE
        units.append(
            Unit(
                equipment_type_id=gen.ids["types"][i % len(gen.ids["types"])],
                asset_tag=f"SC-{i + 1:06d}",
                serial=f"SN{gen.rng.getrandbits(40):010x}",
                status=status,
                created_at=gen.now - dt.timedelta(days=HISTORY_DAYS),
            )
        )
    unit_ids = gen.bulk(Unit, units)
    # Only units in service carry reservations: then no type is ever held beyond its units in service.
    gen.ids["lendable_units"] = [
        (pk, u.equipment_type_id, type_location[u.equipment_type_id])
        for pk, u in zip(unit_ids, units, strict=True)
        if u.status == Unit.Status.IN_SERVICE
    ]
    gen.done.update({"equipment_types", "units"})


def _unit_timelines(gen):
    """Yield (unit, type, location, pickup, return, hold_until) per reservation, unit by unit."""
    open_days = _open_days(gen)
    units = gen.ids["lendable_units"]
    total = gen.counts["reservations"]
    if not units or not total:
        return
    base, extra = divmod(total, len(units))
    for n, (unit, type_id, location) in enumerate(units):
        quota = base + (1 if n < extra else 0)
        days = open_days[location]
        if not quota or len(days) < 3:
            continue
        # Loan lengths first (return 0–2 open days after pickup, then 1 inspection day), then the spare open
        # days spread at random between the loans, so the timeline reaches from ten years ago into the future.
        lengths = [gen.rng.randint(0, 2) for _ in range(quota)]
        spare = len(days) - sum(length + 2 for length in lengths)
        if spare < 0:
            lengths = [0] * min(quota, len(days) // 2)
            spare = len(days) - 2 * len(lengths)
        cuts = sorted(gen.rng.randint(0, spare) for _ in lengths)
        index = 0
        for k, length in enumerate(lengths):
            pickup = index + cuts[k]
            yield unit, type_id, location, days[pickup], days[pickup + length], days[pickup + length + 1]
            index += length + 2


def reservations(gen):
    approved = gen.ids["approved_groups"]
    members = gen.ids["group_members"]
    staff = gen.ids["staff"]
    today = gen.today
    written = 0
    batch: list[Any] = []

    def flush():
        nonlocal batch, written
        if not batch:
            return
        with no_auto_now(Reservation):
            ids = gen.bulk(Reservation, [b[0] for b in batch])
        items, loans = [], []
        for pk, (res, unit, type_id) in zip(ids, batch, strict=True):
            items.append(
                ReservationItem(reservation_id=pk, equipment_type_id=type_id, quantity=1, **res.item_copies())
            )
            if res.status in (Reservation.Status.CHECKED_OUT, Reservation.Status.RETURNED):
                loans.append(
                    ReservationUnit(
                        reservation_id=pk,
                        unit_id=unit,
                        start=res.pickup_date,
                        end=res.hold_until,
                        checked_out_at=res.checked_out_at,
                        checked_out_by_id=staff[0] if staff else None,
                        accessories_out=["本体", "ケーブル", "収納袋"],
                        returned_at=res.returned_at,
                        returned_to_id=staff[0] if staff and res.returned_at else None,
                        accessories_back=["本体", "ケーブル", "収納袋"] if res.returned_at else [],
                        condition="ok" if res.returned_at else "",
                    )
                )
        gen.bulk(ReservationItem, items)
        gen.bulk(ReservationUnit, loans)
        written += len(batch)
        batch = []

    for unit, type_id, location, pickup, return_date, hold_until in _unit_timelines(gen):
        group = approved[gen.rng.randrange(len(approved))]
        created = _at(pickup - dt.timedelta(days=gen.rng.randint(3, 30)), 10)
        checked_out_at = returned_at = approved_at = cancelled_at = None
        if pickup > today:
            status = "approved" if gen.rng.random() < 0.5 else "requested"
            approved_at = created if status == "approved" else None
        elif return_date >= today:
            status, approved_at, checked_out_at = "checked_out", created, _at(pickup, 10)
        else:
            roll = gen.rng.random()
            status = "returned" if roll < 0.93 else ("cancelled" if roll < 0.98 else "declined")
            if status == "returned":
                approved_at, checked_out_at, returned_at = created, _at(pickup, 10), _at(return_date, 16)
            elif status == "cancelled":
                cancelled_at = created
        batch.append(
            (
                Reservation(
                    group_id=group,
                    requested_by_id=(members.get(group) or [None])[0],
                    location_id=location,
                    pickup_date=pickup,
                    return_date=return_date,
                    hold_until=hold_until,
                    purpose=gen.rng.choice(["町会総会のオンライン開催", "講演会の配信", "研修会", "定例会"]),
                    audience_size=gen.rng.randrange(5, 200),
                    status=status,
                    decline_reason="日程が合わないため" if status == "declined" else "",
                    created_at=created,
                    updated_at=created,
                    approved_at=approved_at,
                    checked_out_at=checked_out_at,
                    returned_at=returned_at,
                    cancelled_at=cancelled_at,
                ),
                unit,
                type_id,
            )
        )
        if len(batch) >= CHUNK:
            flush()
    flush()
    gen.done.add("reservations")
    if written < gen.counts["reservations"]:
        gen.report.skipped["reservations (short)"] = (
            f"{written:,} of {gen.counts['reservations']:,}: the units' timelines are full"
        )


def _at(date, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


# --- consultations --------------------------------------------------------------------------------
def consultations(gen):
    topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True))
    if not topics:  # `--flush` empties the table the migration had filled
        for order, (name, name_en) in enumerate(
            [("オンライン会議の開き方", "How to hold an online meeting"), ("イベントの配信", "Streaming an event"),
             ("機材の使い方", "Using the equipment"), ("団体の運営", "Running a group"), ("その他", "Other")],
            start=1,
        ):  # fmt: skip
            topics.append(Topic.objects.create(name=name, name_en=name_en, order=order * 10).pk)
    coordinators = gen.ids["staff"]
    locations = gen.ids["locations"]
    hours = [
        CoordinatorHours(coordinator_id=c, location_id=locations[n % len(locations)], weekday=wd,
                         start=dt.time(10), end=dt.time(17))
        for n, c in enumerate(coordinators)
        for wd in range(1, 6)  # Tuesday–Saturday
    ]  # fmt: skip
    gen.bulk(CoordinatorHours, hours)
    total = gen.counts["consultations"]
    open_days = _open_days(gen)
    # Past and near-future days of each coordinator's location, on their weekdays; hourly slots 10–16.
    plan = []
    for n, c in enumerate(coordinators):
        location = locations[n % len(locations)]
        for day in open_days[location]:
            if 1 <= day.weekday() <= 5:
                plan.append((c, location, day))
    per_day = max(1, min(7, -(-total // max(1, len(plan)))))
    written = 0
    batch: list[Any] = []
    modes = [m.value for m in Consultation.Mode]
    for coordinator, location, day in plan:
        if written + len(batch) >= total:
            break
        for hour in sorted(gen.rng.sample(range(10, 17), per_day)):
            if written + len(batch) >= total:
                break
            start = _at(day, hour)
            end = start + dt.timedelta(hours=1)
            future = day > gen.today
            roll = gen.rng.random()
            status = (
                "booked" if future else ("held" if roll < 0.85 else "no_show" if roll < 0.9 else "cancelled")
            )
            batch.append(
                Consultation(
                    location_id=location,
                    coordinator_id=coordinator,
                    topic_id=topics[gen.rng.randrange(len(topics))],
                    mode=gen.rng.choice(modes),
                    start=start,
                    end=end,
                    blocked_until=end,
                    name=gen.person(),
                    email=f"visitor{gen.rng.randrange(10**6):06d}@scale.example.jp",
                    message="オンライン会議の始め方を相談したい",
                    status=status,
                    manage_token=f"{gen.rng.getrandbits(192):048x}",
                    created_at=start - dt.timedelta(days=gen.rng.randint(1, 20)),
                )
            )
        if len(batch) >= CHUNK:
            written += len(gen.bulk(Consultation, batch))
            batch = []
    written += len(gen.bulk(Consultation, batch)) if batch else 0
    gen.done.add("consultations")
    if written < total:
        gen.report.skipped["consultations (short)"] = (
            f"{written:,} of {total:,}: the coordinators' days are full"
        )


# --- community ------------------------------------------------------------------------------------
def events(gen):
    approved = gen.ids["approved_groups"]
    categories = [c.value for c in Event.Category]
    objects = []
    for i in range(gen.counts["events"]):
        start = gen.today + dt.timedelta(days=gen.rng.randint(-HISTORY_DAYS, 365))
        roll = gen.rng.random()
        state = "published" if roll < 0.9 else ("submitted" if roll < 0.95 else "draft")
        created = _at(start - dt.timedelta(days=30), 9)
        objects.append(
            Event(
                title=f"{gen.rng.choice(['講演会', '清掃活動', '交流会', 'ワークショップ', '展示会'])} {i + 1}",
                title_en=f"Event {i + 1}",
                category=categories[i % len(categories)],
                start_date=start,
                end_date=start + dt.timedelta(days=gen.rng.choice([0, 0, 0, 1, 2])),
                start_time=dt.time(gen.rng.randint(9, 18)),
                venue_name="金沢市市民活動サポートセンター",
                group_id=approved[gen.rng.randrange(len(approved))],
                description="スケール試験用のイベントです。",
                fee_basic="無料",
                status="cancelled" if gen.rng.random() < 0.03 else "scheduled",
                state=state,
                created_at=created,
                updated_at=created,
                published_at=created if state == "published" else None,
            )
        )
    gen.bulk(Event, objects)
    gen.done.add("events")


def news(gen):
    staff = gen.ids["staff"]
    objects = []
    for i in range(gen.counts["news"]):
        at = gen.now - dt.timedelta(days=gen.rng.randint(-10, HISTORY_DAYS))
        objects.append(
            NewsPost(
                title=f"お知らせ {i + 1}",
                title_en=f"Notice {i + 1}",
                body="**スケール試験**用のお知らせです。\n\n- 一つ目\n- 二つ目",
                publish_at=at,
                pinned=i < 2,
                created_by_id=staff[0] if staff else None,
                updated_at=at,
            )
        )
    gen.bulk(NewsPost, objects)
    gen.done.add("news")
