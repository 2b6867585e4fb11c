"""Property tests (hypothesis) for the booking window and the lapse."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo.core import calendar
from kyodo.rooms.models import RoomBooking, RoomBookingPeriod, RoomSettings
from kyodo.rooms.services import lapse, periods_of, window

days = st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31))
months = st.integers(1, 12)
times = st.times(dt.time(0), dt.time(23, 59))


@given(day=days, n=months, at=times)
def test_month_m_opens_on_the_first_of_m_minus_n_at_the_set_time(day, n, at):
    rules = RoomSettings(months_ahead=n, opens_at=at)
    opens = timezone.localtime(window.opens_at(rules, day))
    assert opens.day == 1 and opens.time() == at
    assert (day.year * 12 + day.month) - (opens.year * 12 + opens.month) == n
    # every day of the same month opens at the same instant; a later month never earlier
    assert window.opens_at(rules, day.replace(day=1)) == window.opens_at(rules, day)
    assert window.opens_at(rules, day + dt.timedelta(days=31)) > window.opens_at(rules, day)


@given(day=days, n=months, at=times, offset=st.integers(-(10**6), 10**6))
def test_a_day_is_open_exactly_from_its_opening_instant(day, n, at, offset):
    rules = RoomSettings(months_ahead=n, opens_at=at)
    instant = window.opens_at(rules, day) + dt.timedelta(seconds=offset)
    win = window.Window(location=None, rules=rules, now=instant, earliest=dt.date(2000, 1, 1))  # type: ignore[arg-type]
    assert win.is_open_yet(day) is (offset >= 0)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    close=st.integers(0, 5),
    today=st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31)),
    ahead=st.integers(0, 40),
)
def test_bookings_close_n_open_days_before(location, close, today, ahead):
    rules = RoomSettings(close_days_before=close)
    earliest = window.last_bookable_from(location, rules, today)
    day = today + dt.timedelta(days=ahead)
    between = calendar.open_days(location, today + dt.timedelta(days=1), day)
    bookable = earliest is not None and day >= earliest
    if close == 0:
        assert bookable is (day >= (calendar.add_open_days(location, today, 0) or day + dt.timedelta(days=1)))
    else:
        # bookable exactly when at least `close` open days lie in (today, day]
        assert bookable is (len(between) >= close)


STATUSES = list(RoomBooking.Status.values)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.sampled_from(STATUSES), st.integers(-5, 5)), min_size=1, max_size=8),
    today=st.dates(dt.date(2027, 6, 1), dt.date(2027, 6, 30)),
)
def test_the_lapse_frees_exactly_the_late_provisional_bookings(hall, group_a, rows, today):
    period = periods_of(hall.location)[0]
    with transaction.atomic():
        made = []
        for i, (status, offset) in enumerate(rows):
            booking = RoomBooking.objects.create(
                room=hall, location=hall.location, date=dt.date(2027, 8, 1) + dt.timedelta(days=i), group=group_a,
                status=status, application_due=today + dt.timedelta(days=offset), reference=f"T{i}",
            )  # fmt: skip
            RoomBookingPeriod.objects.create(
                booking=booking, room=hall, date=booking.date, period=period, active=booking.is_active()
            )
            made.append(booking)
        should = {b.pk for b in made if b.awaits_application() and b.application_due < today}
        lapsed = {b.pk for b in lapse.lapse_due(today)}
        assert lapsed == should
        for booking in made:
            booking.refresh_from_db()
            held = booking.periods.get().active
            if booking.pk in should:
                assert booking.is_lapsed() and not held
            else:
                assert (
                    booking.status
                    == dict(zip([b.pk for b in made], [s for s, _ in rows], strict=True))[booking.pk]
                )
                assert held is booking.is_active()
        assert lapse.lapse_due(today) == []  # running it again changes nothing
        transaction.set_rollback(True)
