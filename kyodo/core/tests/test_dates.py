"""Dates the Japanese and the English way, fiscal years (April–March) and their 令和 labels, at their edges."""

import datetime as dt

import pytest
from django.utils import translation

from kyodo.core import dates


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (dt.date(2027, 3, 31), 2026),  # the last day of 令和8年度
        (dt.date(2027, 4, 1), 2027),  # the first day of 令和9年度
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
        (dt.date(2026, 4, 30), 2026),
        (dt.date(2026, 3, 1), 2025),
    ],
)
def test_fiscal_year_turns_on_the_first_of_april(day, year):
    assert dates.fiscal_year(day) == year


def test_fiscal_year_range_is_april_first_to_march_thirty_first():
    assert dates.fiscal_year_range(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    first, last = dates.fiscal_year_range(2019)
    assert dates.fiscal_year(first) == 2019 and dates.fiscal_year(last) == 2019
    assert dates.fiscal_year(first - dt.timedelta(days=1)) == 2018
    assert dates.fiscal_year(last + dt.timedelta(days=1)) == 2020


def test_reiwa_labels_of_fiscal_years():
    # 令和 began on 2019-05-01; the fiscal year 2019 (from 2019-04-01) is called 令和元年度 as a whole.
    assert dates.reiwa_label(2019) == "令和元年度"
    assert dates.reiwa_label(2020) == "令和2年度"
    assert dates.reiwa_label(2026) == "令和8年度"
    assert dates.fiscal_year_label(dates.fiscal_year(dt.date(2019, 5, 1)), "ja") == "令和元年度"
    # 2019-04-30 was 平成31年, but it lies in the fiscal year 2019 (April 2019–March 2020): still 令和元年度.
    assert dates.fiscal_year(dt.date(2019, 4, 30)) == 2019


def test_a_fiscal_year_before_reiwa_is_a_heisei_year():
    """2019-03-31 lies in the fiscal year 2018: 平成30年度 (it used to read 令和0年度)."""
    assert dates.fiscal_year(dt.date(2019, 3, 31)) == 2018
    assert dates.fiscal_year_label(2018, "ja") == "平成30年度"
    assert dates.reiwa_label(2017) == "平成29年度"
    assert dates.reiwa_label(1989) == "平成元年度"
    assert dates.reiwa_label(1990) == "平成2年度"
    assert dates.fiscal_year_label(2018, "en") == "FY2018"


def test_fiscal_year_labels_in_japanese_and_english():
    assert dates.fiscal_year_label(2026, "ja") == "令和8年度"
    assert dates.fiscal_year_label(2026, "en") == "FY2026"
    assert dates.fiscal_year_label(2026, "en-us") == "FY2026"
    assert dates.fiscal_year_label(2019, "en") == "FY2019"
    with translation.override("en"):
        assert dates.fiscal_year_label(2027) == "FY2027"
    with translation.override("ja"):
        assert dates.fiscal_year_label(2027) == "令和9年度"


def test_dates_in_japanese_and_english_on_every_weekday_and_month():
    monday = dt.date(2026, 11, 30)
    ja = [dates.format_date(monday + dt.timedelta(days=n), "ja") for n in range(7)]
    assert ja == [
        "2026年11月30日(月)",
        "2026年12月1日(火)",
        "2026年12月2日(水)",
        "2026年12月3日(木)",
        "2026年12月4日(金)",
        "2026年12月5日(土)",
        "2026年12月6日(日)",
    ]
    assert dates.format_date(monday, "en") == "Mon, 30 Nov 2026"
    assert dates.format_date(dt.date(2027, 1, 3), "en") == "Sun, 3 Jan 2027"
    assert dates.format_date(dt.date(2027, 12, 31), "en") == "Fri, 31 Dec 2027"
    assert dates.format_date(None) == ""
    with translation.override("en"):
        assert dates.format_date(monday) == "Mon, 30 Nov 2026"
    with translation.override("ja"):
        assert dates.format_date(monday) == "2026年11月30日(月)"


def test_a_datetime_is_shown_by_its_tokyo_date():
    late_utc = dt.datetime(2026, 12, 1, 16, 30, tzinfo=dt.UTC)  # 01:30 on 2 December in Tokyo
    assert dates.format_date(late_utc, "ja") == "2026年12月2日(水)"
    assert dates.format_date(dt.datetime(2026, 12, 1, 23, 59), "ja") == "2026年12月1日(火)"  # naive
    assert dates.format_datetime(late_utc, "ja") == "2026年12月2日(水) 01:30"
    assert dates.format_datetime(late_utc, "en") == "Wed, 2 Dec 2026 01:30"
    assert dates.format_datetime(None) == ""


def test_times_are_shown_in_tokyo():
    assert dates.format_time(dt.datetime(2026, 12, 1, 6, 5, tzinfo=dt.UTC)) == "15:05"
    assert dates.format_time(dt.datetime(2026, 12, 1, 6, 5)) == "06:05"  # naive: as it is
    assert dates.format_time(dt.time(9, 0)) == "09:00"
    assert dates.format_time(None) == ""


def test_weekday_names():
    assert [dates.weekday_name(n, "ja") for n in range(7)] == list("月火水木金土日")
    assert dates.weekday_name(0, "en") == "Mon" and dates.weekday_name(6, "en") == "Sun"
    with translation.override("en"):
        assert dates.weekday_name(2) == "Wed"
    with translation.override("ja"):
        assert dates.weekday_name(2) == "水"
