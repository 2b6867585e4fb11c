"""Availability rules as properties (hypothesis), and the calendar's constant query count."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo.core import calendar
from kyodo.core.errors import Unavailable
from kyodo.lending import availability, services
from kyodo.lending.models import Kit, Reservation, ReservationItem
from kyodo.lending.tests.conftest import TODAY, d

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

request_strategy = st.tuples(
    st.integers(min_value=0, max_value=20),  # pickup offset from today
    st.integers(min_value=0, max_value=9),  # length in days
    st.integers(min_value=1, max_value=3),  # quantity
)


def naive_held(type_id, day):
    """What the rules say, written the slow obvious way from the stored rows."""
    total = 0
    for item in ReservationItem.objects.filter(equipment_type_id=type_id).select_related("reservation"):
        r = item.reservation
        if r.status in Reservation.HOLDING and r.pickup_date <= day <= r.hold_until:
            total += item.quantity
    return total


@SETTINGS
@given(requests=st.lists(request_strategy, min_size=1, max_size=8))
def test_requests_never_exceed_units_and_follow_the_rules(member_a, group_a, camera, requests):
    Reservation.objects.all().delete()
    location = camera.location
    earliest = calendar.add_open_days(location, TODAY, 2)
    for offset, length, quantity in requests:
        pickup = TODAY + dt.timedelta(days=offset)
        ret = pickup + dt.timedelta(days=length)
        lines = [services.Line(quantity=quantity, equipment_type_id=camera.pk)]
        try:
            r = services.create_request(member_a, group_a, lines, pickup, ret, "総会", day=TODAY)
        except (ValidationError, Unavailable):
            continue
        # Accepted only when every rule holds.
        assert calendar.is_open(location, pickup) and calendar.is_open(location, ret)
        assert pickup >= earliest and (ret - pickup).days + 1 <= 7
        assert r.hold_until == calendar.add_open_days(location, ret, 1)
    # On no day is more held than the three cameras in service, and the fast count equals the slow one.
    free = availability.free_by_day([camera.pk], TODAY, TODAY + dt.timedelta(days=40), TODAY)[camera.pk]
    for day, count in free.items():
        assert count == 3 - naive_held(camera.pk, day)
        assert count >= 0


@SETTINGS
@given(offset=st.integers(0, 20), length=st.integers(0, 9), quantity=st.integers(1, 3))
def test_a_refusal_for_availability_means_some_day_is_short(
    member_a, group_a, member_b, group_b, camera, offset, length, quantity
):
    Reservation.objects.all().delete()
    services.create_request(member_b, group_b, [services.Line(2, camera.pk)], d(10), d(12), "配信", day=TODAY)
    pickup = TODAY + dt.timedelta(days=offset)
    ret = pickup + dt.timedelta(days=length)
    try:
        services.create_request(
            member_a, group_a, [services.Line(quantity, camera.pk)], pickup, ret, "総会", day=TODAY
        )
    except Unavailable:
        hold_end = calendar.add_open_days(camera.location, ret, 1)
        free = availability.free_by_day([camera.pk], pickup, hold_end, TODAY)[camera.pk]
        assert min(free.values()) < quantity
    except ValidationError:
        pass
    else:
        assert min(availability.free_by_day([camera.pk], TODAY, d(30), TODAY)[camera.pk].values()) >= 0


def test_month_calendar_costs_constant_queries(
    client, member_a, group_a, member_b, group_b, camera, staff, reserve, django_assert_max_num_queries
):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/equipment/{camera.pk}/?month=2027-06").status_code == 200
        return len(ctx.captured_queries)

    reserve(member_a, group_a, {camera: 1}, d(3), d(4))
    few = queries()
    for day in (5, 8, 9, 10, 11, 12, 15, 16, 17, 18, 19):
        reserve(member_b, group_b, {camera: 1}, d(day), d(day), "approved", staff)
    assert queries() == few
    with django_assert_max_num_queries(12):
        availability.type_days(camera, d(1), d(30), TODAY)


def test_kit_calendar_and_catalogue_filter_cost_constant_queries(
    client, member_a, group_a, kit, camera, reserve
):
    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    paths = [f"/equipment/kits/{kit.pk}/", "/equipment/?start=2027-06-03&end=2027-06-20"]
    before = [queries(p) for p in paths]
    for day in (3, 4, 5, 8, 9):
        reserve(member_a, group_a, {camera: 1}, d(day), d(day))
    assert [queries(p) for p in paths] == before


@settings(max_examples=60, deadline=None)
@given(
    quantities=st.lists(st.integers(1, 3), min_size=1, max_size=4),
    free=st.lists(st.lists(st.integers(-2, 6), min_size=3, max_size=3), min_size=4, max_size=4),
)
def test_kit_free_is_the_fewest_whole_kits(quantities, free):
    """A kit is free as many times as its scarcest item allows, never negative."""
    from types import SimpleNamespace

    items = [SimpleNamespace(equipment_type_id=i, quantity=q) for i, q in enumerate(quantities)]
    days = [d(1), d(2), d(3)]
    per_type = {i: dict(zip(days, free[i], strict=True)) for i in range(len(quantities))}
    result = availability.kit_free(items, per_type)
    for day in days:
        kits = result[day]
        assert kits >= 0
        for item in items:
            assert kits * item.quantity <= max(per_type[item.equipment_type_id][day], 0)
        assert any((kits + 1) * item.quantity > per_type[item.equipment_type_id][day] for item in items)


def test_a_loan_holds_its_units_past_its_hold_end_once_the_reservation_is_overdue(
    member_a, group_a, camera, staff, reserve
):
    """Availability asks the reservation's own overdue rule: on the return day the loan is not overdue
    and frees its units after the inspection day; from the day after it holds them until it comes back."""
    reserve(member_a, group_a, {camera: 3}, d(3), d(4), "checked_out", staff)
    on_return_day = availability.free_by_day([camera.pk], d(10), d(12), d(4))[camera.pk]
    assert not Reservation.objects.overdue(d(4)).exists() and set(on_return_day.values()) == {3}
    day_after = availability.free_by_day([camera.pk], d(10), d(12), d(5))[camera.pk]
    assert Reservation.objects.overdue(d(5)).exists() and set(day_after.values()) == {0}


def test_free_in_period_keeps_what_is_free_on_every_day_of_it(member_a, group_a, camera, mic, kit, reserve):
    """The catalogue's period filter: the fewest free on a day of the period, and only what has some."""
    reserve(member_a, group_a, {mic: 2}, d(8), d(9))  # both mics held 8–10 June
    kits = Kit.objects.prefetch_related("items__equipment_type")
    period = availability.free_in_period([camera, mic], kits, d(3), d(9), TODAY)
    assert period.free == {camera.pk: 3, mic.pk: 0} and period.kit_counts == {kit.pk: 0}
    assert period.types == [camera] and period.kits == []
    period = availability.free_in_period([camera, mic], kits, d(3), d(4), TODAY)
    assert period.free == {camera.pk: 3, mic.pk: 2} and period.kit_counts == {kit.pk: 2}
    assert period.types == [camera, mic] and period.kits == [kit]
