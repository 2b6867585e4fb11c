"""Demo: two sample coordinators with hours, the starting topics, and a few sample bookings around today."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from kyodo.consultations import services
from kyodo.consultations.models import (
    Consultation,
    ConsultationSettings,
    CoordinatorHours,
    CoordinatorProfile,
    Topic,
)
from kyodo.consultations.slots import TOKYO
from kyodo.core.calendar import default_location, open_days
from kyodo.core.demo import demo_user
from kyodo.core.errors import Unavailable
from kyodo.core.models import Location, User

TOPICS = [
    ("オンライン会議の開き方", "How to hold an online meeting"),
    ("イベントの配信", "Streaming an event"),
    ("機材の使い方", "Using the equipment"),
    ("団体の運営", "Running a group"),
    ("その他", "Other"),
]
# Sample hours: staff Tue–Sat 10:00–17:00, the second coordinator Wed–Sun 13:00–20:00.
HOURS = {
    "staff@example.jp": [(wd, dt.time(10), dt.time(17)) for wd in (1, 2, 3, 4, 5)],
    "coordinator2@example.jp": [(wd, dt.time(13), dt.time(20)) for wd in (2, 3, 4, 5, 6)],
}
SAMPLE_BOOKINGS = [
    # (open day offset from today, hour, topic index, mode, name, kana, group)
    (-2, 10, 0, "in_person", "町会 一郎（サンプル）", "ちょうかい いちろう", "サンプル町会（デモ）"),
    (1, 14, 1, "online", "配信 花子（サンプル）", "はいしん はなこ", "サンプル学生会議（デモ）"),
    (2, 10, 2, "phone", "機材 次郎（サンプル）", "きざい じろう", ""),
    (3, 15, 3, "in_person", "Sample Person", "さんぷる", "FIKA（sample）"),
]


def load(today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    location = default_location()
    if location is None:
        return
    _topics_and_coordinators(location)
    if Consultation.objects.filter(name__endswith="（サンプル）").exists():
        return
    _sample_bookings(location, today)


def _topics_and_coordinators(location: Location) -> None:
    """The topics, the location's settings, and the two sample coordinators with their hours."""
    for order, (name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"name_en": name_en, "order": order * 10})
    ConsultationSettings.objects.get_or_create(location=location)
    demo_user("staff@example.jp", "サポセン 職員（サンプル）", is_staff=True, is_coordinator=True)
    demo_user(
        "coordinator2@example.jp", "相談 コーディネーター（サンプル）", is_staff=True, is_coordinator=True
    )
    for email, rows in HOURS.items():
        user = User.objects.get(email=email)
        CoordinatorProfile.objects.get_or_create(
            coordinator=user, defaults={"meeting_url": f"https://meet.example.jp/{email.split('@')[0]}"}
        )
        for weekday, start, end in rows:
            CoordinatorHours.objects.get_or_create(
                coordinator=user, location=location, weekday=weekday, defaults={"start": start, "end": end}
            )


def _sample_bookings(location: Location, today: dt.date) -> None:
    """A few bookings around today: the future ones through the service, the past ones held."""
    days = open_days(location, today - dt.timedelta(days=10), today + dt.timedelta(days=20))
    past = [d for d in days if d < today]
    future = [d for d in days if d > today]
    topics = list(Topic.objects.order_by("order"))
    for offset, hour, topic_index, mode, name, kana, group in SAMPLE_BOOKINGS:
        pool = future if offset > 0 else list(reversed(past))
        if len(pool) < abs(offset):
            continue
        date = pool[abs(offset) - 1]
        at = dt.datetime.combine(date, dt.time(hour), tzinfo=TOKYO)
        data = {"name": name, "kana": kana, "email": "sample-booking@example.jp", "group_name": group}
        try:
            if offset > 0:
                services.book(location, at, mode, topics[topic_index], data, actor=_staff())
            else:
                _past_booking(location, at, mode, topics[topic_index], data)
        except (ValidationError, Unavailable):  # a sample that does not fit this calendar: skip it
            continue


def _staff() -> User:
    return User.objects.get(email="staff@example.jp")


def _past_booking(
    location: Location, start: dt.datetime, mode: str, topic: Topic, data: dict[str, str]
) -> None:
    """A past, held consultation (the services never book in the past), so the statistics have data."""
    Consultation.objects.create(
        location=location,
        coordinator=_staff(),
        topic=topic,
        mode=mode,
        start=start,
        end=start + dt.timedelta(hours=1),
        blocked_until=start + dt.timedelta(hours=1),
        status=Consultation.Status.HELD,
        **data,
    )
