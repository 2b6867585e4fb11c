"""The calendar at its edges: closures' first and last days, the year-end closure 12/29–1/3, holidays,
month grids and the look-ahead of add_open_days. The test location is open Tuesday–Sunday 9:00–21:00."""

import datetime as dt

import pytest
from django.utils import translation

from kyodo.core import calendar
from kyodo.core.models import Closure, Location

pytestmark = pytest.mark.django_db


def fresh(location):
    return Location.objects.get(pk=location.pk)  # the hours and closures are cached per instance


def test_a_one_day_closure_closes_that_day_only(location):
    Closure.objects.create(location=location, start_date=dt.date(2026, 12, 9), end_date=dt.date(2026, 12, 9))
    location = fresh(location)
    assert calendar.open_days(location, dt.date(2026, 12, 8), dt.date(2026, 12, 10)) == [
        dt.date(2026, 12, 8),
        dt.date(2026, 12, 10),
    ]
    assert not calendar.is_open(location, dt.date(2026, 12, 9))
    day = calendar.calendar_for(location, dt.date(2026, 12, 9), dt.date(2026, 12, 9)).day(
        dt.date(2026, 12, 9)
    )
    with translation.override("en"):
        day = calendar.calendar_for(location, dt.date(2026, 12, 9), dt.date(2026, 12, 9)).day(
            dt.date(2026, 12, 9)
        )
        assert day.reason == "Closed"  # a closure without a reason


def test_the_first_and_last_day_of_a_closure_are_closed(location):
    Closure.objects.create(
        location=location, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 11), reason="点検"
    )
    location = fresh(location)
    for day, is_open in [(7, False), (8, False), (11, False), (12, True), (6, True)]:  # 7th: a Monday
        assert calendar.is_open(location, dt.date(2026, 12, day)) is is_open, day
    cal = calendar.calendar_for(location, dt.date(2026, 12, 8), dt.date(2026, 12, 8))
    assert cal.day(dt.date(2026, 12, 8)).reason == "点検"
    # A calendar whose range starts or ends inside the closure still sees it.
    assert calendar.open_days(location, dt.date(2026, 12, 10), dt.date(2026, 12, 13)) == [
        dt.date(2026, 12, 12),
        dt.date(2026, 12, 13),
    ]
    assert calendar.open_days(location, dt.date(2026, 12, 5), dt.date(2026, 12, 9)) == [
        dt.date(2026, 12, 5),
        dt.date(2026, 12, 6),
    ]


def test_a_closure_outside_the_range_is_not_loaded_but_one_touching_it_is(location):
    Closure.objects.create(location=location, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 3))
    Closure.objects.create(
        location=location, start_date=dt.date(2026, 12, 20), end_date=dt.date(2026, 12, 22)
    )
    location = fresh(location)
    cal = calendar.calendar_for(location, dt.date(2026, 12, 3), dt.date(2026, 12, 20))
    assert [(c.start_date.day, c.end_date.day) for c in cal.closures] == [(1, 3), (20, 22)]
    cal = calendar.calendar_for(location, dt.date(2026, 12, 4), dt.date(2026, 12, 19))
    assert cal.closures == []


def test_the_year_end_closure_is_12_29_to_1_3_and_12_28_and_1_4_are_open():
    assert not calendar.is_year_end(dt.date(2026, 12, 28))
    assert calendar.is_year_end(dt.date(2026, 12, 29))
    assert calendar.is_year_end(dt.date(2026, 12, 31))
    assert calendar.is_year_end(dt.date(2027, 1, 1))
    assert calendar.is_year_end(dt.date(2027, 1, 3))
    assert not calendar.is_year_end(dt.date(2027, 1, 4))
    assert not calendar.is_year_end(dt.date(2026, 11, 29))  # the 29th of another month
    assert not calendar.is_year_end(dt.date(2027, 2, 2))  # the 2nd of another month


def test_12_28_and_1_4_are_open_days(location):
    location.opening_hours.create(weekday=0, opens=dt.time(9), closes=dt.time(17))  # open on Mondays too
    location = fresh(location)
    # 2027-12-28 is a Tuesday, 2028-01-04 a Tuesday; 2026-12-28 and 2027-01-04 are Mondays.
    assert calendar.is_open(location, dt.date(2027, 12, 28))
    assert calendar.is_open(location, dt.date(2028, 1, 4))
    assert calendar.is_open(location, dt.date(2026, 12, 28)) and calendar.is_open(
        location, dt.date(2027, 1, 4)
    )
    days = calendar.open_days(location, dt.date(2026, 12, 27), dt.date(2027, 1, 5))
    assert days == [dt.date(2026, 12, 27), dt.date(2026, 12, 28), dt.date(2027, 1, 4), dt.date(2027, 1, 5)]
    with translation.override("en"):
        cal = calendar.calendar_for(location, dt.date(2026, 12, 29), dt.date(2027, 1, 3))
        assert {d.reason for d in cal.days()} == {"Year-end closure"}
        assert len(list(cal.days())) == 6


def test_a_regular_closed_day_names_its_reason_and_opening_hours_come_from_the_weekday(location):
    location.opening_hours.filter(weekday=6).update(opens=dt.time(10), closes=dt.time(16))
    location = fresh(location)
    cal = calendar.calendar_for(location, dt.date(2026, 12, 6), dt.date(2026, 12, 8))
    with translation.override("en"):
        monday = cal.day(dt.date(2026, 12, 7))
        assert not monday.is_open and monday.reason == "Regular closed day"
    sunday, tuesday = cal.day(dt.date(2026, 12, 6)), cal.day(dt.date(2026, 12, 8))
    assert (sunday.opens, sunday.closes) == (dt.time(10), dt.time(16))
    assert (tuesday.opens, tuesday.closes) == (dt.time(9), dt.time(21))


def test_holidays_named_in_japanese_or_national_holiday_in_english(location):
    cal = calendar.calendar_for(location, dt.date(2026, 11, 3), dt.date(2026, 11, 3))
    with translation.override("en"):
        assert cal.day(dt.date(2026, 11, 3)).reason == "National holiday"
    with translation.override("ja"):
        assert cal.day(dt.date(2026, 11, 3)).reason == "文化の日"
    # A day outside the calendar's range is still answered (looked up on its own).
    assert not cal.day(dt.date(2027, 2, 23)).is_open  # 天皇誕生日, a Tuesday
    assert cal.day(dt.date(2027, 2, 24)).is_open


def test_holidays_between_includes_both_ends():
    assert calendar.holidays_between(dt.date(2026, 11, 3), dt.date(2026, 11, 3)) == {
        dt.date(2026, 11, 3): "文化の日"
    }
    assert calendar.holidays_between(dt.date(2026, 11, 4), dt.date(2026, 11, 22)) == {}
    assert dt.date(2026, 11, 23) in calendar.holidays_between(dt.date(2026, 11, 4), dt.date(2026, 11, 23))


def test_open_days_of_an_empty_or_one_day_range(location):
    assert calendar.open_days(location, dt.date(2026, 12, 2), dt.date(2026, 12, 1)) == []
    assert calendar.open_days(location, dt.date(2026, 12, 1), dt.date(2026, 12, 1)) == [dt.date(2026, 12, 1)]


def test_add_open_days_counts_from_the_day_after(location):
    tuesday = dt.date(2026, 12, 1)
    assert calendar.add_open_days(location, tuesday, 0) == tuesday  # itself, when open
    assert calendar.add_open_days(location, tuesday, 1) == dt.date(2026, 12, 2)
    assert calendar.add_open_days(location, tuesday, 6) == dt.date(2026, 12, 8)  # skips Monday 7
    assert calendar.add_open_days(location, dt.date(2026, 12, 6), 1) == dt.date(2026, 12, 8)
    assert calendar.next_open_day(location, dt.date(2026, 12, 5)) == dt.date(2026, 12, 6)


def test_add_open_days_at_the_edge_of_its_first_look_and_of_the_horizon(location):
    # The first look covers 7n + 21 days; a closure that ends on its last day, or the day after.
    start = dt.date(2027, 1, 31)
    Closure.objects.create(location=location, start_date=dt.date(2027, 2, 1), end_date=dt.date(2027, 2, 28))
    location = fresh(location)
    assert calendar.add_open_days(location, start, 1) == dt.date(2027, 3, 2)  # Mar 1 is a Monday
    assert calendar.add_open_days(location, start, 1, horizon_days=30) == dt.date(2027, 3, 2)
    assert calendar.add_open_days(location, start, 1, horizon_days=29) is None
    assert calendar.add_open_days(location, start, 2, horizon_days=31) == dt.date(2027, 3, 3)
    assert calendar.add_open_days(location, start, 3, horizon_days=31) is None


def test_month_weeks_start_on_sunday_and_leave_other_months_empty(location):
    weeks = calendar.month_weeks(location, 2026, 12)
    assert len(weeks) == 5 and all(len(week) == 7 for week in weeks)
    assert weeks[0][:2] == [None, None] and weeks[0][2].date == dt.date(2026, 12, 1)  # Tue 1 Dec
    assert weeks[-1][4].date == dt.date(2026, 12, 31) and weeks[-1][5:] == [None, None]
    by_date = {d.date: d for week in weeks for d in week if d}
    assert len(by_date) == 31
    assert not by_date[dt.date(2026, 12, 29)].is_open and by_date[dt.date(2026, 12, 27)].is_open


def test_default_location_is_the_first_by_order(location):
    location.order = 5
    location.save()
    other = Location.objects.create(name="別館", order=1)
    assert calendar.default_location() == other
    Location.objects.create(name="分館", order=1)  # the same order: the older first
    assert calendar.default_location() == other


def test_month_weeks_see_closures_on_the_first_and_last_day_of_the_month(location):
    Closure.objects.create(location=location, start_date=dt.date(2026, 12, 1), end_date=dt.date(2026, 12, 1))
    Closure.objects.create(
        location=location, start_date=dt.date(2026, 12, 20), end_date=dt.date(2026, 12, 20)
    )
    location.opening_hours.create(weekday=0, opens=dt.time(9), closes=dt.time(17))
    location.closed_at_year_end = False
    location.save()
    location = fresh(location)
    by_date = {d.date: d for week in calendar.month_weeks(location, 2026, 12) for d in week if d}
    assert not by_date[dt.date(2026, 12, 1)].is_open and not by_date[dt.date(2026, 12, 20)].is_open
    assert by_date[dt.date(2026, 12, 2)].is_open and by_date[dt.date(2026, 12, 31)].is_open
    Closure.objects.create(location=location, start_date=dt.date(2026, 12, 31), end_date=dt.date(2027, 1, 2))
    location = fresh(location)
    by_date = {d.date: d for week in calendar.month_weeks(location, 2026, 12) for d in week if d}
    assert not by_date[dt.date(2026, 12, 31)].is_open and by_date[dt.date(2026, 12, 30)].is_open


# --- Today at a location (the home page and the location pages) --------------------------------------


def test_today_at_an_open_day_says_open_and_nothing_about_the_next(location):
    today = calendar.today_at(fresh(location), dt.date(2026, 12, 8))  # a Tuesday
    assert today.day.date == dt.date(2026, 12, 8) and today.day.is_open
    assert today.next_open is None and today.next_hours is None


def test_today_at_a_closed_day_names_the_next_open_day_and_its_hours(location):
    today = calendar.today_at(fresh(location), dt.date(2026, 12, 7))  # a Monday, the closed weekday
    assert today.day.date == dt.date(2026, 12, 7) and not today.day.is_open
    assert today.next_open == dt.date(2026, 12, 8)
    assert today.next_hours is not None and today.next_hours.weekday == 1
    assert today.next_hours.opens == dt.time(9, 0)


def test_today_at_without_a_date_is_today(location):
    from django.utils import timezone

    assert calendar.today_at(fresh(location)).day.date == timezone.localdate()


def test_a_location_without_hours_has_no_next_open_day(location):
    location.opening_hours.all().delete()
    today = calendar.today_at(fresh(location), dt.date(2026, 12, 8))
    assert not today.day.is_open and today.next_open is None and today.next_hours is None
    assert calendar.closed_weekdays(fresh(location)) == [0, 1, 2, 3, 4, 5, 6]


def test_the_closed_weekdays_are_those_without_hours(location):
    assert calendar.closed_weekdays(fresh(location)) == [0]  # open Tuesday–Sunday
    location.opening_hours.filter(weekday=6).delete()
    assert calendar.closed_weekdays(fresh(location)) == [0, 6]
