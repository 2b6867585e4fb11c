"""Rooms fixtures: a fixed 'now' (Tuesday 2027-06-01 10:00 in Tokyo; the test location is closed on
Mondays), two rooms with fees, and a `booking` helper that goes through the services."""

import datetime as dt

import pytest
from django.utils import timezone

NOW = timezone.make_aware(dt.datetime(2027, 6, 1, 10, 0))
TODAY = NOW.date()


def d(day, month=6, year=2027):
    return dt.date(year, month, day)


def at(day, hour=10, minute=0, month=6, year=2027):
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class Clock:
    def __init__(self):
        self.value = NOW

    def now(self):
        return self.value

    def today(self):
        return timezone.localdate(self.value)

    def set(self, value):
        self.value = value


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    from kyodo.rooms.services import clock as module

    fake = Clock()
    monkeypatch.setattr(module, "now", fake.now)
    monkeypatch.setattr(module, "today", fake.today)
    return fake


@pytest.fixture
def hall(location):
    from kyodo.rooms.models import Fee, FeeCategory, Room
    from kyodo.rooms.services import periods_of

    room = Room.objects.create(
        location=location, name="交流ホール", name_en="Hall", capacity=60, equipment="プロジェクター\nマイク"
    )
    for period in periods_of(location):
        Fee.objects.create(room=room, period=period, category=FeeCategory.REGISTERED, amount=1000)
        Fee.objects.create(room=room, period=period, category=FeeCategory.GENERAL, amount=2000)
    return room


@pytest.fixture
def meeting_room(location):
    from kyodo.rooms.models import Fee, FeeCategory, Room
    from kyodo.rooms.services import periods_of

    room = Room.objects.create(
        location=location, name="会議室", name_en="Meeting room", capacity=12, order=1,
        bookable_by=Room.BookableBy.ACCOUNTS,
    )  # fmt: skip
    for period in periods_of(location):
        Fee.objects.create(room=room, period=period, category=FeeCategory.REGISTERED, amount=500)
        Fee.objects.create(room=room, period=period, category=FeeCategory.GENERAL, amount=800)
    return room


@pytest.fixture
def make_booking(db):
    """make_booking(user, room, date, periods=["evening"], group=None, status="provisional", staff=None)."""
    from kyodo.rooms import services
    from kyodo.rooms.models import RoomBooking

    def make(user, room, date, periods=("evening",), group=None, status="provisional", staff=None, **extra):
        data = {"room": room.pk, "date": date, "periods": list(periods), "terms_accepted": True,
                "group": group.pk if group else None, "purpose": "総会", "attendees": 10, **extra}  # fmt: skip
        booking = services.book(user, data)
        if status == "provisional":
            return booking
        services.apply(
            user, booking.pk,
            {"purpose": "総会", "attendees": 10, "person_in_charge": "山田", "terms_accepted": True},
        )  # fmt: skip
        if status == "applied":
            return RoomBooking.objects.get(pk=booking.pk)
        services.approve(staff, booking.pk)
        if status == "approved":
            return RoomBooking.objects.get(pk=booking.pk)
        raise ValueError(status)

    return make
