"""The confirmation step (core.confirm) before cancelling or moving a consultation: the GET shows the
booking (受付番号, the time; for a move 変更前 → 変更後) and changes nothing, the POST acts, and the
refused personas change nothing."""

import pytest

from conftest import PERSONAS
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at
from kyodo.consultations.tests.test_pages import book_for
from kyodo.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(hours, day, topic):
    return book_for(hours, at(day, 10), topic)


def _get(pk):
    return Consultation.objects.get(pk=pk)


def test_the_manage_page_links_to_the_confirmation_instead_of_cancelling(client, booking):
    html = client.get(f"/en/consultation/b/{booking.manage_token}/").content.decode()
    assert f'href="/en/consultation/b/{booking.manage_token}/cancel/"' in html
    assert 'name="action" value="cancel"' not in html


def test_the_persons_cancel_confirmation_changes_nothing_then_the_post_cancels(client, booking):
    url = f"/en/consultation/b/{booking.manage_token}/cancel/"
    mails = OutboundEmail.objects.count()
    for _ in range(2):  # a mail scanner or a prefetch following the link
        response = client.get(url)
        assert response.status_code == 200
    html = response.content.decode()
    assert booking.reference in html and "10:00" in html and 'class="danger"' in html
    assert "Cancel the consultation" in html and f'href="/en/consultation/b/{booking.manage_token}/"' in html
    assert _get(booking.pk).status == "booked" and OutboundEmail.objects.count() == mails
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(f"/b/{booking.manage_token}/")
    assert _get(booking.pk).status == "cancelled"
    assert client.get(url).status_code == 302  # nothing left to cancel


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_persons_cancel_needs_the_link_whoever_asks(client_for, booking, persona):
    client = client_for(persona)
    assert client.get(f"/consultation/b/{booking.manage_token}/cancel/").status_code == 200
    assert client.get("/consultation/b/not-the-token/cancel/").status_code == 404
    assert client.post("/consultation/b/not-the-token/cancel/").status_code == 404
    assert _get(booking.pk).status == "booked"


def test_moving_shows_before_and_after_and_moves_only_on_post(client, booking, day):
    url = f"/en/consultation/b/{booking.manage_token}/move/"
    times = client.get(f"{url}?date={day.isoformat()}").content.decode()
    assert 'form method="get"' in times and 'name="start"' in times  # choosing a time is a GET
    new = at(day, 14)
    response = client.get(url, {"start": new.isoformat()})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Before" in html and "After" in html and "10:00–11:00" in html and "14:00–15:00" in html
    assert booking.reference in html and f'value="{new.isoformat()}"' in html
    assert '<span class="nowrap">14:00–15:00</span>' in html  # the day and the time never break inside
    assert _get(booking.pk).start == at(day, 10)
    assert client.post(url, {"start": new.isoformat()}).status_code == 302
    assert _get(booking.pk).start == new


def test_a_garbage_time_shows_the_list_again(client, booking):
    url = f"/consultation/b/{booking.manage_token}/move/"
    assert client.get(url, {"start": "garbage"}).status_code == 200
    assert client.get("/consultation/b/not-the-token/move/", {"start": "2030-01-01T10:00"}).status_code == 404


# --- Staff ----------------------------------------------------------------------------------------------


def test_the_staff_page_links_to_the_confirmations(client_for, booking):
    html = client_for("staff").get(f"/en/consultation/staff/{booking.pk}/").content.decode()
    assert f'href="/en/consultation/staff/{booking.pk}/cancel/"' in html
    assert f'<form method="get" action="/en/consultation/staff/{booking.pk}/move/"' in html


def test_staff_cancel_confirmation_then_post(client_for, booking):
    client = client_for("staff")
    url = f"/en/consultation/staff/{booking.pk}/cancel/"
    html = client.get(url).content.decode()
    assert booking.reference in html and "金沢 花子" in html and "Cancel the consultation" in html
    assert _get(booking.pk).status == "booked"
    assert client.post(url).status_code == 302
    assert _get(booking.pk).status == "cancelled"


def test_staff_move_confirmation_shows_before_and_after(client_for, booking, day, coordinator2):
    client = client_for("staff")
    url = f"/en/consultation/staff/{booking.pk}/move/"
    query = {"date": day.isoformat(), "time": "15:00", "coordinator": coordinator2.pk}
    html = client.get(url, query).content.decode()
    assert "10:00–11:00" in html and "15:00–16:00" in html and str(coordinator2) in html
    assert 'name="time" value="15:00"' in html
    assert _get(booking.pk).start == at(day, 10)
    assert client.get(url, {"date": "garbage"}).status_code == 400
    assert client.post(url, query).status_code == 302
    assert _get(booking.pk).start == at(day, 15) and _get(booking.pk).coordinator == coordinator2


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["cancel", "move"])
def test_staff_confirmations_per_persona(client_for, booking, day, persona, action):
    client = client_for(persona)
    url = f"/consultation/staff/{booking.pk}/{action}/"
    query = {"date": day.isoformat(), "time": "15:00"}
    response = client.get(url, query)
    if persona in ("staff", "admin"):
        assert response.status_code == 200
        assert "金沢 花子" in response.content.decode()
        return
    assert _turned_away(response, persona)
    assert "金沢 花子" not in response.content.decode()
    client.post(url, query)
    assert _get(booking.pk).status == "booked" and _get(booking.pk).start == at(day, 10)


def _turned_away(response, persona):
    """A staff page: the signed-out are sent to the site's sign-in, signed-in non-staff get 403."""
    if persona == "anonymous":
        return response.status_code == 302 and response["Location"].split("?")[0].endswith("/accounts/login/")
    return response.status_code == 403
