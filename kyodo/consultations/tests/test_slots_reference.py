"""Slots against a minute-by-minute reference model, in both directions (pure functions, no database).

The model knows nothing of the code's windows: it marks each minute a coordinator works (weekly hours and
extra hours at this location, inside the opening hours, minus time off here or everywhere), cuts the
working minutes into their maximal runs, lays the grid (every length + buffer minutes from the start of a
run), and keeps the starts whose whole consultation lies in the run, whose blocked minutes (length +
buffer) touch no busy minute, and which notice and horizon allow. The slots offered must be exactly
those: nothing offered outside working time or over a booking, nothing working and free left out.
"""

import datetime as dt
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.consultations.slots import TOKYO, Busy, Window, day_windows, free_slots
from kyodo.core.calendar import Day

HERE, ELSEWHERE = 1, 2
COORDINATORS = [1, 2, 3]
DAY = dt.date(2026, 12, 1)  # a Tuesday

quarter = st.integers(min_value=6 * 4, max_value=22 * 4)  # 06:00–22:00 in quarter hours


def clock(minute):
    return dt.time(minute // 60, minute % 60)


def at(minute, date=DAY):
    return dt.datetime.combine(date, dt.time(0), tzinfo=TOKYO) + dt.timedelta(minutes=minute)


@st.composite
def spans(draw, step=15):
    """(start, end) minutes with start < end, often touching or nested in earlier ones."""
    a = draw(quarter) * 15 // step * step
    b = draw(quarter) * 15 // step * step
    if a == b:
        b = a + step
    return min(a, b), max(a, b)


def hours_row(coordinator, start, end, location=HERE, weekday=None):
    return SimpleNamespace(coordinator_id=coordinator, location_id=location,
                           weekday=DAY.weekday() if weekday is None else weekday,
                           start=clock(start), end=clock(end))  # fmt: skip


def exception(coordinator, kind, start=None, end=None, location=HERE, date=DAY):
    return SimpleNamespace(coordinator_id=coordinator, location_id=location, date=date, kind=kind,
                           start=None if start is None else clock(start),
                           end=None if end is None else clock(end))  # fmt: skip


@st.composite
def scenarios(draw):
    is_open = draw(st.integers(0, 5)) > 0
    opens, closes = draw(spans())
    day = Day(DAY, True, clock(opens), clock(closes)) if is_open else Day(DAY, False, reason="closed")
    hours, exceptions, busy = [], [], []
    for c in COORDINATORS:
        for _ in range(draw(st.integers(0, 3))):
            start, end = draw(spans())
            location = draw(st.sampled_from([HERE, HERE, HERE, ELSEWHERE]))
            weekday = draw(st.sampled_from([DAY.weekday()] * 3 + [(DAY.weekday() + 1) % 7]))
            hours.append(hours_row(c, start, end, location, weekday))
        for _ in range(draw(st.integers(0, 2))):
            kind = draw(st.sampled_from(["off", "off", "extra"]))
            location = draw(st.sampled_from([HERE, None, ELSEWHERE] if kind == "off" else [HERE, ELSEWHERE]))
            date = draw(st.sampled_from([DAY, DAY, DAY, DAY + dt.timedelta(days=1)]))
            if kind == "off" and draw(st.integers(0, 3)) == 0:
                exceptions.append(exception(c, kind, location=location, date=date))
            else:
                start, end = draw(spans(step=5))
                exceptions.append(exception(c, kind, start, end, location, date))
        for _ in range(draw(st.integers(0, 3))):
            start, end = draw(spans(step=5))
            busy.append(Busy(c, at(start), at(end)))
    length = draw(st.sampled_from([30, 45, 60, 90]))
    buffer = draw(st.sampled_from([0, 5, 15, 30]))
    notice = draw(st.integers(0, 24 * 60))
    last_date = draw(st.sampled_from([DAY, DAY, DAY + dt.timedelta(days=3), DAY - dt.timedelta(days=1)]))
    return SimpleNamespace(day=day, hours=hours, exceptions=exceptions, busy=busy, length=length,
                           buffer=buffer, earliest=at(notice), last_date=last_date)  # fmt: skip


def minute_of(value):
    local = value.astimezone(TOKYO)
    return (local.date() - DAY).days * 24 * 60 + local.hour * 60 + local.minute


def span(row):
    return set(range(row.start.hour * 60 + row.start.minute, row.end.hour * 60 + row.end.minute))


def working(s, coordinator):
    """The minutes the coordinator works at HERE on the day, one by one."""
    if not s.day.is_open:
        return set()
    work = set()
    for h in s.hours:
        if (h.coordinator_id, h.location_id, h.weekday) == (coordinator, HERE, DAY.weekday()):
            work |= span(h)
    todays = [e for e in s.exceptions if e.coordinator_id == coordinator and e.date == DAY]
    for e in todays:
        if e.kind == "extra" and e.location_id == HERE:
            work |= span(e)
    work &= span(SimpleNamespace(start=s.day.opens, end=s.day.closes))
    for e in todays:
        if e.kind == "off" and e.location_id in (None, HERE):
            work = set() if e.start is None else work - span(e)
    return work


def runs(minutes):
    """Maximal runs of consecutive minutes, as [start, end)."""
    out = []
    for m in sorted(minutes):
        if out and out[-1][1] == m:
            out[-1][1] = m + 1
        else:
            out.append([m, m + 1])
    return [tuple(r) for r in out]


def reference(s):
    """({start minute: {free coordinators}}) of every candidate start the rules allow."""
    step = s.length + s.buffer
    earliest, cutoff = minute_of(s.earliest), minute_of(at(0, s.last_date + dt.timedelta(days=1)))
    offered = {}
    for c in COORDINATORS:
        busy = set()
        for b in s.busy:
            if b.coordinator_id == c:
                busy |= set(range(minute_of(b.start), minute_of(b.end)))
        for start, end in runs(working(s, c)):
            t = start
            while t + s.length <= end:
                if earliest <= t < cutoff:
                    free = offered.setdefault(t, set())
                    if not busy & set(range(t, t + step)):
                        free.add(c)
                t += step
    return offered


def computed(s):
    windows = day_windows(s.day, HERE, s.hours, s.exceptions)
    slots = free_slots(windows, s.busy, dt.timedelta(minutes=s.length), dt.timedelta(minutes=s.buffer),
                       s.earliest, s.last_date)  # fmt: skip
    return windows, slots


@settings(max_examples=400, deadline=None)
@given(scenarios())
def test_slots_are_exactly_the_reference_models(s):
    _windows, slots = computed(s)
    got = {minute_of(slot.start): set(slot.coordinator_ids) for slot in slots}
    assert got == reference(s)  # both directions: nothing more, nothing less, the same coordinators
    for slot in slots:
        assert slot.end - slot.start == dt.timedelta(minutes=s.length)
        assert len(slot.coordinator_ids) == len(set(slot.coordinator_ids)) == slot.free
        assert slot.start.utcoffset() == dt.timedelta(hours=9)
    assert [slot.start for slot in slots] == sorted(slot.start for slot in slots)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_windows_cover_exactly_the_working_minutes(s):
    windows, _slots = computed(s)
    for c in COORDINATORS:
        mine = sorted((minute_of(w.start), minute_of(w.end)) for w in windows if w.coordinator_id == c)
        assert mine == runs(working(s, c))  # one window per run: touching and nested rows merge


# --- The behaviours, one example each ---------------------------------------------------------------

OPEN = Day(DAY, True, dt.time(9), dt.time(21))
HOUR = dt.timedelta(hours=1)


def starts(windows, busy=(), length=HOUR, buffer=dt.timedelta(0), earliest=None, last_date=DAY):
    slots = free_slots(windows, busy, length, buffer, earliest or at(0), last_date)
    return {slot.start.astimezone(TOKYO).strftime("%H:%M"): slot.free for slot in slots}


def spans_of(windows):
    return [(w.coordinator_id, f"{w.start:%H:%M}", f"{w.end:%H:%M}") for w in windows]


def test_hours_rows_that_touch_make_one_window():
    windows = day_windows(OPEN, HERE, [hours_row(1, 9 * 60, 12 * 60), hours_row(1, 12 * 60, 17 * 60)], [])
    assert spans_of(windows) == [(1, "09:00", "17:00")]
    # One grid over the whole day (every 75 minutes from 9:00): 11:30–12:30 runs across 12:00, and no
    # second grid starts at 12:00.
    free = starts(windows, buffer=dt.timedelta(minutes=15))
    assert list(free) == ["09:00", "10:15", "11:30", "12:45", "14:00", "15:15"]


def test_hours_rows_that_nest_make_one_window():
    windows = day_windows(OPEN, HERE, [hours_row(1, 9 * 60, 17 * 60), hours_row(1, 10 * 60, 12 * 60)], [])
    assert spans_of(windows) == [(1, "09:00", "17:00")]
    windows = day_windows(OPEN, HERE, [hours_row(1, 10 * 60, 12 * 60), hours_row(1, 9 * 60, 17 * 60)], [])
    assert spans_of(windows) == [(1, "09:00", "17:00")]


def test_rows_with_a_gap_stay_two_windows_and_hours_are_clipped_to_opening_hours():
    rows = [hours_row(1, 8 * 60, 12 * 60), hours_row(1, 13 * 60, 22 * 60)]
    assert spans_of(day_windows(OPEN, HERE, rows, [])) == [(1, "09:00", "12:00"), (1, "13:00", "21:00")]
    assert day_windows(OPEN, HERE, [hours_row(1, 6 * 60, 9 * 60)], []) == []  # ends as the day opens


def test_a_partial_day_off_loses_that_hour_only():
    rows = [hours_row(1, 9 * 60, 17 * 60)]
    off = [exception(1, "off", 12 * 60, 13 * 60)]
    windows = day_windows(OPEN, HERE, rows, off)
    assert spans_of(windows) == [(1, "09:00", "12:00"), (1, "13:00", "17:00")]
    assert list(starts(windows)) == ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]


def test_time_off_at_the_edges_of_a_window_trims_it():
    rows = [hours_row(1, 9 * 60, 17 * 60)]
    assert spans_of(day_windows(OPEN, HERE, rows, [exception(1, "off", 8 * 60, 10 * 60)])) == [
        (1, "10:00", "17:00")
    ]
    assert spans_of(day_windows(OPEN, HERE, rows, [exception(1, "off", 16 * 60, 17 * 60)])) == [
        (1, "09:00", "16:00")
    ]
    assert day_windows(OPEN, HERE, rows, [exception(1, "off", 9 * 60, 17 * 60)]) == []


def test_a_day_off_at_another_location_leaves_this_locations_hours_alone():
    rows = [hours_row(1, 9 * 60, 17 * 60), hours_row(2, 9 * 60, 17 * 60)]
    elsewhere = [exception(1, "off", location=ELSEWHERE), exception(1, "off", 9 * 60, 12 * 60, ELSEWHERE)]
    assert spans_of(day_windows(OPEN, HERE, rows, elsewhere)) == [
        (1, "09:00", "17:00"),
        (2, "09:00", "17:00"),
    ]
    everywhere = [exception(1, "off", location=None)]
    assert spans_of(day_windows(OPEN, HERE, rows, everywhere)) == [(2, "09:00", "17:00")]
    here = [exception(2, "off", location=HERE)]
    assert spans_of(day_windows(OPEN, HERE, rows, here)) == [(1, "09:00", "17:00")]
    other_day = [exception(1, "off", date=DAY + dt.timedelta(days=7))]
    assert spans_of(day_windows(OPEN, HERE, rows, other_day)) == [
        (1, "09:00", "17:00"),
        (2, "09:00", "17:00"),
    ]


def test_extra_hours_count_at_their_own_location_only():
    extra_here = [exception(3, "extra", 18 * 60, 20 * 60)]
    assert spans_of(day_windows(OPEN, HERE, [], extra_here)) == [(3, "18:00", "20:00")]
    extra_elsewhere = [exception(3, "extra", 18 * 60, 20 * 60, ELSEWHERE)]
    assert day_windows(OPEN, HERE, [], extra_elsewhere) == []
    # Extra hours that run on from the weekly hours make one window with them.
    rows = [hours_row(3, 9 * 60, 18 * 60)]
    assert spans_of(day_windows(OPEN, HERE, rows, extra_here)) == [(3, "09:00", "20:00")]


def test_hours_of_another_weekday_or_location_do_not_count():
    rows = [
        hours_row(1, 9 * 60, 17 * 60, weekday=(DAY.weekday() + 1) % 7),
        hours_row(2, 9 * 60, 17 * 60, ELSEWHERE),
    ]
    assert day_windows(OPEN, HERE, rows, []) == []


def test_a_closed_day_has_no_window_even_with_extra_hours():
    closed = Day(DAY, False, reason="closed")
    assert (
        day_windows(closed, HERE, [hours_row(1, 9 * 60, 17 * 60)], [exception(1, "extra", 10 * 60, 12 * 60)])
        == []
    )


def test_the_first_start_exactly_at_the_earliest_moment_is_offered():
    windows = [Window(1, at(10 * 60), at(17 * 60))]
    assert list(starts(windows, earliest=at(10 * 60))) == [
        "10:00",
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]
    assert next(iter(starts(windows, earliest=at(10 * 60 + 1)))) == "11:00"
    assert next(iter(starts(windows, earliest=at(11 * 60)))) == "11:00"


def test_the_last_start_ends_exactly_at_the_window_end():
    windows = [Window(1, at(10 * 60), at(12 * 60))]
    assert list(starts(windows)) == ["10:00", "11:00"]
    assert list(starts([Window(1, at(10 * 60), at(11 * 60 + 59))])) == ["10:00"]


def test_the_horizon_keeps_its_last_day_and_drops_the_next():
    windows = [Window(1, at(10 * 60), at(12 * 60))]
    assert list(starts(windows, last_date=DAY)) == ["10:00", "11:00"]
    assert starts(windows, last_date=DAY - dt.timedelta(days=1)) == {}


def test_a_booking_blocks_its_time_and_its_buffer_but_not_the_time_it_ends_at():
    windows = [Window(1, at(10 * 60), at(17 * 60)), Window(2, at(10 * 60), at(17 * 60))]
    busy = [Busy(1, at(11 * 60), at(12 * 60))]
    free = starts(windows, busy)
    assert free["10:00"] == 2 and free["11:00"] == 1 and free["12:00"] == 2
    # With a 15-minute buffer a candidate blocks [start, end + 15): 9:45–11:00 would end at 11:00 …
    quarter_hour = dt.timedelta(minutes=15)
    free = starts(windows, [Busy(1, at(12 * 60), at(13 * 60))], buffer=quarter_hour)
    assert free["10:00"] == 2  # 10:00–11:15
    assert free["11:15"] == 1  # 11:15–12:30 runs into the booking at 12:00
    assert free["12:30"] == 1  # the booking is held until 13:00
    assert free["13:45"] == 2


def test_a_booking_that_ends_as_a_candidates_buffer_begins_leaves_it_free():
    windows = [Window(1, at(10 * 60), at(17 * 60))]
    # The candidate 10:00 blocks 10:00–11:15 with its buffer; a booking from 11:15 does not touch it.
    free = starts(windows, [Busy(1, at(11 * 60 + 15), at(12 * 60))], buffer=dt.timedelta(minutes=15))
    assert free["10:00"] == 1
    free = starts(windows, [Busy(1, at(11 * 60 + 14), at(12 * 60))], buffer=dt.timedelta(minutes=15))
    assert free["10:00"] == 0


def test_bookings_that_touch_or_nest_block_their_union():
    windows = [Window(1, at(9 * 60), at(17 * 60))]
    busy = [
        Busy(1, at(10 * 60), at(11 * 60)),
        Busy(1, at(11 * 60), at(12 * 60)),
        Busy(1, at(10 * 60 + 15), at(10 * 60 + 30)),
    ]
    free = starts(windows, busy)
    assert free == {
        "09:00": 1,
        "10:00": 0,
        "11:00": 0,
        "12:00": 1,
        "13:00": 1,
        "14:00": 1,
        "15:00": 1,
        "16:00": 1,
    }


def test_a_third_row_merges_with_the_second_not_the_first():
    rows = [
        hours_row(1, 9 * 60, 10 * 60),
        hours_row(1, 11 * 60, 12 * 60),
        hours_row(1, 11 * 60 + 30, 13 * 60),
    ]
    rows.append(hours_row(1, 13 * 60, 14 * 60))
    assert spans_of(day_windows(OPEN, HERE, rows, [])) == [(1, "09:00", "10:00"), (1, "11:00", "14:00")]
    busy = [
        Busy(1, at(9 * 60), at(9 * 60 + 30)),
        Busy(1, at(11 * 60), at(12 * 60)),
        Busy(1, at(11 * 60 + 30), at(13 * 60)),
    ]
    free = starts([Window(1, at(9 * 60), at(15 * 60))], busy)
    assert free == {"09:00": 0, "10:00": 1, "11:00": 0, "12:00": 0, "13:00": 1, "14:00": 1}


def test_the_horizon_ends_at_midnight_after_its_last_day():
    next_day = DAY + dt.timedelta(days=1)
    windows = [Window(1, at(0, next_day), at(2 * 60, next_day))]  # a window from midnight, the day after
    assert free_slots(windows, [], HOUR, dt.timedelta(0), at(0), DAY) == []
    assert [s.start for s in free_slots(windows, [], HOUR, dt.timedelta(0), at(0), next_day)] == [
        at(0, next_day),
        at(60, next_day),
    ]


def test_a_row_nested_in_the_second_window_leaves_it_whole():
    rows = [hours_row(1, 9 * 60, 10 * 60), hours_row(1, 11 * 60, 14 * 60), hours_row(1, 12 * 60, 13 * 60)]
    assert spans_of(day_windows(OPEN, HERE, rows, [])) == [(1, "09:00", "10:00"), (1, "11:00", "14:00")]
