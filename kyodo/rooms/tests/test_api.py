"""The rooms API per the issue's contract, per persona; bad input is a 4xx, never a 500."""

import pytest
from django.utils import translation

from conftest import PERSONAS
from kyodo.rooms import services
from kyodo.rooms.models import RoomBooking
from kyodo.rooms.tests.conftest import at, d


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def body(room, date="2027-06-03", periods=("evening",), group=None, **extra):
    return {"room": room.pk, "date": date, "periods": list(periods), "group": group.pk if group else None,
            "purpose": "総会", "attendees": 10, **extra}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_rooms_list_is_public(api_client_for, persona, hall, meeting_room):
    data = api_client_for(persona).get("/api/v1/rooms").json()
    assert data["count"] == 2
    assert set(data["items"][0]) >= {"id", "name", "location", "capacity"}


def test_one_room_and_404(api_client_for, personas, hall):
    client = api_client_for("anonymous")
    assert client.get(f"/api/v1/rooms/{hall.pk}").json()["periods"][0]["code"] == "morning"
    assert client.get("/api/v1/rooms/999999").status_code == 404


def test_availability_states(api_client_for, personas, hall, member_a, group_a):
    services.book(member_a, {"room": hall.pk, "date": d(3), "periods": ["evening"], "group": group_a.pk,
                             "terms_accepted": True})  # fmt: skip
    response = api_client_for("anonymous").get(
        f"/api/v1/rooms/{hall.pk}/availability", {"start": "2027-06-01", "end": "2027-10-02"[:10]}
    )
    assert response.status_code == 422  # more than 92 days
    days = (
        api_client_for("anonymous")
        .get(f"/api/v1/rooms/{hall.pk}/availability", {"start": "2027-06-01", "end": "2027-08-31"})
        .json()["days"]
    )
    assert len(days) == 92
    by_date = {day["date"]: {p["code"]: p["state"] for p in day["periods"]} for day in days}
    assert by_date["2027-06-03"] == {"morning": "free", "afternoon": "free", "evening": "taken"}
    assert set(by_date["2027-06-07"].values()) == {"closed"}  # Monday
    assert set(by_date["2027-06-01"].values()) == {"closed"}  # today: booking closed
    assert {"code", "name", "start", "end", "state"} <= set(days[2]["periods"][0])
    later = (
        api_client_for("anonymous")
        .get(f"/api/v1/rooms/{hall.pk}/availability", {"start": "2027-09-28", "end": "2027-10-02"})
        .json()["days"]
    )
    assert later[-1]["periods"][0]["state"] == "not_open_yet" and later[-1]["periods"][0]["opens_at"]


@pytest.mark.parametrize(
    "query",
    [{"start": "2027-06-10", "end": "2027-06-01"}, {"start": "x", "end": "2027-06-01"}, {"start": "9999-01-01",
     "end": "9999-01-02"}, {}],
)  # fmt: skip
def test_availability_bad_input_is_422(api_client_for, personas, hall, query):
    assert api_client_for("anonymous").get(f"/api/v1/rooms/{hall.pk}/availability", query).status_code == 422


def test_booking_201_then_409_already_taken(api_client_for, personas, hall, group_a, group_b):
    response = api_client_for("member_a").post(
        "/api/v1/room-bookings", body(hall, group=group_a), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "provisional" and data["reference"].startswith("RM-") and data["id"]
    again = api_client_for("member_b").post(
        "/api/v1/room-bookings", body(hall, group=group_b), content_type="application/json"
    )
    assert again.status_code == 409 and again.json()["code"] == "already_taken"
    assert again.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [({"date": "2027-10-05"}, "date"), ({"attendees": 999}, "attendees"), ({"use": "religious"}, "use"),
     ({"periods": ["morning", "evening"]}, "periods"), ({"terms_accepted": False}, "terms_accepted"),
     ({"periods": []}, "periods"), ({"date": "2027-13-01"}, "date"), ({"room": 99999}, "room"),
     ({"group": None}, "group"), ({"attendees": -1}, "attendees")],
)  # fmt: skip
def test_booking_422_names_the_rule(api_client_for, personas, hall, group_a, change, field):
    response = api_client_for("member_a").post(
        "/api/v1/room-bookings", {**body(hall, group=group_a), **change}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_booking_refused_to_others_and_anonymous(api_client_for, personas, hall, group_a):
    assert (
        api_client_for("anonymous")
        .post("/api/v1/room-bookings", body(hall, group=group_a), content_type="application/json")
        .status_code
        == 401
    )
    assert (
        api_client_for("member_b")
        .post("/api/v1/room-bookings", body(hall, group=group_a), content_type="application/json")
        .status_code
        == 403
    )
    assert api_client_for("member_a").post(
        "/api/v1/room-bookings", "{not json", content_type="application/json"
    ).status_code in (400, 422)


def test_idempotency_key_returns_the_first_answer(api_client_for, personas, hall, group_a, group_b):
    """The shared core.once: the same key and request by the same caller is the first answer; the same key
    with another request is refused (422); another caller's same key is their own."""
    client = api_client_for("member_a")
    key = {"Idempotency-Key": "3f1c9a52-room-key"}
    first = client.post("/api/v1/room-bookings", body(hall, group=group_a), content_type="application/json",
                        headers=key)  # fmt: skip
    again = client.post("/api/v1/room-bookings", body(hall, group=group_a), content_type="application/json",
                        headers=key)  # fmt: skip
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert RoomBooking.objects.count() == 1
    other = client.post("/api/v1/room-bookings", body(hall, periods=("morning",), group=group_a),
                        content_type="application/json", headers=key)  # fmt: skip
    assert other.status_code == 422 and "Idempotency-Key" in other.content.decode()
    theirs = api_client_for("member_b").post("/api/v1/room-bookings", body(hall, periods=("morning",), group=group_b),
                                             content_type="application/json", headers=key)  # fmt: skip
    assert theirs.status_code == 201 and RoomBooking.objects.count() == 2
    short = client.post("/api/v1/room-bookings", body(hall, periods=("afternoon",), group=group_a),
                        content_type="application/json", headers={"Idempotency-Key": "abc"})  # fmt: skip
    assert short.status_code == 422 and RoomBooking.objects.count() == 2


def test_list_own_groups_staff_all_and_detail(
    api_client_for, personas, hall, member_a, group_a, member_b, group_b
):
    a = services.book(
        member_a,
        {"room": hall.pk, "date": d(3), "periods": ["evening"], "group": group_a.pk, "terms_accepted": True},
    )
    b = services.book(
        member_b,
        {"room": hall.pk, "date": d(4), "periods": ["evening"], "group": group_b.pk, "terms_accepted": True},
    )
    assert [x["id"] for x in api_client_for("member_a").get("/api/v1/room-bookings").json()["items"]] == [
        a.pk
    ]
    assert api_client_for("staff").get("/api/v1/room-bookings").json()["count"] == 2
    assert api_client_for("admin").get("/api/v1/room-bookings").json()["count"] == 2
    assert api_client_for("anonymous").get("/api/v1/room-bookings").status_code == 401
    assert api_client_for("member_a").get(f"/api/v1/room-bookings/{a.pk}").json()["reference"] == a.reference
    assert api_client_for("member_a").get(f"/api/v1/room-bookings/{b.pk}").status_code == 404
    assert api_client_for("member_a").get("/api/v1/room-bookings/99999999999999999999").status_code in (
        404,
        422,
    )


def test_cancel(api_client_for, personas, hall, member_a, group_a):
    a = services.book(
        member_a,
        {"room": hall.pk, "date": d(20), "periods": ["evening"], "group": group_a.pk, "terms_accepted": True},
    )
    assert api_client_for("member_b").post(f"/api/v1/room-bookings/{a.pk}/cancel").status_code == 404
    assert (
        api_client_for("staff")
        .post(f"/api/v1/room-bookings/{a.pk}/cancel", {}, content_type="application/json")
        .status_code
        == 422
    )  # no reason
    response = api_client_for("member_a").post(f"/api/v1/room-bookings/{a.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert api_client_for("member_a").post(f"/api/v1/room-bookings/{a.pk}/cancel").status_code == 422


def test_the_window_opens_at_nine_through_the_api(clock, api_client_for, personas, hall, group_a):
    clock.set(at(1, 8, 59, month=7))
    client = api_client_for("member_a")
    assert (
        client.post(
            "/api/v1/room-bookings", body(hall, "2027-10-05", group=group_a), content_type="application/json"
        ).status_code
        == 422
    )
    clock.set(at(1, 9, 0, month=7))
    assert (
        client.post(
            "/api/v1/room-bookings", body(hall, "2027-10-05", group=group_a), content_type="application/json"
        ).status_code
        == 201
    )
