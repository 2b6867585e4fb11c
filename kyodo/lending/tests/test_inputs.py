"""The quantity limit of a request's line is stated once (lending.inputs): the form, the API and the
service refuse 21 of one thing with the same words, and all accept 20."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kyodo.lending import services
from kyodo.lending.inputs import MAX_QUANTITY
from kyodo.lending.models import EquipmentType, LendingRules, Reservation, Unit
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db

AT_MOST_20 = "20以下の数を入力してください。"


@pytest.fixture
def chairs(location, personas):
    """Twenty of one type, and rules that let a group borrow all of them at once."""
    kind = EquipmentType.objects.create(name="折りたたみ椅子", category="other", location=location)
    Unit.objects.bulk_create(Unit(equipment_type=kind, asset_tag=f"CH-{n:02}") for n in range(1, 21))
    LendingRules.objects.create(location=location, max_units_per_request=30, max_units_per_group=30)
    return kind


def api_post(api_client_for, group, kind, quantity):
    body = {
        "group": group.pk,
        "items": [{"equipment": kind.pk, "quantity": quantity}],
        "pickup_date": "2027-06-10",
        "return_date": "2027-06-11",
        "purpose": "総会",
    }
    return api_client_for("member_a").post("/api/v1/reservations", body, content_type="application/json")


def form_post(client_for, group, kind, quantity, action="check"):
    form = {
        "group": group.pk,
        "pickup_date": "2027-06-10",
        "return_date": "2027-06-11",
        "purpose": "総会",
        f"type_{kind.pk}": str(quantity),
        "action": action,
    }
    return client_for("member_a").post("/equipment/request/", form)


def test_the_limit_is_twenty():
    assert MAX_QUANTITY == 20


def test_service_refuses_21_and_accepts_20(member_a, group_a, chairs):
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        services.create_request(member_a, group_a, [services.Line(21, chairs.pk)], d(10), d(11), "総会")
    assert refused.value.message_dict == {"quantity": [AT_MOST_20]}
    assert not Reservation.objects.exists()
    r = services.create_request(member_a, group_a, [services.Line(20, chairs.pk)], d(10), d(11), "総会")
    assert r.items.get().quantity == 20


def test_api_refuses_21_with_the_same_words_and_accepts_20(api_client_for, group_a, chairs):
    response = api_post(api_client_for, group_a, chairs, 21)
    assert response.status_code == 422
    assert response.json()["errors"] == {"quantity": [AT_MOST_20]}
    assert not Reservation.objects.exists()
    assert api_post(api_client_for, group_a, chairs, 20).status_code == 201


def test_form_refuses_21_with_the_same_words_and_accepts_20(client_for, group_a, chairs):
    response = form_post(client_for, group_a, chairs, 21, "send")
    assert response.status_code == 400
    assert response.context["form"].errors == {f"type_{chairs.pk}": [AT_MOST_20]}
    assert not Reservation.objects.exists()
    response = form_post(client_for, group_a, chairs, 20, "send")
    assert response.status_code == 302
    assert Reservation.objects.get().items.get().quantity == 20


def test_staff_edit_refuses_21_with_the_same_words(staff, member_a, group_a, chairs, client_for):
    r = services.create_request(member_a, group_a, [services.Line(2, chairs.pk)], d(10), d(11), "総会")
    item = r.items.get()
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        services.edit(staff, r.pk, d(10), d(11), {item.pk: 21})
    assert refused.value.messages == [AT_MOST_20]
    assert Reservation.objects.get(pk=r.pk).items.get().quantity == 2
