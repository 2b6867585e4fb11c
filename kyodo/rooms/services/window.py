"""The booking window: month M opens at `opens_at` on the 1st of month M−N (N = months_ahead), and a day
closes `close_days_before` open days before it. Pure date arithmetic plus the location calendar: nothing
here reads a booking, so the opening rush costs the same however many bookings there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import calendar
from kyodo.core.dates import format_datetime
from kyodo.core.models import Location
from kyodo.rooms.models import Period, RoomSettings


def settings_for(location: Location) -> RoomSettings:
    """The location's room rules (the defaults until staff change them)."""
    cache = location.__dict__
    if "_room_settings" not in cache:
        cache["_room_settings"] = RoomSettings.objects.get_or_create(location=location)[0]
    rules: RoomSettings = cache["_room_settings"]
    return rules


def periods_of(location: Location) -> list[Period]:
    """The location's 区分, in order; the defaults (午前, 午後, 夜間) are created the first time."""
    cache = location.__dict__
    if "_room_periods" not in cache:
        periods = list(Period.objects.filter(location=location).order_by("order", "start"))
        if not periods:
            for order, (code, name, name_en, start, end) in enumerate(Period.DEFAULTS):
                Period.objects.get_or_create(
                    location=location,
                    code=code,
                    defaults={"name": name, "name_en": name_en, "start": start, "end": end, "order": order},
                )
            periods = list(Period.objects.filter(location=location).order_by("order", "start"))
        cache["_room_periods"] = periods
    result: list[Period] = cache["_room_periods"]
    return result


def first_of_opening_month(day: dt.date, months_ahead: int) -> dt.date:
    """The 1st of the month `months_ahead` months before the month of `day`."""
    index = day.year * 12 + (day.month - 1) - months_ahead
    return dt.date(index // 12, index % 12 + 1, 1)


def opens_at(rules: RoomSettings, day: dt.date) -> dt.datetime:
    """When bookings for `day` open (an aware datetime in Asia/Tokyo)."""
    first = first_of_opening_month(day, rules.months_ahead)
    return timezone.make_aware(dt.datetime.combine(first, rules.opens_at))


def last_bookable_from(location: Location, rules: RoomSettings, today: dt.date) -> dt.date | None:
    """The earliest day still bookable today: `close_days_before` open days after today (None: none)."""
    return calendar.add_open_days(location, today, rules.close_days_before)


@dataclass(frozen=True)
class Window:
    """The window as seen at one instant: asked per day without touching the database again."""

    location: Location
    rules: RoomSettings
    now: dt.datetime
    earliest: dt.date | None

    def is_open_yet(self, day: dt.date) -> bool:
        return self.now >= opens_at(self.rules, day)

    def too_late(self, day: dt.date) -> bool:
        return self.earliest is None or day < self.earliest

    def is_bookable(self, day: dt.date) -> bool:
        return self.is_open_yet(day) and not self.too_late(day)


def window_at(location: Location, now: dt.datetime) -> Window:
    rules = settings_for(location)
    today = timezone.localdate(now)
    return Window(location, rules, now, last_bookable_from(location, rules, today))


def check(window: Window, day: dt.date) -> None:
    """ValidationError naming the rule when `day` is outside the window at this instant."""
    from django.core.exceptions import ValidationError

    if not window.is_open_yet(day):
        raise ValidationError(
            {
                "date": [
                    ValidationError(
                        _("Bookings for this day open at %(when)s (%(n)s months ahead).")
                        % {
                            "when": format_datetime(opens_at(window.rules, day)),
                            "n": window.rules.months_ahead,
                        },
                        code="not_open_yet",
                    )
                ]
            }
        )
    if window.too_late(day):
        raise ValidationError(
            {
                "date": [
                    ValidationError(
                        _("Bookings close %(n)s open day(s) before the day: please call the center.")
                        % {"n": window.rules.close_days_before},
                        code="too_late",
                    )
                ]
            }
        )
