"""The year's figures against hand-computed expectations.

The fixture crosses the fiscal-year boundary (a loan from 2027-03-30 to 2027-04-02) and the year-end closure
(a loan from 2026-12-26 to 2027-01-06). The location is open Tuesday–Sunday and closed on holidays and
12/29–1/3, so:

  L1 camera ×1, 2027-03-30 (Tue) → 2027-04-02 (Fri), returned:  FY2026 March 30, 31 → 2 unit-days
  L2 camera ×2, 2026-12-26 (Sat) → 2027-01-06 (Wed), returned:  Dec 26, 27 open; 28 Monday; 29–3 year end;
                                                               Jan 4 Monday; Jan 5, 6 open → 2×2 + 2×2
  L3 mic ×1,    2026-04-07 (Tue) → 2026-04-09 (Thu), checked out (overdue): April 7, 8, 9 → 3
  L4 declined (営利目的), L5 approved only, L6 cancelled: not loans.
"""

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from conftest import PERSONAS
from kyodo.core import calendar
from kyodo.reports import stats

pytestmark = pytest.mark.django_db
TOKYO = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def year(location, group_a, group_b, member_a, staff):
    from kyodo.community.models import Event
    from kyodo.consultations.models import Consultation, Topic
    from kyodo.groups.models import Group
    from kyodo.lending.models import EquipmentType, Reservation, ReservationItem, Unit

    old = dt.datetime(2026, 1, 1, tzinfo=TOKYO)
    camera = EquipmentType.objects.create(name="カメラ", category="camera", location=location)
    mic = EquipmentType.objects.create(name="マイク", category="microphone", location=location)
    for tag in ("C-1", "C-2"):
        Unit.objects.create(equipment_type=camera, asset_tag=tag, created_at=old)
    Unit.objects.create(equipment_type=mic, asset_tag="M-1", created_at=old)
    Unit.objects.create(equipment_type=mic, asset_tag="M-2", status="retired", created_at=old)

    def loan(group, kind, qty, pickup, ret, status, **extra):
        r = Reservation.objects.create(
            group=group, location=location, pickup_date=pickup, return_date=ret, hold_until=ret,
            purpose="総会", status=status, **extra,
        )  # fmt: skip
        ReservationItem.objects.create(reservation=r, equipment_type=kind, quantity=qty)
        return r

    loan(group_a, camera, 1, dt.date(2027, 3, 30), dt.date(2027, 4, 2), "returned")
    loan(group_a, camera, 2, dt.date(2026, 12, 26), dt.date(2027, 1, 6), "returned")
    loan(group_b, mic, 1, dt.date(2026, 4, 7), dt.date(2026, 4, 9), "checked_out")
    loan(group_b, camera, 1, dt.date(2026, 5, 20), dt.date(2026, 5, 22), "declined",
         decline_reason="営利目的", created_at=dt.datetime(2026, 5, 10, 10, tzinfo=TOKYO))  # fmt: skip
    loan(group_b, camera, 1, dt.date(2026, 6, 2), dt.date(2026, 6, 3), "approved")
    loan(group_b, camera, 1, dt.date(2026, 6, 9), dt.date(2026, 6, 10), "cancelled")

    topic_a = Topic.objects.create(name="オンライン会議の開き方", name_en="Online meetings")
    topic_b = Topic.objects.create(name="イベントの配信", name_en="Streaming")

    def booking(topic, mode, start, status):
        Consultation.objects.create(
            location=location, coordinator=staff, topic=topic, mode=mode, start=start,
            end=start + dt.timedelta(hours=1), blocked_until=start + dt.timedelta(hours=1), name="相談者", status=status,
        )  # fmt: skip

    booking(topic_a, "in_person", dt.datetime(2026, 4, 10, 10, tzinfo=TOKYO), "held")
    booking(topic_a, "online", dt.datetime(2027, 3, 31, 10, tzinfo=TOKYO), "no_show")
    booking(topic_b, "phone", dt.datetime(2026, 10, 1, 14, tzinfo=TOKYO), "booked")
    booking(topic_b, "phone", dt.datetime(2026, 10, 2, 14, tzinfo=TOKYO), "cancelled")
    booking(topic_b, "phone", dt.datetime(2027, 4, 1, 9, tzinfo=TOKYO), "held")  # FY2027

    def event(day, status, state="published"):
        Event.objects.create(
            title="催し", start_date=day, end_date=day, venue_name="会場", status=status, state=state
        )

    event(dt.date(2026, 5, 1), "scheduled")
    event(dt.date(2026, 6, 1), "cancelled")
    event(dt.date(2026, 7, 1), "scheduled", state="draft")
    event(dt.date(2027, 4, 2), "postponed")

    Group.objects.filter(pk=group_a.pk).update(reviewed_at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=TOKYO))
    Group.objects.filter(pk=group_b.pk).update(reviewed_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=TOKYO))
    return {"camera": camera, "mic": mic}


def test_months_run_april_to_march():
    months = stats.months_of(2026)
    assert months[0].start == dt.date(2026, 4, 1) and months[-1].end == dt.date(2027, 3, 31)
    assert sum((m.end - m.start).days + 1 for m in months) == 365


def test_loans_and_unit_days_by_month(year, location):
    report = stats.year_report(2026, location)
    by_month = {(p.start.year, p.start.month): (loans, days) for p, loans, days in report.months}
    assert by_month[(2026, 4)] == (1, 3)
    assert by_month[(2026, 12)] == (1, 4)
    assert by_month[(2027, 1)] == (0, 4)  # lent over the new year, picked up in December
    assert by_month[(2027, 3)] == (1, 2)  # 3/30–3/31 only; April belongs to FY2027
    assert report.total_loans == 3 and report.total_unit_days == 13
    assert sum(days for _, _, days in stats.year_report(2027, location).months) == 2  # 4/1, 4/2


def test_utilisation_per_type(year, location):
    report = stats.year_report(2026, location)
    open_days = len(calendar.open_days(location, dt.date(2026, 4, 1), dt.date(2027, 3, 31)))
    assert 280 < open_days < 310  # 365 − 52 Mondays − holidays on other days − year end
    uses = {t.name: t for t in report.types}
    assert (uses["カメラ"].units, uses["カメラ"].unit_days_lent, uses["カメラ"].unit_days_available) == (
        2,
        10,
        2 * open_days,
    )
    assert (uses["マイク"].units, uses["マイク"].unit_days_lent) == (1, 3)  # the retired unit does not count
    assert uses["カメラ"].utilisation == pytest.approx(10 / (2 * open_days))
    assert report.most_used[0].name == "カメラ" and report.least_used[0].name == "マイク"


def test_declined_groups_consultations_and_events(year, location):
    report = stats.year_report(2026, location)
    assert report.declined == [("営利目的", 1)]
    assert report.groups_served == 2
    assert report.new_groups == 1  # reviewed 2026-04-01 00:30 JST; the other on 3/31 belongs to FY2025
    assert dict(report.topics) == {"オンライン会議の開き方": 2, "イベントの配信": 1}
    assert sorted(n for _, n in report.modes) == [1, 1, 1]
    assert report.outcomes == {"held": 1, "no_show": 1, "booked": 1}
    assert report.events == {"scheduled": 1, "cancelled": 1}


def test_all_locations_add_up(year, location):
    from conftest import make_location

    make_location("分館")
    assert stats.year_report(2026).total_unit_days == 13


def test_year_report_is_a_fixed_number_of_queries(year, location, django_assert_max_num_queries):
    from kyodo.lending.models import Reservation, ReservationItem

    with django_assert_max_num_queries(40) as captured:
        stats.year_report(2026, location)
    before = len(captured.captured_queries)
    camera = year["camera"]
    for i in range(30):
        r = Reservation.objects.create(
            group_id=Reservation.objects.first().group_id, location=location, pickup_date=dt.date(2026, 7, 1),
            return_date=dt.date(2026, 7, 3), hold_until=dt.date(2026, 7, 3), purpose=str(i), status="returned",
        )  # fmt: skip
        ReservationItem.objects.create(reservation=r, equipment_type=camera, quantity=1)
    with django_assert_max_num_queries(before):
        stats.year_report(2026, location)


@pytest.mark.parametrize("persona", PERSONAS)
def test_statistics_pages_are_staff_only(client_for, persona, year, location):
    client = client_for(persona)
    for path in ["/staff/stats/?year=2026", "/staff/stats/annual/?year=2026", "/staff/stats/loans.csv?year=2026",
                 "/staff/stats/statistics.xlsx?year=2026", "/staff/"]:  # fmt: skip
        response = client.get(path)
        if persona in ("staff", "admin"):
            assert response.status_code == 200, path
        elif persona == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
        else:
            assert response.status_code == 403, path


def test_statistics_page_labels_the_year_both_ways(client_for, year, location):
    html = client_for("staff").get(f"/staff/stats/?year=2026&location={location.pk}").content.decode()
    assert "令和8年度" in html and "FY2026" in html and "<svg" in html and "営利目的" in html
    html = client_for("staff").get("/en/staff/stats/?year=2026").content.decode()
    assert "Loans by month" in html


def test_csv_export_reads_back(client_for, year, location):
    response = client_for("staff").get(f"/staff/stats/loans.csv?year=2026&location={location.pk}")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["月", "貸出件数", "貸出ユニット日数"]
    assert rows[1] == ["2026年4月", "1", "3"] and rows[-1] == ["合計", "3", "13"]
    assert client_for("staff").get("/staff/stats/nope.csv?year=2026").status_code == 404


def test_excel_workbook_reads_back(client_for, year, location):
    response = client_for("staff").get(f"/en/staff/stats/statistics.xlsx?year=2026&location={location.pk}")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Loans by month"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2] == ["Month", "Number of loans", "Unit-days lent"]
    assert values[-1] == ["Total", 3, 13]
    assert "Utilisation by equipment type" in book.sheetnames


def test_excel_stores_counts_and_shares_as_numbers_with_a_format(client_for, year, location):
    """A spreadsheet can sum and chart the figures: numbers, not text like "12.3%"."""
    response = client_for("staff").get(f"/en/staff/stats/statistics.xlsx?year=2026&location={location.pk}")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Utilisation by equipment type"]
    rows = list(sheet.iter_rows(min_row=4))
    assert rows, "a row per equipment type"
    for row in rows:
        name, units, lent, available, share = row
        assert name.data_type == "s"
        for count in (units, lent, available):
            assert count.data_type == "n" and isinstance(count.value, int) and count.number_format == "#,##0"
        assert share.data_type == "n" and isinstance(share.value, float) and share.number_format == "0.0%"
        assert 0 <= share.value <= 1 and share.value == pytest.approx(lent.value / available.value)
    loans = book["Loans by month"]
    assert all(
        c.data_type == "n" and c.number_format == "#,##0" for c in list(loans.iter_rows(min_row=4))[-1][1:]
    )
    # The page and the CSV still read 12.3%.
    page = client_for("staff").get(f"/en/staff/stats/?year=2026&location={location.pk}").content.decode()
    assert re.search(r"\d+\.\d%", page)


def test_bad_parameters_are_404_not_500(client_for, year):
    client = client_for("staff")
    assert client.get("/staff/stats/?year=abc").status_code == 404
    assert client.get("/staff/stats/?location=999").status_code == 404
    assert client.get("/staff/?location=x").status_code == 404
