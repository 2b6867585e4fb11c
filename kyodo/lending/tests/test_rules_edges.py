"""Each lending rule at its edge, asked of rules.check_rules directly (TODAY: Tuesday 2027-06-01;
Mondays closed; defaults: 2 open days ahead, 7 days at most, 1 inspection day, 10 units)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kyodo.core.models import Closure
from kyodo.lending.models import LendingRules, Reservation
from kyodo.lending.services import rules
from kyodo.lending.tests.conftest import TODAY, d

pytestmark = pytest.mark.django_db


def errors(location, pickup, return_date, units=1, group=None, kind=rules.REQUEST, day=TODAY, **rule):
    conf = LendingRules(location=location, **rule)
    try:
        rules.check_rules(location, conf, group, pickup, return_date, units, day, kind)
    except ValidationError as exc:
        return {field: len(messages) for field, messages in exc.message_dict.items()}
    return {}


def test_open_days_ahead_counts_open_days_and_the_earliest_pickup_is_allowed(location):
    assert rules.earliest_pickup(location, LendingRules(location=location), TODAY) == d(3)
    assert errors(location, d(3), d(3)) == {}
    assert errors(location, d(2), d(2)) == {"pickup_date": 1}
    assert rules.earliest_pickup(location, LendingRules(location=location, min_days_ahead=0), TODAY) == TODAY
    assert errors(location, TODAY, TODAY, min_days_ahead=0) == {}
    # From Saturday the 5th: Sunday, (Monday closed), Tuesday.
    assert rules.earliest_pickup(location, LendingRules(location=location), d(5)) == d(8)
    assert errors(location, d(6), d(6), day=d(5)) == {"pickup_date": 1}
    assert errors(location, d(8), d(8), day=d(5)) == {}


def test_the_longest_loan_counts_both_ends(location):
    assert errors(location, d(3), d(9)) == {}  # 7 days: 3–9 June
    assert errors(location, d(3), d(10)) == {"return_date": 1}
    assert errors(location, d(3), d(3), max_days=1) == {}
    assert errors(location, d(3), d(4), max_days=1) == {"return_date": 1}


def test_the_return_may_be_the_pickup_day_but_not_before(location):
    assert errors(location, d(4), d(4)) == {}
    assert errors(location, d(4), d(3)) == {"return_date": 1}


def test_pickup_and_return_on_open_days(location):
    assert errors(location, d(3), d(7)) == {"return_date": 1}  # Monday
    assert errors(location, d(7), d(8)) == {"pickup_date": 1}
    Closure.objects.create(location=location, start_date=d(10), end_date=d(10))
    location = type(location).objects.get(pk=location.pk)
    assert errors(location, d(10), d(11)) == {"pickup_date": 1}
    assert errors(location, d(9), d(10)) == {"return_date": 1}


def test_units_per_request_at_the_limit(location):
    assert errors(location, d(3), d(3), units=10) == {}
    assert errors(location, d(3), d(3), units=11) == {"items": 1}
    assert errors(location, d(3), d(3), units=1, max_units_per_request=1) == {}


def test_units_per_group_at_the_limit(location, member_a, group_a, camera, reserve):
    reserve(member_a, group_a, {camera: 3}, d(8), d(9))
    assert rules.group_units_between(group_a, d(3), d(8)) == 3
    assert rules.group_units_between(group_a, d(9), d(12)) == 3  # the return day counts
    assert rules.group_units_between(group_a, d(10), d(12)) == 0  # the inspection day does not
    assert rules.group_units_between(group_a, d(3), d(7)) == 0
    assert errors(location, d(8), d(8), units=7, group=group_a) == {}  # 3 + 7 = 10
    assert errors(location, d(8), d(8), units=8, group=group_a) == {"items": 1}
    assert errors(location, d(10), d(10), units=10, group=group_a) == {}
    mine = Reservation.objects.get(group=group_a)
    # The reservation being changed does not count against itself.
    assert rules.group_units_between(group_a, d(3), d(12), exclude_id=mine.pk) == 0


def test_units_per_group_is_the_largest_day_not_the_sum(location, member_a, group_a, camera, mic, reserve):
    reserve(member_a, group_a, {camera: 2}, d(3), d(4))
    reserve(member_a, group_a, {mic: 1}, d(5), d(6))
    reserve(member_a, group_a, {camera: 1}, d(4), d(4))
    assert rules.group_units_between(group_a, d(3), d(6)) == 3  # 4 June: 2 + 1


def test_a_staff_edit_skips_open_days_ahead_but_not_the_past(location):
    assert errors(location, TODAY, d(2), kind=rules.EDIT) == {}
    assert errors(location, d(1) - dt.timedelta(days=2), d(2), kind=rules.EDIT) == {"pickup_date": 1}


def test_an_extension_names_its_own_field_and_ignores_the_pickup(location):
    assert errors(location, d(7), d(8), kind=rules.EXTENSION) == {}  # the pickup (a Monday) is settled
    assert errors(location, d(3), d(10), kind=rules.EXTENSION) == {"new_return_date": 1}
    assert errors(location, d(3), d(2), kind=rules.EXTENSION) == {"new_return_date": 1}


def test_the_horizon_is_a_year_either_way(location):
    rules.check_horizon(TODAY, pickup_date=TODAY + dt.timedelta(days=366))
    rules.check_horizon(TODAY, pickup_date=TODAY - dt.timedelta(days=366))
    with pytest.raises(ValidationError) as too_far:
        rules.check_horizon(TODAY, pickup_date=TODAY + dt.timedelta(days=367), return_date=TODAY)
    assert list(too_far.value.message_dict) == ["pickup_date"]
    with pytest.raises(ValidationError):
        rules.check_horizon(TODAY, return_date=TODAY - dt.timedelta(days=367))


def test_the_hold_ends_on_the_kth_open_day_after_return(location):
    assert rules.hold_end(location, d(5), LendingRules(location=location)) == d(6)
    assert rules.hold_end(location, d(6), LendingRules(location=location)) == d(8)  # past Monday
    assert rules.hold_end(location, d(5), LendingRules(location=location, inspection_days=2)) == d(8)
    assert rules.hold_end(location, d(5), LendingRules(location=location, inspection_days=0)) == d(5)


def test_an_unapproved_group_may_not_borrow(group_a):
    group_a.status = "pending"
    group_a.save()
    with pytest.raises(ValidationError):
        rules.check_group(group_a, TODAY)


def test_needs_add_up_per_type(camera, mic, kit, member_a, group_a, reserve):
    assert rules.needs_of([(camera, 2, None), (mic, 1, kit), (camera, 1, kit)]) == {camera.pk: 3, mic.pk: 1}
    r = reserve(member_a, group_a, {camera: 2, mic: 1}, d(8), d(8))
    assert rules.needs_of_reservation(r) == {camera.pk: 2, mic.pk: 1}


def test_without_inspection_the_hold_ends_on_the_return_day_even_a_closed_one(location):
    assert rules.hold_end(location, d(7), LendingRules(location=location, inspection_days=0)) == d(7)


def test_the_horizon_names_the_fields_of_the_kind_of_change(location):
    far = TODAY + dt.timedelta(days=400)
    assert errors(location, far, far + dt.timedelta(days=1)) == {"pickup_date": 1, "return_date": 1}
    assert errors(location, far, far, kind=rules.EXTENSION) == {"new_return_date": 1}
    # An extension's pickup is settled, however long ago: only the new return date is checked.
    long_ago = TODAY - dt.timedelta(days=400)
    assert errors(location, long_ago, d(3), kind=rules.EXTENSION) == {"new_return_date": 1}  # longest loan


def test_the_open_days_ahead_message_names_the_earliest_pickup(location):
    from django.utils import translation

    from kyodo.core.dates import format_date

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            rules.check_rules(location, LendingRules(location=location), None, d(2), d(2), 1, TODAY)
    message = refused.value.message_dict["pickup_date"][0]
    assert "at least 2 open days" in message and format_date(d(3), "en") in message
