"""The named states: each question about a reservation asked once, of the model or its queryset."""

import pytest

from kyodo.lending.models import ExtensionRequest, Reservation, ReservationItem
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def loans(member_a, group_a, member_b, group_b, camera, mic, staff, reserve):
    return {
        "requested": reserve(member_a, group_a, {camera: 1}, d(10), d(11)),
        "approved": reserve(member_a, group_a, {mic: 1}, d(3), d(4), "approved", staff),
        "out": reserve(member_b, group_b, {camera: 1}, d(3), d(5), "checked_out", staff),
    }


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_queryset_names_each_state(loans):
    requested, approved, out = loans["requested"].pk, loans["approved"].pk, loans["out"].pk
    objects = Reservation.objects
    assert pks(objects.requested()) == {requested}
    assert pks(objects.to_pick_up(d(3), d(3))) == {approved}
    assert pks(objects.to_pick_up(d(4), d(9))) == set()
    assert pks(objects.late_pickups(d(3))) == set() and pks(objects.late_pickups(d(4))) == {approved}
    assert pks(objects.due_back(d(5))) == {out} and pks(objects.due_back(d(1), d(4))) == set()
    assert pks(objects.overdue(d(5))) == set() and pks(objects.overdue(d(6))) == {out}
    assert pks(objects.open()) == {requested, approved, out}
    assert pks(objects.before_pickup()) == {requested, approved}
    Reservation.objects.filter(pk=requested).update(status=Reservation.Status.CANCELLED)
    assert pks(objects.open()) == {approved, out}


def test_model_answers_what_each_action_allows(loans):
    requested, approved, out = (
        Reservation.objects.get(pk=loans[k].pk) for k in ("requested", "approved", "out")
    )
    assert requested.can_approve() and not approved.can_approve()
    assert requested.can_cancel() and approved.can_cancel() and not out.can_cancel()
    assert requested.can_edit() and approved.can_edit() and not out.can_edit()
    assert not requested.can_extend() and approved.can_extend() and out.can_extend()
    assert approved.can_check_out() and not requested.can_check_out() and not out.can_check_out()
    assert out.can_return() and not approved.can_return()
    assert out.is_overdue(d(6)) and not out.is_overdue(d(5))


def test_pending_extensions(loans, member_b):
    from kyodo.lending import services

    extension = services.request_extension(member_b, loans["out"].pk, d(6))
    assert list(ExtensionRequest.objects.pending()) == [extension] and extension.is_pending()
    ExtensionRequest.objects.filter(pk=extension.pk).update(status=ExtensionRequest.Status.DECLINED)
    assert not ExtensionRequest.objects.pending().exists()


def test_the_statistics_ask_lent_and_declined_by_name(loans):
    objects = Reservation.objects
    requested, approved, out = loans["requested"].pk, loans["approved"].pk, loans["out"].pk
    assert pks(objects.lent()) == {out} and pks(objects.declined()) == set()
    objects.filter(pk=requested).update(status=Reservation.Status.RETURNED)
    objects.filter(pk=approved).update(status=Reservation.Status.DECLINED)
    assert pks(objects.lent()) == {requested, out} and pks(objects.declined()) == {approved}
    items = ReservationItem.objects.of_lent_reservations()
    assert set(items.values_list("reservation_id", flat=True)) == {requested, out}
