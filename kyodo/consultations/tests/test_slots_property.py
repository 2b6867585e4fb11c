"""Property tests of slot generation (pure functions: no database), in Asia/Tokyo (no DST)."""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.consultations.slots import TOKYO, Busy, day_windows, free_slots
from kyodo.core.calendar import Day

LOCATION = 1
COORDINATORS = [1, 2, 3]

times = st.integers(min_value=6 * 4, max_value=22 * 4).map(lambda q: dt.time(q // 4, (q % 4) * 15))


@st.composite
def time_ranges(draw):
    a, b = draw(times), draw(times)
    if a == b:
        b = dt.time(23, 45)
    return min(a, b), max(a, b)


@st.composite
def calendar_days(draw):
    date = draw(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2028, 12, 31)))
    if draw(st.booleans()) and draw(st.booleans()):
        return Day(date, False, reason="closed")
    opens, closes = draw(time_ranges())
    return Day(date, True, opens, closes)


@st.composite
def hours_rows(draw, date):
    rows = []
    for coordinator in COORDINATORS:
        for _ in range(draw(st.integers(0, 2))):
            start, end = draw(time_ranges())
            weekday = draw(st.sampled_from([date.weekday(), (date.weekday() + 1) % 7]))
            location = draw(st.sampled_from([LOCATION, LOCATION, 2]))
            rows.append(
                SimpleNamespace(
                    coordinator_id=coordinator, location_id=location, weekday=weekday, start=start, end=end
                )
            )
    return rows


@st.composite
def exception_rows(draw, date):
    rows = []
    for coordinator in COORDINATORS:
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["off", "extra"]))
            whole_day = kind == "off" and draw(st.booleans())
            start, end = (None, None) if whole_day else draw(time_ranges())
            location = (
                draw(st.sampled_from([LOCATION, None, 2]))
                if kind == "off"
                else draw(st.sampled_from([LOCATION, 2]))
            )
            rows.append(
                SimpleNamespace(
                    coordinator_id=coordinator,
                    location_id=location,
                    date=date,
                    kind=kind,
                    start=start,
                    end=end,
                )
            )
    return rows


@st.composite
def scenarios(draw):
    day = draw(calendar_days())
    hours = draw(hours_rows(day.date))
    exceptions = draw(exception_rows(day.date))
    length = dt.timedelta(minutes=draw(st.sampled_from([30, 45, 60, 90])))
    buffer = dt.timedelta(minutes=draw(st.sampled_from([0, 10, 15, 30])))
    busy = []
    for coordinator in COORDINATORS:
        for _ in range(draw(st.integers(0, 3))):
            start, end = draw(time_ranges())
            busy.append(
                Busy(
                    coordinator,
                    dt.datetime.combine(day.date, start, tzinfo=TOKYO),
                    dt.datetime.combine(day.date, end, tzinfo=TOKYO),
                )
            )
    notice_minutes = draw(st.integers(0, 24 * 60))
    earliest = dt.datetime.combine(day.date, dt.time(0), tzinfo=TOKYO) + dt.timedelta(minutes=notice_minutes)
    last_date = day.date if draw(st.booleans()) else day.date - dt.timedelta(days=1)
    return SimpleNamespace(day=day, hours=hours, exceptions=exceptions, length=length, buffer=buffer, busy=busy,
                           earliest=earliest, last_date=last_date)  # fmt: skip


def compute(s):
    windows = day_windows(s.day, LOCATION, s.hours, s.exceptions)
    return windows, free_slots(windows, s.busy, s.length, s.buffer, s.earliest, s.last_date)


def minutes(date, time):
    return time.hour * 60 + time.minute


def working_minutes(s, coordinator):
    """Reference model, minute by minute: when the coordinator works at LOCATION on this day."""
    day = s.day
    if not day.is_open:
        return set()
    open_set = set(range(minutes(day.date, day.opens), minutes(day.date, day.closes)))
    work = set()
    for h in s.hours:
        if h.coordinator_id == coordinator and h.location_id == LOCATION and h.weekday == day.date.weekday():
            work |= set(range(minutes(day.date, h.start), minutes(day.date, h.end)))
    for e in s.exceptions:
        if e.coordinator_id == coordinator and e.kind == "extra" and e.location_id == LOCATION:
            work |= set(range(minutes(day.date, e.start), minutes(day.date, e.end)))
    for e in s.exceptions:
        if e.coordinator_id == coordinator and e.kind == "off" and e.location_id in (None, LOCATION):
            if e.start is None:
                return set()
            work -= set(range(minutes(day.date, e.start), minutes(day.date, e.end)))
    return work & open_set


def local_minute(value):
    local = value.astimezone(TOKYO)
    return local.hour * 60 + local.minute


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_every_free_coordinator_works_then_and_has_no_overlap_including_buffer(s):
    _windows, slots = compute(s)
    for slot in slots:
        assert slot.end - slot.start == s.length
        assert slot.start.utcoffset() == dt.timedelta(hours=9)
        assert slot.start >= s.earliest and slot.start.date() <= s.last_date
        for coordinator in slot.coordinator_ids:
            needed = set(
                range(
                    local_minute(slot.start), local_minute(slot.start) + int(s.length.total_seconds() // 60)
                )
            )
            assert needed <= working_minutes(s, coordinator)
            blocked_end = slot.end + s.buffer
            for b in s.busy:
                if b.coordinator_id == coordinator:
                    assert not (b.start < blocked_end and slot.start < b.end)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_closed_days_and_whole_days_off_give_nothing(s):
    windows, slots = compute(s)
    if not s.day.is_open:
        assert windows == [] and slots == []
    for e in s.exceptions:
        if e.kind == "off" and e.start is None and e.location_id in (None, LOCATION):
            assert all(e.coordinator_id not in slot.coordinator_ids for slot in slots)
            assert all(w.coordinator_id != e.coordinator_id for w in windows)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_no_free_grid_start_is_missed(s):
    """Completeness: every grid start of a window that fits, respects notice/horizon and is free for a
    coordinator is offered with that coordinator."""
    windows, slots = compute(s)
    offered = {slot.start: set(slot.coordinator_ids) for slot in slots}
    for w in windows:
        start = w.start
        while start + s.length <= w.end:
            free = all(
                not (b.start < start + s.length + s.buffer and start < b.end)
                for b in s.busy
                if b.coordinator_id == w.coordinator_id
            )
            if free and start >= s.earliest and start.date() <= s.last_date:
                assert w.coordinator_id in offered.get(start, set())
            start += s.length + s.buffer


@settings(max_examples=120, deadline=None)
@given(scenarios(), st.data())
def test_booking_a_slot_takes_exactly_one_coordinator_there(s, data):
    _windows, slots = compute(s)
    free = [slot for slot in slots if slot.free]
    if not free:
        return
    slot = data.draw(st.sampled_from(free))
    coordinator = data.draw(st.sampled_from(slot.coordinator_ids))
    s.busy = [*s.busy, Busy(coordinator, slot.start, slot.end + s.buffer)]
    _windows, after = compute(s)
    after_by_start = {a.start: a for a in after}
    assert after_by_start[slot.start].free == slot.free - 1
    for before in slots:
        now = after_by_start[before.start]
        assert set(now.coordinator_ids) <= set(before.coordinator_ids)
        assert before.free - now.free <= 1
