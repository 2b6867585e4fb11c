"""The slot rules with the database: notice, horizon, time off, moving a booking onto its own time.

A fixed `now` in June 2027 (no holidays; the test location is closed on Mondays; the coordinators work
Tuesday–Saturday 10:00–17:00, see conftest)."""

import datetime as dt

import pytest
from django.utils import timezone

from kyodo.consultations import services, slots
from kyodo.consultations.models import ConsultationSettings, CoordinatorException
from kyodo.consultations.tests.conftest import at, bookable_day, person
from kyodo.core.models import Closure, Location

pytestmark = pytest.mark.django_db
TUESDAY = dt.date(2027, 6, 1)


def d(day):
    return dt.date(2027, 6, day)


def offered(location, first, last, now, **kw):
    return {s.start: s.free for s in slots.slots_for(location, first, last, now, **kw)}


def days_of(found):
    return sorted({start.astimezone(slots.TOKYO).date() for start, free in found.items() if free})


def test_a_notice_of_one_open_day_offers_nothing_the_same_day(hours):
    found = offered(hours, d(1), d(5), at(d(1), 8))
    assert d(1) not in days_of(found) and days_of(found)[0] == d(2)
    assert min(found) == at(d(2), 10)  # the first start of the next open day


def test_the_notice_counts_open_days_not_calendar_days(hours):
    Closure.objects.create(location=hours, start_date=d(2), end_date=d(2), reason="点検")
    assert days_of(offered(hours, d(1), d(5), at(d(1), 8)))[0] == d(3)
    # From Saturday: Sunday is the next open day (no coordinator then), Monday is closed: Tuesday.
    assert days_of(offered(hours, d(5), d(12), at(d(5), 8)))[0] == d(8)
    ConsultationSettings.objects.create(location=hours, notice_open_days=2)
    assert days_of(offered(hours, d(1), d(5), at(d(1), 8)))[0] == d(4)  # Wed closed: Thu 1, Fri 2


def test_no_notice_offers_later_today_from_the_earliest_moment_exactly(hours):
    ConsultationSettings.objects.create(location=hours, notice_open_days=0)
    found = offered(hours, d(1), d(1), at(d(1), 11))
    assert min(found) == at(d(1), 11) and found[at(d(1), 11)] == 2  # exactly now is offered
    found = offered(hours, d(1), d(1), at(d(1), 11) + dt.timedelta(seconds=1))
    assert min(found) == at(d(1), 12)


def test_staff_see_the_whole_day_inside_the_notice_period(hours):
    found = offered(hours, d(1), d(1), at(d(1), 8), ignore_notice=True)
    assert min(found) == at(d(1), 10) and len(found) == 7


def test_the_horizon_keeps_its_last_day(hours):
    ConsultationSettings.objects.create(location=hours, horizon_days=3)  # today + 3 = Friday 4 June
    assert days_of(offered(hours, d(1), d(12), at(d(1), 8))) == [d(2), d(3), d(4)]


def test_a_horizon_with_no_open_day_is_an_empty_range_not_an_error(hours):
    Closure.objects.create(location=hours, start_date=d(2), end_date=dt.date(2029, 1, 1), reason="改修")
    location = Location.objects.get(pk=hours.pk)
    conf = ConsultationSettings.for_location(location)
    earliest, last_date = slots.booking_window(location, conf, at(d(1), 8))
    assert last_date < earliest.astimezone(slots.TOKYO).date()  # an empty range
    assert offered(location, d(1), d(30), at(d(1), 8)) == {}
    assert services.bookable_days(location, now=at(d(1), 8)) == []


def test_the_api_answers_an_empty_list_when_no_day_is_open(client, hours):
    today = timezone.localdate()
    Closure.objects.create(location=hours, start_date=today, end_date=today + dt.timedelta(days=800))
    response = client.get(f"/api/v1/consultations/slots?start={today}&end={today + dt.timedelta(days=30)}")
    assert response.status_code == 200 and response.json() == []


def test_a_partial_day_off_loses_that_hour_only(hours, staff, coordinator2):
    CoordinatorException.objects.create(coordinator=staff, date=d(2), start=dt.time(12), end=dt.time(13))
    found = offered(hours, d(2), d(2), at(d(1), 8))
    assert [found[at(d(2), h)] for h in range(10, 17)] == [2, 2, 1, 2, 2, 2, 2]


def test_a_day_off_at_another_location_leaves_this_one_alone(hours, staff, coordinator2):
    elsewhere = Location.objects.create(name="別館", name_en="Annex")
    CoordinatorException.objects.create(coordinator=staff, location=elsewhere, date=d(2))
    assert set(offered(hours, d(2), d(2), at(d(1), 8)).values()) == {2}
    CoordinatorException.objects.create(coordinator=staff, location=hours, date=d(3))
    assert set(offered(hours, d(3), d(3), at(d(1), 8)).values()) == {1}
    CoordinatorException.objects.create(coordinator=coordinator2, location=None, date=d(4))
    assert set(offered(hours, d(4), d(4), at(d(1), 8)).values()) == {1}


def test_an_inactive_coordinator_offers_nothing_and_their_extra_hours_do_not_count(
    hours, staff, coordinator2
):
    CoordinatorException.objects.create(
        coordinator=coordinator2, location=hours, date=d(2), kind="extra", start=dt.time(17), end=dt.time(19)
    )
    assert offered(hours, d(2), d(2), at(d(1), 8))[at(d(2), 18)] == 1
    coordinator2.is_active = False
    coordinator2.save()
    found = offered(hours, d(2), d(2), at(d(1), 8))
    assert at(d(2), 18) not in found and set(found.values()) == {1}


def book(location, start, topic, **kw):
    return services.book(location, start, "in_person", topic, person(), **kw)


def test_moving_a_booking_by_one_slot(hours, topic, staff, coordinator2):
    day = bookable_day(hours)
    CoordinatorException.objects.create(coordinator=coordinator2, date=day)  # only `staff` works
    consultation = book(hours, at(day, 10), topic, actor=staff, coordinator=staff)
    moved = services.move(consultation, at(day, 11), actor=staff)
    assert (moved.start, moved.end, moved.coordinator_id) == (at(day, 11), at(day, 12), staff.pk)
    assert offered(hours, day, day, timezone.now(), ignore_notice=True)[at(day, 10)] == 1  # freed


def test_moving_a_booking_onto_part_of_its_own_time(hours, topic, staff, coordinator2):
    """A booking made when consultations lasted 90 minutes (10:00–11:30) moves to 11:00 once they last
    60: its own time does not count against it, and it keeps its coordinator."""
    day = bookable_day(hours)
    CoordinatorException.objects.create(coordinator=coordinator2, date=day)
    conf = ConsultationSettings.objects.create(location=hours, length_minutes=90)
    consultation = book(hours, at(day, 10), topic, actor=staff, coordinator=staff)
    assert consultation.end == at(day, 11, 30)
    conf.length_minutes = 60
    conf.save()
    assert offered(hours, day, day, timezone.now(), ignore_notice=True)[at(day, 11)] == 0  # for others
    moved = services.move(consultation, at(day, 11), actor=staff)
    assert (moved.start, moved.end, moved.coordinator_id) == (at(day, 11), at(day, 12), staff.pk)


def test_the_booking_window_is_the_first_open_days_midnight_to_the_horizon(hours):
    conf = ConsultationSettings.for_location(hours)
    assert slots.booking_window(hours, conf, at(d(1), 8)) == (at(d(2), 0), d(1) + dt.timedelta(days=60))
    assert slots.booking_window(hours, conf, at(d(1), 8), ignore_notice=True) == (
        at(d(1), 8),
        d(1) + dt.timedelta(days=60),
    )
    conf.notice_open_days = 0
    assert slots.booking_window(hours, conf, at(d(1), 8)) == (at(d(1), 8), d(1) + dt.timedelta(days=60))


def test_a_reversed_range_has_no_slots(hours):
    assert slots.slots_for(hours, d(3), d(2), at(d(1), 8)) == []


def test_a_booking_blocks_the_last_slot_of_the_range_and_one_from_before_it_still_counts(
    hours, topic, staff, coordinator2
):
    from kyodo.consultations.models import Consultation

    common = dict(mode="in_person", topic=topic, name="x", email="x@example.jp", location=hours)
    # The last slot of the range (16:00–17:00 on the last day).
    Consultation.objects.create(coordinator=staff, start=at(d(3), 16), end=at(d(3), 17),
                                blocked_until=at(d(3), 17), **common)  # fmt: skip
    # A long booking from when the hours were wider: from 8:00, it keeps coordinator2 busy until 10:30.
    Consultation.objects.create(coordinator=coordinator2, start=at(d(2), 8), end=at(d(2), 10, 15),
                                blocked_until=at(d(2), 10, 30), **common)  # fmt: skip
    found = offered(hours, d(2), d(3), at(d(1), 8))
    assert found[at(d(3), 16)] == 1 and found[at(d(3), 15)] == 2
    assert found[at(d(2), 10)] == 1 and found[at(d(2), 11)] == 2
    moved = offered(
        hours, d(2), d(3), at(d(1), 8), exclude_booking_id=Consultation.objects.get(start=at(d(3), 16)).pk
    )
    assert moved[at(d(3), 16)] == 2 and moved[at(d(2), 10)] == 1


def test_only_the_chosen_coordinators_are_offered(hours, staff, coordinator2):
    found = offered(hours, d(2), d(2), at(d(1), 8), coordinator_ids=[coordinator2.pk])
    assert set(found.values()) == {1}
    assert all(
        s.coordinator_ids == [coordinator2.pk]
        for s in slots.slots_for(hours, d(2), d(2), at(d(1), 8), coordinator_ids=[coordinator2.pk])
    )


def test_without_notice_the_earliest_moment_is_now_even_after_a_year_long_closure(hours):
    """Notice 0 asks no open-day count: a horizon longer than the calendar's look still reaches past a
    closure of more than a year (with notice, no first open day is found and the range is empty)."""
    ConsultationSettings.objects.create(location=hours, notice_open_days=0, horizon_days=500)
    reopening = d(1) + dt.timedelta(days=420)
    Closure.objects.create(location=hours, start_date=d(1), end_date=reopening - dt.timedelta(days=1))
    day = reopening
    while day.weekday() not in (1, 2, 3, 4, 5):
        day += dt.timedelta(days=1)
    location = Location.objects.get(pk=hours.pk)
    assert min(offered(location, day, day, at(d(1), 8))) == at(day, 10)


def test_a_booking_just_after_the_last_window_still_blocks_the_last_slots_buffer(
    hours, topic, staff, coordinator2
):
    """30-minute consultations with a 30-minute buffer, hours ending at 16:45: the 16:00 slot blocks
    until 17:00, so a booking at 16:50 (made when the hours were longer) takes it."""
    from kyodo.consultations.models import Consultation

    ConsultationSettings.objects.create(location=hours, length_minutes=30, buffer_minutes=30)
    for coordinator in (staff, coordinator2):
        CoordinatorException.objects.create(
            coordinator=coordinator, date=d(2), start=dt.time(16, 45), end=dt.time(17)
        )
    Consultation.objects.create(coordinator=staff, start=at(d(2), 16, 50), end=at(d(2), 17, 20),
                                blocked_until=at(d(2), 17, 50), mode="in_person", topic=topic, name="x",
                                email="x@example.jp", location=hours)  # fmt: skip
    found = offered(hours, d(2), d(2), at(d(1), 8))
    assert max(found) == at(d(2), 16) and found[at(d(2), 16)] == 1 and found[at(d(2), 15)] == 2
