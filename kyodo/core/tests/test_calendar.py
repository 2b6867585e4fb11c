import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.core import calendar
from kyodo.core.models import Closure

pytestmark = pytest.mark.django_db


def test_regular_closed_weekday_holiday_and_year_end(location):
    assert calendar.is_open(location, dt.date(2026, 12, 1))  # Tuesday
    assert not calendar.is_open(location, dt.date(2026, 11, 30))  # Monday: no opening hours
    assert not calendar.is_open(location, dt.date(2026, 11, 23))  # 勤労感謝の日 (a Monday anyway)
    assert not calendar.is_open(location, dt.date(2026, 11, 3))  # 文化の日, a Tuesday
    for day in [dt.date(2026, 12, 29), dt.date(2026, 12, 31), dt.date(2027, 1, 2), dt.date(2027, 1, 3)]:
        assert not calendar.is_open(location, day)
    assert calendar.is_open(location, dt.date(2027, 1, 5))


def test_closed_day_has_a_reason(location):
    day = calendar.calendar_for(location, dt.date(2026, 11, 3), dt.date(2026, 11, 3)).day(
        dt.date(2026, 11, 3)
    )
    assert not day.is_open and day.reason == "文化の日"


def test_holiday_and_year_end_closures_can_be_switched_off(location):
    location.closed_on_holidays = False
    location.closed_at_year_end = False
    location.save()
    assert calendar.is_open(location, dt.date(2026, 11, 3))
    assert calendar.is_open(location, dt.date(2026, 12, 29))


def test_ad_hoc_closure(location):
    Closure.objects.create(
        location=location, start_date=dt.date(2026, 12, 8), end_date=dt.date(2026, 12, 10), reason="点検"
    )
    assert calendar.open_days(location, dt.date(2026, 12, 7), dt.date(2026, 12, 12)) == [
        dt.date(2026, 12, 11),
        dt.date(2026, 12, 12),
    ]


def test_add_open_days_skips_closed_days(location):
    # Sat 2026-12-26 → next open days: Sun 27, (Mon 28 closed weekday), 29–3 year end, Mon 4 closed, Tue 5.
    assert calendar.add_open_days(location, dt.date(2026, 12, 26), 1) == dt.date(2026, 12, 27)
    assert calendar.add_open_days(location, dt.date(2026, 12, 26), 2) == dt.date(2027, 1, 5)
    assert calendar.next_open_day(location, dt.date(2026, 12, 27)) == dt.date(2027, 1, 5)
    assert calendar.add_open_days(location, dt.date(2026, 11, 30), 0) == dt.date(2026, 12, 1)


def test_add_open_days_looks_past_a_long_closure_and_stops_at_the_horizon(location):
    # The first look covers a few weeks; a 90-day closure makes it look further, up to the horizon.
    Closure.objects.create(location=location, start_date=dt.date(2027, 2, 1), end_date=dt.date(2027, 5, 1))
    assert calendar.add_open_days(location, dt.date(2027, 1, 31), 1) == dt.date(2027, 5, 2)
    assert calendar.add_open_days(location, dt.date(2027, 1, 31), 1, horizon_days=60) is None
    nth = calendar.add_open_days(location, dt.date(2027, 1, 31), 12)
    assert nth == calendar.open_days(location, dt.date(2027, 2, 1), dt.date(2027, 12, 31))[11]


def test_holidays_between_crosses_the_new_year():
    found = calendar.holidays_between(dt.date(2026, 12, 20), dt.date(2027, 1, 15))
    assert found == {dt.date(2027, 1, 1): "元日", dt.date(2027, 1, 11): "成人の日"}


def test_open_days_costs_two_queries_whatever_the_range(location, django_assert_num_queries):
    location = type(location).objects.get(pk=location.pk)
    with django_assert_num_queries(2):
        calendar.open_days(location, dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(start=st.dates(dt.date(2024, 1, 1), dt.date(2030, 12, 31)), length=st.integers(0, 60))
def test_open_days_agree_with_is_open(start, length):
    from conftest import make_location

    location = make_location()
    end = start + dt.timedelta(days=length)
    days = calendar.open_days(location, start, end)
    every = [start + dt.timedelta(days=i) for i in range(length + 1)]
    assert days == [d for d in every if calendar.is_open(location, d)]
    for d in days:
        assert d.weekday() != 0 and not calendar.is_year_end(d)


def test_month_page_marks_closed_days(client, location):
    html = client.get(f"/locations/{location.pk}/calendar/?month=2026-11").content.decode()
    assert "文化の日" in html and "定休日" in html


def test_time_filter_shows_tokyo_time():
    import datetime as dt

    from kyodo.core.dates import format_date, format_time

    utc = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    assert format_time(utc) == "15:00"
    assert format_date(dt.date(2021, 11, 13), "ja") == "2021年11月13日(土)"
    assert format_date(dt.date(2021, 11, 13), "en") == "Sat, 13 Nov 2021"
