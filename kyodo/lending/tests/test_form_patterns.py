"""The form patterns on the loan request (issue 12): the error summary, 必須/任意, the review step, the
one-time key (back and resubmit makes one) and the 受付番号; the API's Idempotency-Key."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client

from kyodo.core.models import SubmissionKey
from kyodo.core.tokens import issue_token
from kyodo.lending.models import Reservation
from kyodo.lending.tests.conftest import d

URL = "/en/equipment/request/"


def request_form(group, camera, **extra):
    data = {
        "group": group.pk, f"type_{camera.pk}": "1", "pickup_date": d(3).isoformat(),
        "return_date": d(5).isoformat(), "purpose": "総会の配信",
    }  # fmt: skip
    return {**data, **extra}


def once_key(page):
    return re.search(r'name="once" value="([^"]+)"', page).group(1)


def test_empty_request_shows_the_summary_linked_to_each_field_and_keeps_the_input(
    client_for, member_a, camera
):
    client = client_for("member_a")
    response = client.post(URL, {"purpose": "総会", "stage": "review"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "data-error-summary" in page and "Please check what you entered" in page
    assert 'href="#id_pickup_date"' in page and 'href="#id_return_date"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_pickup_date_error"' in page
    assert 'id="id_pickup_date_error"' in page
    assert 'value="総会"' in page  # the input is kept
    assert not Reservation.objects.exists()


def test_every_field_is_labelled_required_or_optional(client_for, member_a, camera):
    page = client_for("member_a").get(URL).content.decode()
    purpose = re.search(r'<label for="id_purpose">(.*?)</label>', page, re.S).group(1)
    audience = re.search(r'<label for="id_audience_size">(.*?)</label>', page, re.S).group(1)
    assert "tag-required" in purpose and "Required" in purpose
    assert "tag-optional" in audience and "Optional" in audience
    assert 'id="id_purpose_helptext"' in page  # the hint with an example
    assert 'name="once"' in page and 'src="/static/core/forms.js"' in page


def test_review_writes_nothing_then_commit_makes_the_request_with_its_reference(
    client_for, member_a, group_a, camera
):
    client = client_for("member_a")
    key = once_key(client.get(URL).content.decode())
    response = client.post(URL, request_form(group_a, camera, stage="review", once=key))
    page = response.content.decode()
    assert response.status_code == 200 and not Reservation.objects.exists()
    assert (
        "Check your request" in page and "Apply with these details" in page and "Go back and correct" in page
    )
    assert "総会の配信" in page and f'name="once" value="{key}"' in page  # everything carried back
    back = client.post(URL, request_form(group_a, camera, stage="edit", once=key))
    assert back.status_code == 200 and 'value="総会の配信"' in back.content.decode()
    assert not Reservation.objects.exists()
    done = client.post(URL, request_form(group_a, camera, stage="commit", once=key), follow=True)
    reservation = Reservation.objects.get()
    assert reservation.reference == f"L{reservation.pk:06d}"
    page = done.content.decode()
    assert reservation.reference in page and "data-print" in page
    assert f"/en/equipment/reservations/{reservation.pk}.ics" in page


def test_back_and_resubmit_makes_exactly_one_request(client_for, member_a, group_a, camera):
    client = client_for("member_a")
    key = once_key(client.get(URL).content.decode())
    first = client.post(URL, request_form(group_a, camera, stage="commit", once=key))
    again = client.post(URL, request_form(group_a, camera, stage="commit", once=key), follow=True)
    reservation = Reservation.objects.get()
    assert first["Location"] == f"/en/equipment/reservations/{reservation.pk}/"
    assert again.redirect_chain[-1][0] == first["Location"]
    page = again.content.decode()
    assert "We have already received this application" in page
    assert "not free" not in page  # never "taken" about one's own request
    assert SubmissionKey.objects.get().made_id == reservation.pk


def test_another_member_cannot_use_someone_elses_key(
    client_for, member_a, member_b, group_a, group_b, camera
):
    key = once_key(client_for("member_a").get(URL).content.decode())
    client_for("member_a").post(URL, request_form(group_a, camera, stage="commit", once=key))
    client_for("member_b").post(URL, request_form(group_b, camera, stage="commit", once=key))
    assert Reservation.objects.count() == 2  # the key is per person: B is not shown A's request


def test_reservation_ics_is_the_groups_own(client_for, member_a, group_a, camera, reserve):
    reservation = reserve(member_a, group_a, {camera: 1}, d(3), d(5))
    url = f"/equipment/reservations/{reservation.pk}.ics"
    response = client_for("member_a").get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert client_for("member_b").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302  # to sign in


# --- The API's Idempotency-Key -----------------------------------------------------------------------


def api_payload(group, camera, purpose="配信"):
    return {
        "group": group.pk, "items": [{"equipment": camera.pk, "quantity": 1}],
        "pickup_date": d(3).isoformat(), "return_date": d(5).isoformat(), "purpose": purpose,
    }  # fmt: skip


def test_api_repeat_with_the_same_key_returns_the_first_answer(member_a, group_a, camera):
    client = Client(headers={"Authorization": f"Bearer {issue_token(member_a, 't')[1]}"})
    headers = {"Idempotency-Key": "6f1c2a4e-0b6d-4a43-9d1f-3c0f7d2a9b11"}
    first = client.post(
        "/api/v1/reservations", api_payload(group_a, camera), content_type="application/json", headers=headers
    )
    again = client.post(
        "/api/v1/reservations", api_payload(group_a, camera), content_type="application/json", headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and first.json()["reference"].startswith("L")
    assert Reservation.objects.count() == 1
    other = client.post(
        "/api/v1/reservations",
        api_payload(group_a, camera, "別の目的"),
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert Reservation.objects.count() == 1
    bad = client.post("/api/v1/reservations", api_payload(group_a, camera), content_type="application/json",
                      headers={"Idempotency-Key": "x"})  # fmt: skip
    assert bad.status_code == 422
    without = client.post(
        "/api/v1/reservations", api_payload(group_a, camera), content_type="application/json"
    )
    assert without.status_code in (201, 409)  # no key: an ordinary second request


def test_api_key_is_per_caller(member_a, member_b, group_a, group_b, camera):
    headers = {"Idempotency-Key": "shared-key-123456"}
    for user, group in ((member_a, group_a), (member_b, group_b)):
        client = Client(headers={"Authorization": f"Bearer {issue_token(user, 't')[1]}"})
        response = client.post(
            "/api/v1/reservations",
            api_payload(group, camera),
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 201
    assert Reservation.objects.count() == 2


def test_openapi_documents_the_header(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/reservations", "/api/v1/consultations"):
        names = [p["name"] for p in schema["paths"][path]["post"].get("parameters", [])]
        assert "Idempotency-Key" in names, path


# --- Two identical POSTs at once make one (file SQLite; PostgreSQL with DATABASE_URL) ------------------


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("door", ["html", "api"])
def test_two_identical_parallel_posts_make_one(member_a, group_a, camera, door):
    token = issue_token(member_a, "race")[1]
    key = "parallel-key-0123456789"
    barrier = threading.Barrier(2)
    codes = []

    def post():
        try:
            if door == "api":
                client = Client(headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
                barrier.wait()
                response = client.post(
                    "/api/v1/reservations", api_payload(group_a, camera), content_type="application/json"
                )
            else:
                client = Client()
                client.force_login(member_a)
                barrier.wait()
                response = client.post(URL, request_form(group_a, camera, stage="commit", once=key))
            codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Reservation.objects.count() == 1
    assert codes == ([201, 201] if door == "api" else [302, 302])
