"""The JSON API contract, for each persona."""

import pytest

from conftest import PERSONAS
from kyodo.lending.models import Reservation
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


def body(group, items, pickup="2027-06-03", ret="2027-06-05", purpose="総会"):
    return {"group": group.pk, "items": items, "pickup_date": pickup, "return_date": ret, "purpose": purpose}


@pytest.mark.parametrize("persona", PERSONAS)
def test_catalogue_is_public(api_client_for, persona, camera, kit):
    client = api_client_for(persona)
    data = client.get("/api/v1/equipment").json()
    assert data["count"] == 2
    cam = next(i for i in data["items"] if i["id"] == camera.pk)
    assert cam == {
        **cam,
        "name": camera.name,
        "category": "camera",
        "units_in_service": 3,
        "location": "テストセンター",
    }
    assert client.get(f"/api/v1/equipment/{camera.pk}").json()["accessories"] == ["USBケーブル", "クリップ"]
    kits = client.get("/api/v1/kits").json()
    assert kits["count"] == 1 and kits["items"][0]["items"][0]["quantity"] == 1
    assert client.get(f"/api/v1/kits/{kit.pk}").status_code == 200
    assert client.get("/api/v1/equipment/9999").status_code == 404
    assert client.get("/api/v1/kits/9999").status_code == 404


def test_availability_one_entry_per_open_day(client, camera, kit, member_a, group_a, reserve):
    reserve(member_a, group_a, {camera: 2}, d(3), d(4))
    days = client.get(f"/api/v1/equipment/{camera.pk}/availability?start=2027-06-01&end=2027-06-08").json()[
        "days"
    ]
    assert [x["date"] for x in days] == [f"2027-06-0{n}" for n in (1, 2, 3, 4, 5, 6, 8)]  # Monday 7 closed
    assert [x["free"] for x in days] == [3, 3, 1, 1, 1, 3, 3]
    kit_days = client.get(f"/api/v1/kits/{kit.pk}/availability?start=2027-06-03&end=2027-06-06").json()[
        "days"
    ]
    assert [x["free"] for x in kit_days] == [1, 1, 1, 2]


@pytest.mark.parametrize(
    "query",
    [
        "start=2027-06-05&end=2027-06-01",
        "start=2027-01-01&end=2028-06-01",
        "start=nonsense&end=2027-06-01",
        "end=2027-06-01",
    ],
)
def test_availability_bad_ranges_are_422(client, camera, query):
    assert client.get(f"/api/v1/equipment/{camera.pk}/availability?{query}").status_code == 422


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 401), ("member_a", 201), ("member_b", 403), ("staff", 201), ("admin", 201)],
)
def test_create_reservation_per_persona(api_client_for, persona, expected, camera, group_a):
    response = api_client_for(persona).post(
        "/api/v1/reservations",
        body(group_a, [{"equipment": camera.pk, "quantity": 1}]),
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    if expected == 201:
        data = response.json()
        assert data["status"] == "requested" and data["group"] == group_a.pk
        assert data["items"] == [{"equipment": camera.pk, "name": camera.name, "quantity": 1, "kit": None}]
    else:
        assert not Reservation.objects.exists()


def test_create_errors(api_client_for, camera, kit, group_a):
    client = api_client_for("member_a")

    def post(payload):
        return client.post("/api/v1/reservations", payload, content_type="application/json")

    r = post(body(group_a, [{"kit": kit.pk, "quantity": 1}]))
    assert r.status_code == 201 and {i["kit"] for i in r.json()["items"]} == {kit.pk}
    assert post(body(group_a, [{"equipment": camera.pk, "quantity": 3}])).status_code == 409
    r = post(body(group_a, [{"equipment": camera.pk, "quantity": 1}], pickup="2027-06-02"))
    assert r.status_code == 422 and "pickup_date" in r.json()["errors"]
    assert post(body(group_a, [{"equipment": camera.pk, "kit": kit.pk}])).status_code == 422
    assert post(body(group_a, [{"equipment": 999}])).status_code == 422
    assert post(body(group_a, [])).status_code == 422
    assert post({**body(group_a, [{"equipment": camera.pk}]), "group": 999}).status_code == 422
    assert post({"group": "x"}).status_code == 422
    assert client.post("/api/v1/reservations", "not json", content_type="application/json").status_code in (
        400,
        422,
    )
    assert Reservation.objects.count() == 1


def test_list_detail_cancel_scoped_to_own_groups(
    api_client_for, camera, member_a, group_a, member_b, group_b, reserve
):
    ra = reserve(member_a, group_a, {camera: 1}, d(3), d(4))
    rb = reserve(member_b, group_b, {camera: 1}, d(3), d(4))
    a, staff = api_client_for("member_a"), api_client_for("staff")
    assert [x["id"] for x in a.get("/api/v1/reservations").json()["items"]] == [ra.pk]
    assert a.get("/api/v1/reservations").json()["count"] == 1
    assert staff.get("/api/v1/reservations").json()["count"] == 2
    assert staff.get("/api/v1/reservations?limit=1").json()["items"].__len__() == 1
    assert a.get(f"/api/v1/reservations/{rb.pk}").status_code == 404
    assert a.post(f"/api/v1/reservations/{rb.pk}/cancel").status_code == 404
    assert api_client_for("anonymous").get("/api/v1/reservations").status_code == 401
    assert a.get(f"/api/v1/reservations/{ra.pk}").json()["purpose"] == "総会"
    assert a.post(f"/api/v1/reservations/{ra.pk}/cancel").json()["status"] == "cancelled"
    assert a.post(f"/api/v1/reservations/{ra.pk}/cancel").status_code == 422
    assert Reservation.objects.get(pk=rb.pk).status == "requested"


def test_invalid_token_is_401(client, camera):
    response = client.get("/api/v1/reservations", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 401), ("member_a", 200), ("member_b", 404), ("staff", 200), ("admin", 200)],
)
def test_reservation_detail_and_cancel_per_persona(
    api_client_for, persona, expected, camera, member_a, group_a, reserve
):
    r = reserve(member_a, group_a, {camera: 1}, d(3), d(4))
    client = api_client_for(persona)
    assert client.get(f"/api/v1/reservations/{r.pk}").status_code == expected
    assert client.post(f"/api/v1/reservations/{r.pk}/cancel").status_code == expected
    assert Reservation.objects.get(pk=r.pk).status == ("cancelled" if expected == 200 else "requested")
    listed = client.get("/api/v1/reservations")
    if expected == 401:
        assert listed.status_code == 401
    else:
        assert (r.pk in [x["id"] for x in listed.json()["items"]]) == (expected == 200)


def test_openapi_and_docs_describe_the_lending_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ["/api/v1/equipment", "/api/v1/equipment/{type_id}/availability", "/api/v1/kits", "/api/v1/reservations", "/api/v1/reservations/{reservation_id}/cancel"]:  # fmt: skip
        assert path in schema["paths"], path
    assert client.get("/api/v1/docs").status_code == 200
