"""The admin is one more door: its saves go through the services (validation, audit, SEQUENCE)."""

import datetime as dt

import pytest
from django.contrib import messages
from django.utils.translation import gettext_lazy as _

from kyodo.community.models import Event, NewsPost, SiteNotice
from kyodo.community.tests.helpers import make_event, make_news
from kyodo.core.errors import Unavailable
from kyodo.core.models import AuditEntry


@pytest.mark.parametrize("persona,expected", [("member_a", 302), ("staff", 200), ("admin", 200)])
def test_admin_lists(client_for, persona, expected):
    make_event()
    make_news()
    client = client_for(persona)
    for path in (
        "community/event",
        "community/newspost",
        "groups/feature",
        "community/sitenotice",
        "groups/proposal",
    ):
        response = client.get(f"/admin/{path}/")
        assert response.status_code == expected, path


def test_staff_add_news_in_the_admin_and_it_is_audited(client_for, staff):
    response = client_for("staff").post(
        "/admin/community/newspost/add/",
        {"title": "新着", "body": "本文", "publish_at_0": "2026-12-01", "publish_at_1": "09:00:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = NewsPost.objects.get()
    assert post.created_by == staff
    assert AuditEntry.objects.filter(action="news.create", target_id=str(post.pk)).exists()


def test_admin_event_edit_bumps_sequence(client_for, admin_user):
    event = make_event(start_date=dt.date(2026, 12, 5))
    url = f"/admin/community/event/{event.pk}/change/"
    form = {
        "title": "変更", "category": "other", "start_date": "2026-12-05", "end_date": "2026-12-05",
        "venue_name": "会場", "status": "cancelled",
    }  # fmt: skip
    response = client_for("staff").post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.sequence == 1 and event.status == "cancelled"
    bad = client_for("admin").post(url, {**form, "end_date": "2026-12-01"})
    assert bad.status_code == 200 and Event.objects.get(pk=event.pk).end_date == dt.date(2026, 12, 5)


def test_admin_publish_action(client_for, group_a):
    event = make_event(state="submitted", group=group_a)
    client_for("staff").post(
        "/admin/community/event/", {"action": "publish_selected", "_selected_action": [event.pk]}
    )
    event.refresh_from_db()
    assert event.is_published


def test_admin_notice(client_for):
    response = client_for("admin").post(
        "/admin/community/sitenotice/add/", {"key": "events", "text": "※中止の場合があります", "text_en": ""}
    )
    assert response.status_code == 302
    assert SiteNotice.objects.get().text == "※中止の場合があります"


def test_admin_publish_action_names_a_refused_event_as_an_error(client_for, group_a):
    published = make_event(state="published", group=group_a)
    submitted = make_event(state="submitted", group=group_a)
    response = client_for("staff").post(
        "/admin/community/event/",
        {"action": "publish_selected", "_selected_action": [published.pk, submitted.pk]},
        follow=True,
    )
    errors = [str(m) for m in response.context["messages"] if m.level == messages.ERROR]
    assert errors == [f"{published}: {Unavailable(_('This event is already published.')).message}"]
    submitted.refresh_from_db()
    assert submitted.is_published
