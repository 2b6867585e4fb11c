"""The confirmation step (core.confirm) before deleting or cancelling an event: the GET shows the event
and the consequence and changes nothing; the POST acts and lands on a sensible page, naming the event;
the refused personas change nothing."""

import pytest

from conftest import PERSONAS
from kyodo.community.models import Event
from kyodo.community.tests.helpers import make_event
from kyodo.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(group_a, member_a):
    return make_event(title="A団体の下書き", group=group_a, state="draft", submitted_by=member_a)


@pytest.fixture
def published(group_a, member_a):
    return make_event(title="公開中のイベント", group=group_a, submitted_by=member_a)


def test_the_event_page_links_to_the_confirmations_and_has_no_one_tap_delete(client_for, published):
    html = client_for("staff").get(f"/en/events/{published.pk}/").content.decode()
    assert f'href="/en/events/{published.pk}/delete/"' in html
    assert f'href="/en/events/{published.pk}/cancel/"' in html
    assert f'action="/en/events/{published.pk}/delete/"' not in html


def test_delete_confirmation_changes_nothing_then_the_post_deletes(client_for, draft):
    client = client_for("member_a")
    url = f"/en/events/{draft.pk}/delete/"
    html = client.get(url).content.decode()
    assert "A団体の下書き" in html and "Delete the event" in html and "cannot be undone" in html
    assert 'class="danger"' in html and f'href="/en/events/{draft.pk}/"' in html
    assert Event.objects.filter(pk=draft.pk).exists()
    response = client.post(url, follow=True)
    assert not Event.objects.filter(pk=draft.pk).exists()
    assert response.redirect_chain[-1][0].endswith("/events/mine/")
    assert "The event “A団体の下書き” was deleted." in response.content.decode()


def test_staff_land_on_the_staff_events_page_after_deleting(client_for, published):
    response = client_for("staff").post(f"/en/events/{published.pk}/delete/", follow=True)
    assert response.redirect_chain[-1][0].endswith("/events/manage/")
    assert "The event “公開中のイベント” was deleted." in response.content.decode()


def test_cancel_confirmation_then_the_post_marks_it_cancelled(client_for, published, staff):
    client = client_for("staff")
    url = f"/en/events/{published.pk}/cancel/"
    html = client.get(url).content.decode()
    assert "公開中のイベント" in html and "Mark as cancelled" in html
    published.refresh_from_db()
    assert not published.is_cancelled and published.sequence == 0
    response = client.post(url, follow=True)
    published.refresh_from_db()
    assert published.is_cancelled and published.is_published and published.sequence == 1
    assert response.redirect_chain[-1][0].endswith(f"/events/{published.pk}/")
    assert "is marked as cancelled" in response.content.decode()
    assert AuditEntry.objects.filter(action="event.cancel", target_id=str(published.pk)).exists()
    assert client.get(url).status_code == 302  # already cancelled: nothing to confirm
    assert "/cancel/" not in client.get(f"/en/events/{published.pk}/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_delete_confirmation_per_persona(client_for, draft, persona):
    client = client_for(persona)
    url = f"/events/{draft.pk}/delete/"
    response = client.get(url)
    if persona in ("member_a", "staff", "admin"):
        assert response.status_code == 200 and "A団体の下書き" in response.content.decode()
        return
    if persona == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 404 and "A団体の下書き" not in response.content.decode()
    client.post(url)
    assert Event.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_cancel_confirmation_per_persona(client_for, published, persona):
    """Only staff cancel a published event; its group's members may no longer edit it."""
    client = client_for(persona)
    url = f"/events/{published.pk}/cancel/"
    response = client.get(url)
    if persona in ("staff", "admin"):
        assert response.status_code == 200
        return
    if persona == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403
    client.post(url)
    published.refresh_from_db()
    assert not published.is_cancelled


def test_cancel_event_service_refuses_twice(staff, published):
    from kyodo.community import services
    from kyodo.core.errors import Unavailable

    services.cancel_event(staff, published.pk)
    with pytest.raises(Unavailable):
        services.cancel_event(staff, published.pk)
