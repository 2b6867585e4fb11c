"""The form patterns on the consultation booking (issue 12): an empty 次へ shows the error summary, the
message's counter and its limit refused (not cut), the review step, a reload or back-and-resubmit that
makes one booking, the 受付番号 with print and .ics on the booking's page; the API's Idempotency-Key."""

import re
import threading
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client

from conftest import PERSONAS
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at, confirm_from_mail, person


def details_url(topic, start, prefix="/en"):
    return f"{prefix}/consultation/book/?topic={topic.pk}&mode=in_person&start={quote(start.isoformat())}"


def once_key(page):
    return re.search(r'name="once" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_empty_next_on_the_first_step_shows_the_summary(client_for, persona, hours, topic):
    response = client_for(persona).get("/en/consultation/?step=choice")
    page = response.content.decode()
    assert response.status_code == 400
    assert "data-error-summary" in page and 'href="#id_topic"' in page and 'href="#id_mode"' in page
    assert "Please choose a topic." in page


def test_details_fields_are_tagged_and_the_message_has_a_counter_not_a_cut(client, hours, day, topic):
    page = client.get(details_url(topic, at(day, 10))).content.decode()
    name_label = re.search(r'<label for="id_name">(.*?)</label>', page, re.S).group(1)
    assert "tag-required" in name_label
    assert "tag-optional" in re.search(r'<label for="id_group_name">(.*?)</label>', page, re.S).group(1)
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert not re.search(r"\smaxlength=", textarea) and 'data-maxlength="2000"' in textarea
    assert "id_message_counter" in textarea and 'id="id_message_counter"' in page


def test_an_over_long_message_is_refused_with_a_message(client, hours, day, topic):
    response = client.post(details_url(topic, at(day, 10)), person(consent="on", message="あ" * 2001))
    page = response.content.decode()
    assert response.status_code == 400 and "at most 2000 characters" in page
    assert 'href="#id_message"' in page and not Consultation.objects.exists()


def test_review_then_commit_books_once(client, hours, day, topic):
    url = details_url(topic, at(day, 10))
    key = once_key(client.get(url).content.decode())
    review = client.post(url, person(consent="on", once=key, stage="review"))
    page = review.content.decode()
    assert review.status_code == 200 and not Consultation.objects.exists()
    assert "Check your booking" in page and "金沢 花子" in page and "Apply with these details" in page
    edit = client.post(url, person(consent="on", once=key, stage="edit"))
    assert 'value="金沢 花子"' in edit.content.decode() and not Consultation.objects.exists()
    done = client.post(url, person(consent="on", once=key, stage="commit"))
    assert done["Location"] == "/en/consultation/received/"
    again = client.post(url, person(consent="on", once=key, stage="commit"), follow=True)
    consultation = Consultation.objects.get()  # exactly one
    page = again.content.decode()
    assert "We have already received this application" in page and consultation.reference in page
    assert "just taken" not in page and "no longer free" not in page


def test_a_confirmed_bookings_page_has_reference_print_and_ics(client, hours, day, topic):
    client.post(details_url(topic, at(day, 10)), person(consent="on", stage="commit"))
    consultation = confirm_from_mail(Consultation.objects.get())
    page = client.get(f"/en/consultation/b/{consultation.manage_token}/").content.decode()
    ics = f"/en/consultation/b/{consultation.manage_token}/consultation.ics"
    assert consultation.reference in page and "data-print" in page and ics in page
    response = client.get(ics)
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
    assert client.get("/en/consultation/b/not-a-token/consultation.ics").status_code == 404


def test_api_booking_repeat_with_the_same_key_returns_the_first_answer(client, hours, day, topic):
    body = {"start": at(day, 11).isoformat(), "mode": "in_person", "topic": topic.pk, **person()}
    headers = {"Idempotency-Key": "c0ffee00-1111-2222-3333-444455556666"}
    first = client.post("/api/v1/consultations", body, content_type="application/json", headers=headers)
    again = client.post("/api/v1/consultations", body, content_type="application/json", headers=headers)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Consultation.objects.count() == 1
    other = client.post(
        "/api/v1/consultations", {**body, "name": "別の人"}, content_type="application/json", headers=headers
    )
    assert other.status_code == 422 and Consultation.objects.count() == 1


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_two_identical_parallel_bookings_make_one(hours, day, topic):
    session_client = Client()
    url = details_url(topic, at(day, 10))
    key = once_key(session_client.get(url).content.decode())
    cookies = session_client.cookies
    barrier = threading.Barrier(2)
    codes = []

    def post():
        try:
            client = Client()
            client.cookies = cookies
            barrier.wait()
            response = client.post(url, person(consent="on", once=key, stage="commit"))
            codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Consultation.objects.count() == 1
    assert codes == [302, 302]
