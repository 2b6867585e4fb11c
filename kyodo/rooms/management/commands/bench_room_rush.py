"""The opening-rush bench's database side (bench/room_rush.py): `seed` makes a location with rooms, one
approved group, member and API token per client, and rules under which the farthest month is open now;
`check` reports, as JSON, how many 区分 each (room, day, 区分) holds (never more than one). Refuses to
run unless KYODO_BENCH=1."""

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from kyodo.core.models import Location, OpeningHours, User
from kyodo.core.tokens import issue_token
from kyodo.groups.models import Group, Membership
from kyodo.rooms.models import Fee, FeeCategory, Room, RoomBooking, RoomBookingPeriod, RoomSettings
from kyodo.rooms.services import periods_of


class Command(BaseCommand):
    help = "Seed or check the opening-rush bench (KYODO_BENCH=1 only)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["seed", "check"])
        parser.add_argument("--clients", type=int, default=300)
        parser.add_argument("--rooms", type=int, default=4)

    def handle(self, *args, **options):
        if not settings.KYODO_BENCH:
            raise CommandError("bench_room_rush runs only with KYODO_BENCH=1")
        if options["action"] == "check":
            self.stdout.write(json.dumps(check()))
        else:
            self.stdout.write(json.dumps(seed(options["clients"], options["rooms"])))


@transaction.atomic
def seed(clients: int, rooms: int) -> dict:
    location = Location.objects.create(
        name="ベンチセンター", address="金沢市", phone="076-000-0000", email="b@example.jp"
    )
    for weekday in range(7):
        OpeningHours.objects.create(location=location, weekday=weekday, opens=dt.time(9), closes=dt.time(21))
    location.closed_on_holidays = False
    location.closed_at_year_end = False
    location.save()
    today = timezone.localdate()
    # The month opened at 00:00 on the 1st of this month: its days are the rush's days.
    RoomSettings.objects.create(location=location, months_ahead=1, opens_at=dt.time(0), close_days_before=1,
                                max_periods_per_month=0, max_future_bookings=0)  # fmt: skip
    index = today.year * 12 + today.month  # next month
    month = dt.date(index // 12, index % 12 + 1, 1)
    made = []
    for n in range(rooms):
        room = Room.objects.create(location=location, name=f"ベンチ室{n + 1}", capacity=30, order=n)
        for period in periods_of(location):
            Fee.objects.create(room=room, period=period, category=FeeCategory.REGISTERED, amount=1000)
        made.append(room.pk)
    tokens = []
    for i in range(clients):
        group = Group.objects.create(name=f"ベンチ団体{i}", kana=f"べんちだんたい{i}", representative="代表",
                                     contact_email=f"bench{i}@example.jp", status="approved")  # fmt: skip
        user = User.objects.create_user(email=f"bench{i}@example.jp", password=None, name=f"bench{i}")
        Membership.objects.create(group=group, user=user)
        tokens.append({"group": group.pk, "token": issue_token(user, "bench")[1]})
    days = [str(month + dt.timedelta(days=k)) for k in range(3)]
    return {"rooms": made, "days": days, "periods": [p.code for p in periods_of(location)], "clients": tokens}


def check() -> dict:
    held = (
        RoomBookingPeriod.objects.active()
        .values("room_id", "date", "period_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [row["n"] for row in held]
    return {
        "slots_held": len(counts),
        "max_per_slot": max(counts, default=0),
        "oversold": sum(n - 1 for n in counts if n > 1),
        "bookings": RoomBooking.objects.count(),
    }
