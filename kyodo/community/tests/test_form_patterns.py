"""Event submission (issue 12): the review step before it goes to staff, one event for a double submit,
the 受付番号 on the done page and in staff's mail."""

import re

import pytest

from kyodo.community.models import Event
from kyodo.community.tests.helpers import event_form_data
from kyodo.core.models import OutboundEmail

pytestmark = pytest.mark.django_db
URL = "/en/events/new/"


def once_key(page):
    return re.search(r'name="once" value="([^"]+)"', page).group(1)


def test_send_for_review_shows_the_review_then_submits_once(client_for, member_a, group_a, staff):
    client = client_for("member_a")
    form = client.get(URL).content.decode()
    key = once_key(form)
    assert 'name="stage" value="review"' in form
    data = {**event_form_data(), "group": group_a.pk, "action": "submit", "once": key}
    review = client.post(URL, {**data, "stage": "review"})
    page = review.content.decode()
    assert review.status_code == 200 and "Check the event before it goes to staff" in page
    assert "新しいイベント" in page and 'name="image"' in page  # an image can be chosen on the review page
    assert not Event.objects.exists()
    edit = client.post(URL, {**data, "stage": "edit"})
    assert 'value="新しいイベント"' in edit.content.decode() and not Event.objects.exists()
    done = client.post(URL, {**data, "stage": "commit"}, follow=True)
    again = client.post(URL, {**data, "stage": "commit"}, follow=True)
    event = Event.objects.get()  # exactly one
    assert event.is_submitted and event.reference in done.content.decode()
    assert "We have already received this application" in again.content.decode()
    mail = OutboundEmail.objects.filter(template="community/email/event_submitted_staff").latest("id")
    assert event.reference in mail.body


def test_a_draft_is_saved_without_a_review(client_for, member_a, group_a):
    response = client_for("member_a").post(
        URL, {**event_form_data(), "group": group_a.pk, "action": "draft", "stage": "review"}
    )
    event = Event.objects.get()
    assert response.status_code == 302 and event.in_preparation and not event.is_submitted


def test_empty_submission_shows_the_summary(client_for, member_a, group_a):
    response = client_for("member_a").post(URL, {"action": "submit", "stage": "review"})
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_title"' in page and "data-error-summary" in page
