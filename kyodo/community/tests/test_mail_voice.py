"""Every event mail, as delivered and parsed by a mail program: the center's voice (core.tests.mailcheck);
the person who sent the event in greeted with their group, staff as staff."""

import pytest
from django.test import Client

from kyodo.community import services
from kyodo.community.tests.test_events import _data
from kyodo.core.mail import Addressee
from kyodo.core.tests.mailcheck import SITE_URL, check, delivered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


def test_submitted_published_and_returned(group_a, member_a, staff, location):
    event = services.create_event(member_a, _data(), group=group_a, submit=True)
    [to_staff] = delivered()
    text = check(to_staff, greeting=Addressee(staff=True), location=location, anonymous=Client())
    assert f"{SITE_URL}/events/manage/" in text or f"{SITE_URL}/events/" in text

    services.publish_event(staff, event.pk)
    [published] = delivered()
    greeting = Addressee(name=member_a.name, organisation=group_a.name)
    text = check(published, greeting=greeting, location=location, anonymous=Client())
    assert f"{SITE_URL}/events/{event.pk}/" in text

    other = services.create_event(member_a, _data(title="二つ目"), group=group_a, submit=True)
    delivered()
    services.return_event(staff, other.pk, "日付をご確認ください")
    [returned] = delivered()
    text = check(returned, greeting=greeting, location=location, anonymous=Client())
    assert "日付をご確認ください" in text
