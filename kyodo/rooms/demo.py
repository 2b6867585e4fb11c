"""Sample rooms at the demo location: 交流ホール and 会議室 with 区分 and fees, and a few bookings in each
state around today (one lapsing tomorrow), made through the services with the clock moved, so every rule
holds. Idempotent: rooms by name; bookings only when the rooms have none. Sample bookings send no mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kyodo.core import calendar
from kyodo.core.errors import Unavailable
from kyodo.core.models import OutboundEmail, User
from kyodo.groups.models import Group
from kyodo.rooms import services
from kyodo.rooms.models import Fee, FeeCategory, Room, RoomBooking, RoomSettings

ROOMS = [
    # name, name_en, capacity, area, equipment, accessibility, fee registered, fee general
    ("交流ホール（サンプル）", "Exchange hall (sample)", 60, "90.0", "プロジェクター\nスクリーン\nマイク2本\n長机20台・椅子60脚",
     "1階・段差なし、車いす用トイレあり", 1500, 3000),
    ("会議室（サンプル）", "Meeting room (sample)", 12, "30.0", "ホワイトボード\nモニター（HDMI）\n流し台",
     "1階・入口に段差なし", 500, 1000),
]  # fmt: skip
MEMBER_GROUP = "サンプル町会（デモ）"
STUDENT_GROUP = "サンプル学生サークル（デモ）"


@contextmanager
def moved_clock(when: dt.datetime) -> Iterator[None]:
    original_now, original_today = services.clock.now, services.clock.today
    services.clock.now = lambda: when
    services.clock.today = lambda: timezone.localdate(when)
    try:
        yield
    finally:
        services.clock.now, services.clock.today = original_now, original_today


def _rooms(location: Any) -> list[Room]:
    rooms = []
    for order, (name, name_en, capacity, area, equipment, access, registered, general) in enumerate(ROOMS):
        room, created = Room.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "location": location, "capacity": capacity, "area": area,
                      "equipment": equipment, "accessibility": access, "order": order,
                      "allowed_uses": "会議・講座・練習・イベント（営利・宗教・政治目的の利用はできません）"},
        )  # fmt: skip
        if created:
            for period in services.periods_of(location):
                Fee.objects.create(
                    room=room, period=period, category=FeeCategory.REGISTERED, amount=registered
                )
                Fee.objects.create(room=room, period=period, category=FeeCategory.GENERAL, amount=general)
        rooms.append(room)
    return rooms


def _try(step: Callable[[], Any]) -> Any:
    try:
        with transaction.atomic():
            return step()
    except (ValidationError, Unavailable):
        return None  # the calendar around today (a holiday, the year-end) breaks a rule: skip it


def _bookings(location: Any, rooms: list[Room], today: dt.date) -> None:
    member_group = Group.objects.filter(name=MEMBER_GROUP).first()
    student_group = Group.objects.filter(name=STUDENT_GROUP).first()
    staff = (
        User.objects.filter(email="staff@example.jp").first() or User.objects.filter(is_staff=True).first()
    )
    if not (member_group and student_group and staff) or RoomBooking.objects.filter(room__in=rooms).exists():
        return
    member = member_group.memberships.select_related("user").first()
    student = student_group.memberships.select_related("user").first()
    if member is None or student is None:
        return
    hall, meeting = rooms
    noon = dt.time(12)

    def at(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, noon))

    def book(
        user: Any, group: Group, room: Room, day: dt.date | None, periods: list[str], when: dt.date
    ) -> Any:
        if day is None:
            return None
        with moved_clock(at(when)):
            return services.book(user, {"room": room.pk, "date": day, "periods": periods, "group": group.pk,
                                        "purpose": "定例会（サンプル）", "attendees": 10, "terms_accepted": True})  # fmt: skip

    def application(user: Any, booking: Any, when: dt.date, **extra: Any) -> Any:
        with moved_clock(at(when)):
            return services.apply(user, booking.pk, {"purpose": "定例会（サンプル）", "attendees": 10,
                                                     "person_in_charge": "町会 太郎", "terms_accepted": True, **extra})  # fmt: skip

    def open_day(n: int) -> dt.date | None:
        return calendar.add_open_days(location, today, n)

    # A permitted evening next week, paid, with a 50% 減免.
    def permitted() -> None:
        booking = book(member.user, member_group, hall, open_day(5), ["evening"], today)
        application(member.user, booking, today, reduction="half", reduction_reason="町会の公益活動（総会）")
        with moved_clock(at(today)):
            services.approve(staff, booking.pk)
            services.take_payment(staff, booking.pk)

    # A use application waiting for staff.
    def applied() -> None:
        booking = book(student.user, student_group, meeting, open_day(8), ["afternoon"], today)
        application(student.user, booking, today)

    # A 仮予約 made a week ago: its 使用申請 is due today, so it lapses tomorrow.
    def lapsing() -> None:
        made = today - dt.timedelta(days=RoomSettings.objects.get(location=location).application_days)
        book(member.user, member_group, meeting, open_day(12), ["morning"], made)

    # A fresh 仮予約, a cancelled one, and a past booking with its attendance.
    def provisional() -> None:
        book(student.user, student_group, hall, open_day(15), ["afternoon", "evening"], today)

    def cancelled() -> None:
        booking = book(member.user, member_group, hall, open_day(20), ["morning"], today)
        with moved_clock(at(today)):
            services.cancel(member.user, booking.pk)

    def past() -> None:
        before = today - dt.timedelta(days=20)
        day = calendar.add_open_days(location, today - dt.timedelta(days=10), 0)
        booking = book(member.user, member_group, meeting, day, ["evening"], before)
        application(member.user, booking, before)
        with moved_clock(at(before)):
            services.approve(staff, booking.pk)
            services.take_payment(staff, booking.pk)
        with moved_clock(at(today)):
            services.record_attendance(staff, booking.pk, 9)

    for step in (permitted, applied, lapsing, provisional, cancelled, past):
        _try(step)


def load(today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    location = calendar.default_location()
    if location is None:
        return {}
    RoomSettings.objects.get_or_create(location=location)
    rooms = _rooms(location)
    first_mail = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _bookings(location, rooms, today)
    OutboundEmail.objects.filter(pk__gt=first_mail, template__startswith="rooms/").delete()
    return {"rooms": rooms}
