"""A NUL character anywhere in a request is a clear 400, never a 500 (PostgreSQL cannot store it)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_a_form_is_400(client_for, personas):
    response = client_for("member_a").post("/groups/register/", {"name": "A\x00B", "kana": "か"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_nul_in_a_query_is_400(client, location):
    assert client.get("/equipment/", {"category": "x\x00"}).status_code == 400


def test_nul_in_json_is_400(api_client_for, personas):
    client = api_client_for("member_a")
    body = json.dumps(
        {
            "group": 1,
            "items": [],
            "pickup_date": "2026-12-01",
            "return_date": "2026-12-02",
            "purpose": "a\u0000",
        }
    )
    response = client.post("/api/v1/reservations", body, content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_ordinary_input_passes(client, location):
    assert client.get("/equipment/", {"category": "camera"}).status_code == 200


def test_huge_offset_is_422_not_500(client, location):
    assert client.get("/api/v1/equipment?offset=99999999999999999999").status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/equipment/staff/counter/?date=9999-12-31",
        "/equipment/staff/counter/?date=0001-01-01",
        "/equipment/staff/counter/?location=99999999999999999999",
        "/equipment/staff/labels/?type=99999999999999999999",
        "/consultation/staff/?location=99999999999999999999&coordinator=99999999999999999999",
        "/staff/?location=99999999999999999999",
        "/staff/stats/?year=2010",
    ],
)
def test_extreme_parameters_on_staff_pages_are_not_500(client_for, personas, path):
    assert client_for("staff").get(path).status_code in (200, 400, 404)


def test_staff_booking_with_an_absurd_date_is_400(client_for, personas):
    response = client_for("staff").post("/consultation/staff/new/", {"date": "9999-12-31"})
    assert response.status_code == 400
