"""Free counts at their edges: none in service, fully booked, a unit leaving service, a shortfall's number,
and a loan due back today (TODAY is Tuesday 2027-06-01; Mondays are closed)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kyodo.core.errors import Unavailable
from kyodo.core.models import Closure
from kyodo.lending import availability, services
from kyodo.lending.models import EquipmentType, Reservation, Unit
from kyodo.lending.services import rules
from kyodo.lending.tests.conftest import TODAY, d

pytestmark = pytest.mark.django_db


def month_counts(client, type_id, month="2027-06"):
    response = client.get(f"/equipment/{type_id}/?month={month}")
    assert response.status_code == 200
    return {cell[0].date: cell[1] for week in response.context["weeks"] for cell in week if cell}


def month_days(client, type_id, month="2027-06"):
    response = client.get(f"/equipment/{type_id}/?month={month}")
    return {cell[0].date: cell[0] for week in response.context["weeks"] for cell in week if cell}


@pytest.fixture
def api_path(client, camera):
    """The availability endpoint's real path (the API's prefix is the router's)."""
    for prefix in ("/api/v1/lending", "/api/v1"):
        if (
            client.get(f"{prefix}/equipment/{camera.pk}/availability?start={d(2)}&end={d(2)}").status_code
            == 200
        ):
            return prefix
    raise AssertionError("no availability endpoint")


def days(client, prefix, type_id, start, end):
    response = client.get(f"{prefix}/equipment/{type_id}/availability?start={start}&end={end}")
    assert response.status_code == 200, response.content
    return {dt.date.fromisoformat(row["date"]): row["free"] for row in response.json()["days"]}


def test_a_type_with_no_unit_in_service_shows_zero_free(client, location, api_path):
    empty = EquipmentType.objects.create(name="三脚", name_en="Tripod", category="camera", location=location)
    Unit.objects.create(equipment_type=empty, asset_tag="TRI-001", status=Unit.Status.UNDER_REPAIR)
    assert availability.units_in_service([empty.pk]) == {empty.pk: 0}
    assert set(availability.free_by_day([empty.pk], d(2), d(4), TODAY)[empty.pk].values()) == {0}
    assert set(days(client, api_path, empty.pk, d(2), d(12)).values()) == {0}
    assert availability.next_free_date(availability.type_days(empty, d(2), d(30), TODAY)) is None
    assert availability.shortfalls({empty.pk: 1}, d(2), d(2), TODAY) == [(empty.pk, d(2), 0)]


def test_a_fully_booked_day_shows_zero_in_the_api_and_the_month_calendar(
    client, member_a, group_a, member_b, group_b, camera, reserve, api_path
):
    reserve(member_a, group_a, {camera: 2}, d(8), d(8))
    reserve(member_b, group_b, {camera: 1}, d(8), d(9))
    api = days(client, api_path, camera.pk, d(2), d(12))
    month = month_counts(client, camera.pk)
    # Held on 8 June, and until the inspection day after return (9 June, then 10 June).
    assert api[d(8)] == 0 and month[d(8)] == 0
    assert api[d(10)] == 2 and month[d(10)] == 2
    assert api[d(11)] == 3 and month[d(11)] == 3
    assert d(7) not in api  # Monday: closed, not listed
    assert not month_days(client, camera.pk)[d(7)].is_open  # and marked closed in the calendar
    with pytest.raises(Unavailable) as refused:
        services.create_request(
            member_a, group_a, [services.Line(1, camera.pk)], d(8), d(8), "総会", day=TODAY
        )
    assert refused.value.details == {"equipment": camera.pk, "date": d(8).isoformat(), "free": 0}


def test_a_unit_leaving_service_never_makes_a_count_negative(
    client, member_a, group_a, camera, staff, reserve, api_path
):
    reserve(member_a, group_a, {camera: 3}, d(8), d(8), "approved", staff)
    unit = camera.units.first()
    short = services.set_unit_status(staff, unit.pk, Unit.Status.RETIRED, "落下", day=TODAY)
    assert [r.pickup_date for r in short] == [d(8)]
    raw = availability.free_by_day([camera.pk], d(8), d(11), TODAY)[camera.pk]
    assert raw[d(8)] == -1 and raw[d(11)] == 2  # the rule's own number: one unit short
    assert days(client, api_path, camera.pk, d(8), d(11))[d(8)] == 0
    assert month_counts(client, camera.pk)[d(8)] == 0
    assert month_counts(client, camera.pk)[d(11)] == 2
    assert dict(availability.type_days(camera, d(8), d(8), TODAY)) == {d(8): 0}
    assert availability.shortfalls({camera.pk: 1}, d(8), d(8), TODAY) == [(camera.pk, d(8), 0)]


def test_a_shortfall_reports_the_free_number_of_each_short_day(member_a, group_a, camera, mic, reserve):
    reserve(member_a, group_a, {camera: 2}, d(8), d(8))  # held 8–9 June
    short = availability.shortfalls({camera.pk: 2, mic.pk: 2}, d(8), d(10), TODAY)
    assert short == [(camera.pk, d(8), 1), (camera.pk, d(9), 1)]
    assert availability.shortfalls({camera.pk: 1, mic.pk: 2}, d(8), d(10), TODAY) == []  # exactly fits
    assert availability.shortfalls({camera.pk: 3}, d(10), d(10), TODAY) == []
    with pytest.raises(Unavailable) as refused:
        services.ensure_fits({camera.pk: 2}, d(8), d(10), TODAY)
    assert refused.value.details == {"equipment": camera.pk, "date": d(8).isoformat(), "free": 1}


def test_holds_start_on_pickup_and_end_after_the_inspection_day(member_a, group_a, camera, reserve):
    r = reserve(member_a, group_a, {camera: 1}, d(8), d(10))
    assert r.hold_until == d(11)
    free = availability.free_by_day([camera.pk], d(5), d(13), TODAY)[camera.pk]
    assert [free[d(n)] for n in range(5, 14)] == [3, 3, 3, 2, 2, 2, 2, 3, 3]
    # A range inside the hold, and one touching its first and last days only.
    assert availability.free_by_day([camera.pk], d(9), d(9), TODAY)[camera.pk] == {d(9): 2}
    assert availability.free_by_day([camera.pk], d(11), d(12), TODAY)[camera.pk] == {d(11): 2, d(12): 3}
    assert availability.free_by_day([camera.pk], d(6), d(8), TODAY)[camera.pk] == {d(6): 3, d(7): 3, d(8): 2}
    # The reservation being changed does not count against itself.
    mine = availability.free_by_day([camera.pk], d(8), d(8), TODAY, exclude_reservation_id=r.pk)
    assert mine == {camera.pk: {d(8): 3}}
    assert availability.shortfalls({camera.pk: 3}, d(8), d(8), TODAY, exclude_reservation_id=r.pk) == []


def test_type_days_and_kit_days_list_open_days_only(member_a, group_a, camera, mic, kit, location, reserve):
    Closure.objects.create(location=location, start_date=d(9), end_date=d(9), reason="点検")
    reserve(member_a, group_a, {mic: 1}, d(10), d(10))  # one mic held 10–11 June
    assert availability.type_days(camera, d(6), d(11), TODAY) == [
        (d(6), 3),
        (d(8), 3),
        (d(10), 3),
        (d(11), 3),
    ]
    assert availability.kit_days(kit, d(8), d(12), TODAY) == [(d(8), 2), (d(10), 1), (d(11), 1), (d(12), 2)]
    assert availability.month_calendar(location, 2027, 6, {d(8): 2, d(10): -1})[1][2] == (
        availability.calendar.month_weeks(location, 2027, 6)[1][2],
        2,
    )


def test_month_calendar_counts_open_days_and_leaves_other_months_empty(location):
    weeks = availability.month_calendar(location, 2027, 6, {d(8): 2, d(10): -1})
    cells = {cell[0].date: cell[1] for week in weeks for cell in week if cell}
    assert cells[d(8)] == 2 and cells[d(10)] == 0 and cells[d(11)] == 0  # negative or missing: 0
    assert weeks[0][:2] == [None, None]  # 30 and 31 May belong to May
    assert len(cells) == 30


def test_next_free_date_wants_at_least_the_minimum():
    rows = [(d(2), 0), (d(3), 1), (d(4), 2)]
    assert availability.next_free_date(rows) == d(3)
    assert availability.next_free_date(rows, minimum=2) == d(4)
    assert availability.next_free_date(rows, minimum=3) is None


def test_a_loan_due_back_today_is_not_overdue(member_a, group_a, camera, staff, reserve):
    loan = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)
    assert not loan.is_overdue(d(4)) and loan.is_overdue(d(5))
    assert not Reservation.objects.overdue(d(4)).exists()
    rules.check_group(group_a, d(4))  # a group whose loan is due back today may still ask
    with pytest.raises(ValidationError):
        rules.check_group(group_a, d(5))
    # On its return day it holds its units to its hold end only; from the day after, until it is back.
    assert availability.free_by_day([camera.pk], d(6), d(6), d(4))[camera.pk] == {d(6): 3}
    assert availability.free_by_day([camera.pk], d(6), d(6), d(5))[camera.pk] == {d(6): 2}


def test_free_in_period_of_a_kit_without_items_and_an_unknown_type(location, camera):
    from kyodo.lending.models import Kit

    empty_kit = Kit.objects.create(name="空セット", name_en="Empty kit", location=location)
    period = availability.free_in_period([camera], [empty_kit], d(2), d(3), TODAY)
    assert period.kit_counts == {empty_kit.pk: 0} and period.kits == [] and period.types == [camera]
    assert availability.kit_days(empty_kit, d(2), d(3), TODAY) == [(d(2), 0), (d(3), 0)]
    assert availability.kit_free([], {}) == {}


def test_free_in_period_keeps_a_type_or_kit_with_exactly_one_free(
    member_a, group_a, camera, mic, kit, reserve
):
    from kyodo.lending.models import Kit

    reserve(member_a, group_a, {camera: 2, mic: 1}, d(8), d(8))  # 1 camera and 1 mic free on 8–9 June
    kits = Kit.objects.prefetch_related("items__equipment_type")
    period = availability.free_in_period([camera, mic], kits, d(8), d(10), TODAY)
    assert period.free == {camera.pk: 1, mic.pk: 1} and period.kit_counts == {kit.pk: 1}
    assert period.types == [camera, mic] and period.kits == [kit]


def test_a_kit_of_no_items_fits_zero_times_a_day():
    assert availability.kit_free([], {1: {d(2): 3, d(3): 0}}) == {d(2): 0, d(3): 0}


def test_free_in_period_never_reports_a_negative_count(member_a, group_a, camera, staff, reserve):
    reserve(member_a, group_a, {camera: 3}, d(8), d(8), "approved", staff)
    services.set_unit_status(staff, camera.units.first().pk, Unit.Status.RETIRED, "", day=TODAY)
    period = availability.free_in_period([camera], [], d(8), d(9), TODAY)
    assert period.free == {camera.pk: 0} and period.types == []
