"""Dates shown the Japanese way (2026年12月1日(火)) or the English way, and fiscal years (年度)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_date(value: dt.date | None, language: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    language = language or get_language() or "ja"
    if language.startswith("en"):
        return f"{WEEKDAYS_EN[value.weekday()]}, {value.day} {MONTHS_EN[value.month - 1]} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日({WEEKDAYS_JA[value.weekday()]})"


def format_time(value: dt.time | dt.datetime | None) -> str:
    """hh:mm; an aware datetime is shown in Asia/Tokyo, not in the zone it was stored in."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    return value.strftime("%H:%M")


def format_datetime(value: dt.datetime | None, language: str | None = None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{format_date(local.date(), language)} {local:%H:%M}"


def weekday_name(weekday: int, language: str | None = None) -> str:
    language = language or get_language() or "ja"
    return WEEKDAYS_EN[weekday] if language.startswith("en") else WEEKDAYS_JA[weekday]


def fiscal_year(date: dt.date) -> int:
    """The fiscal year (April–March) a date falls in: 2027-03-31 → 2026."""
    return date.year if date.month >= 4 else date.year - 1


def fiscal_year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def reiwa_label(year: int) -> str:
    """令和8年度 for 2026 (Reiwa 1 = 2019; 令和元年度 for 2019, which began on 4/1 in 平成31年: the fiscal
    year is named by the era it mostly lies in). A fiscal year before 2019 is a 平成 year (平成30年度 for
    2018), never 令和0年度."""
    if year < 2019:
        n = year - 1988
        return "平成元年度" if n == 1 else f"平成{n}年度"
    n = year - 2018
    return "令和元年度" if n == 1 else f"令和{n}年度"


def fiscal_year_label(year: int, language: str | None = None) -> str:
    language = language or get_language() or "ja"
    return f"FY{year}" if language.startswith("en") else reiwa_label(year)
