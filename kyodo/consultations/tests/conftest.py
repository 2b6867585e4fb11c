"""Fixtures of the consultations tests: topics, a second coordinator, hours, and a bookable day."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from conftest import make_user
from kyodo.consultations.models import CoordinatorHours, Topic
from kyodo.consultations.slots import TOKYO
from kyodo.core.calendar import is_open
from kyodo.core.models import OutboundEmail

WORKDAYS = (1, 2, 3, 4, 5)  # the coordinators' hours in these tests: Tuesday–Saturday 10:00–17:00


@pytest.fixture
def topic(db):
    return Topic.objects.get_or_create(
        name="機材の使い方", defaults={"name_en": "Using the equipment", "order": 30}
    )[0]


@pytest.fixture
def other_topic(db):
    return Topic.objects.get_or_create(name="その他", defaults={"name_en": "Other", "order": 50})[0]


@pytest.fixture
def coordinator2(db):
    return make_user("coordinator2@example.jp", is_staff=True, is_coordinator=True)


@pytest.fixture
def clerk(db):
    """A staff member who is not a coordinator (the counter): runs the schedule, never takes a booking."""
    return make_user("clerk@example.jp", is_staff=True)


@pytest.fixture
def hours(location, staff, coordinator2):
    # Rate-limit counters live in the database cache table, which a transactional test's flush keeps.
    cache.clear()
    for user in (staff, coordinator2):
        for weekday in WORKDAYS:
            CoordinatorHours.objects.create(
                coordinator=user, location=location, weekday=weekday, start=dt.time(10), end=dt.time(17)
            )
    return location


def bookable_day(location, after_days=3):
    """An open weekday (Tue–Sat) at least `after_days` from today: safely past the notice period."""
    day = timezone.localdate() + dt.timedelta(days=after_days)
    while day.weekday() not in WORKDAYS or not is_open(location, day):
        day += dt.timedelta(days=1)
    return day


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TOKYO)


def person(**overrides):
    data = {
        "name": "金沢 花子",
        "kana": "かなざわ はなこ",
        "email": "hanako@example.jp",
        "phone": "",
        "group_name": "A町会",
        "message": "総会をオンラインで開きたい",
        "consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def day(hours):
    return bookable_day(hours)


CONFIRM_LINK = re.compile(r"/consultation/confirm/([A-Za-z0-9_-]+)/")


def mailed_token(consultation):
    """The confirmation token of a 仮受付, read from the one place that carries it: its mail."""
    mails = OutboundEmail.objects.filter(template="consultations/email/confirm_email").order_by("-id")
    for mail in mails:
        if mail.to == [consultation.email] and f"C{consultation.pk:06d}" in mail.body:
            return CONFIRM_LINK.search(mail.body).group(1)
    raise AssertionError("no confirmation mail for this booking")


def confirm_from_mail(consultation):
    """What the person does: open the mail's link and press the button."""
    from kyodo.consultations import services

    return services.confirm_email(mailed_token(consultation))
