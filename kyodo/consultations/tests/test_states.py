"""The named states of a booking (model methods and queryset methods): each answered once, here."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import make_location
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at

pytestmark = pytest.mark.django_db


def state(start, status="booked"):
    """An unsaved booking: the model's state questions need no database row."""
    return Consultation(status=status, start=start, end=start + dt.timedelta(hours=1))


def booking(location, coordinator, topic, start, status="booked", **extra):
    return Consultation.objects.create(
        location=location, coordinator=coordinator, topic=topic, mode="phone", name="x", status=status,
        start=start, end=start + dt.timedelta(hours=1), blocked_until=start + dt.timedelta(hours=1), **extra,
    )  # fmt: skip


def test_the_person_may_change_a_booked_or_waiting_booking_only_before_it_starts():
    start = timezone.now() + dt.timedelta(days=1)
    booked, pending = (
        state(start),
        state(start, "pending_confirmation"),
    )
    for c in (booked, pending):
        assert c.can_change() and c.can_cancel() and c.can_move()
        assert not c.can_change(start) and not c.can_cancel(start) and not c.can_move(start)
    for status in ("held", "no_show", "cancelled"):
        assert not state(start, status).can_change()


def test_staff_may_cancel_and_move_a_booked_consultation_after_it_started():
    start = timezone.now() - dt.timedelta(minutes=10)
    booked = state(start)
    assert not booked.can_cancel() and booked.can_cancel(by_staff=True)
    assert not booked.can_move() and booked.can_move(by_staff=True) and booked.can_reassign()
    pending = state(start, "pending_confirmation")
    assert pending.can_cancel(by_staff=True) and not pending.can_move(by_staff=True)
    held = state(start, "held")
    assert not held.can_cancel(by_staff=True) and not held.can_reassign()


def test_an_outcome_is_recorded_only_once_a_holding_booking_has_started():
    start = timezone.now() + dt.timedelta(hours=1)
    c = state(start)
    assert not c.can_mark() and c.can_mark(start)
    assert state(start, "held").can_mark(start)
    assert not state(start, "cancelled").can_mark(start)
    assert not state(start, "pending_confirmation").can_mark(start)


def test_a_waiting_booking_can_be_confirmed_until_its_time():
    start = timezone.now() + dt.timedelta(hours=1)
    pending = state(start, "pending_confirmation")
    assert pending.is_pending and pending.can_confirm() and not pending.can_confirm(start)
    assert not state(start).can_confirm()


def test_the_dashboard_asks_for_active_bookings_between_two_times_at_a_location(location, staff, topic):
    other = make_location("第二センター")
    day = dt.date(2026, 6, 2)
    here = booking(location, staff, topic, at(day, 10))
    booking(location, staff, topic, at(day, 11), "cancelled")
    booking(location, staff, topic, at(day, 12), "pending_confirmation")
    there = booking(other, staff, topic, at(day, 13))
    booking(location, staff, topic, at(day + dt.timedelta(days=1), 10))
    rows = Consultation.objects.active_between(at(day, 0), at(day + dt.timedelta(days=1), 0))
    assert set(rows) == {here, there}
    assert list(rows.at_location(location)) == [here]
    assert set(rows.at_location(None)) == {here, there}


def test_days_are_the_centers_days_and_upcoming_leaves_out_cancelled(location, staff, topic):
    day = timezone.localdate() + dt.timedelta(days=2)
    late = booking(location, staff, topic, at(day, 23, 30))  # 14:30 UTC: still `day` in Tokyo
    booking(location, staff, topic, at(day, 10), "cancelled")
    booking(location, staff, topic, at(day - dt.timedelta(days=5), 10))
    assert list(Consultation.objects.on_days(day, day).not_cancelled()) == [late]
    assert list(Consultation.objects.upcoming()) == [late]


def test_reminders_are_due_for_booked_ones_of_today_and_tomorrow_without_one(location, staff, topic):
    today = timezone.localdate() + dt.timedelta(days=3)
    now = at(today, 9)
    due = booking(location, staff, topic, at(today + dt.timedelta(days=1), 10))
    booking(location, staff, topic, at(today, 8))  # already started
    booking(location, staff, topic, at(today, 11), reminder_sent_at=now)
    booking(location, staff, topic, at(today, 12), "cancelled")
    booking(location, staff, topic, at(today + dt.timedelta(days=2), 10))
    assert list(Consultation.objects.due_for_reminder(today, now)) == [due]


def test_unconfirmed_bookings_lapse_after_a_day_or_at_their_time(location, staff, topic):
    now = timezone.now()
    fresh = booking(location, staff, topic, now + dt.timedelta(days=3), "pending_confirmation")
    old = booking(location, staff, topic, now + dt.timedelta(days=3), "pending_confirmation",
                  created_at=now - dt.timedelta(hours=25))  # fmt: skip
    started = booking(location, staff, topic, now - dt.timedelta(minutes=1), "pending_confirmation")
    assert set(Consultation.objects.to_lapse(now)) == {old, started}
    assert fresh not in Consultation.objects.to_lapse(now)


def test_the_statistics_count_confirmed_bookings_whatever_came_of_them(location, staff, topic):
    day = dt.date(2026, 6, 2)
    counted = {
        booking(location, staff, topic, at(day, hour), status)
        for hour, status in ((10, "booked"), (12, "held"), (14, "no_show"))
    }
    booking(location, staff, topic, at(day, 11), "cancelled")
    booking(location, staff, topic, at(day, 13), "pending_confirmation")
    assert set(Consultation.objects.counted_for_statistics()) == counted
