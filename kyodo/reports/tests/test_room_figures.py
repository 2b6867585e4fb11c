"""The rooms' figures of the year in the statistics (page, CSV, Excel) and the annual report: 稼働率 per
room and 区分, bookings, people, fees collected and waived, from kyodo.rooms.services.stats (FY2026)."""

import csv
import datetime as dt
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kyodo.reports import stats, tables
from kyodo.rooms.services import stats as room_stats

pytestmark = pytest.mark.django_db
TOKYO = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(autouse=True)
def _japanese_after():
    """A request under /en/ leaves English active in this thread: the next test reads Japanese again."""
    yield
    translation.activate("ja")


@pytest.fixture
def rooms_year(location, group_a, member_a, staff):
    from kyodo.rooms.models import Payment, Room, RoomBooking, RoomBookingPeriod
    from kyodo.rooms.services import periods_of

    hall = Room.objects.create(location=location, name="交流ホール", name_en="Hall", capacity=60)
    periods = periods_of(location)
    day = dt.date(2026, 6, 2)  # a Tuesday: open

    def booking(status, date, chosen, **extra):
        b = RoomBooking.objects.create(room=hall, location=location, date=date, group=group_a, requested_by=member_a,
                                       status=status, **extra)  # fmt: skip
        for period in chosen:
            RoomBookingPeriod.objects.create(
                booking=b, room=hall, date=date, period=period, active=status != "cancelled"
            )
        return b

    permitted = booking("approved", day, periods[:2], fee=2000, fee_due=1000, reduction="half", attendance=12)
    booking("cancelled", dt.date(2026, 6, 3), periods[:1], fee=1000, fee_due=1000)
    Payment.objects.create(
        booking=permitted, amount=1000, recorded_at=dt.datetime(2026, 6, 2, 10, tzinfo=TOKYO)
    )
    return {"hall": hall, "periods": periods}


def test_the_room_tables_are_the_rooms_own_figures(rooms_year, location):
    expected = room_stats.year(location, 2026)
    report = stats.year_report(2026, location)
    built = {t.key: t for t in tables.build(report)}
    occupancy, figures = built["rooms"], built["room_figures"]
    hall = expected.rooms[0]
    assert hall.booked == 2 and hall.bookable > 0
    total = occupancy.rows[-1]  # the room's line over all its periods
    assert total[3:5] == [hall.booked, hall.bookable] and total[5].ratio == pytest.approx(hall.occupancy)
    per_period = [r for r in occupancy.rows if r is not total]
    assert len(per_period) == len(rooms_year["periods"]) and sum(r[3] for r in per_period) == 2
    assert figures.rows == [[location.localized_name(), 1, 12, 1000, 1000]]
    assert figures.rows[0][1:] == [expected.bookings, expected.people, expected.collected, expected.waived]


def test_a_year_without_rooms_has_no_room_tables(location):
    keys = {t.key for t in tables.build(stats.year_report(2026, location))}
    assert "rooms" not in keys and "room_figures" not in keys


def test_csv_excel_and_the_annual_report_carry_the_room_figures(client_for, rooms_year, location):
    client = client_for("staff")
    query = f"?year=2026&location={location.pk}"
    response = client.get(f"/en/staff/stats/room_figures.csv{query}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Location",
        "Bookings",
        "People (attendance)",
        "Fees collected (yen)",
        "Fees waived (yen)",
    ]
    assert rows[1][1:] == ["1", "12", "1000", "1000"]
    book = load_workbook(io.BytesIO(client.get(f"/en/staff/stats/statistics.xlsx{query}").content))
    sheet = book["Room occupancy by period"]
    share = list(sheet.iter_rows(min_row=4))[-1][5]
    assert share.data_type == "n" and share.number_format == "0.0%" and 0 < share.value <= 1
    annual = client.get(f"/en/staff/stats/annual/{query}").content.decode()
    assert "Room occupancy by period" in annual and "Room bookings, people and fees" in annual
    page = client.get(f"/en/staff/stats/{query}").content.decode()
    assert "Hall" in page and "<svg" in page
