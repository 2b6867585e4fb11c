"""Two staff members act on the same submitted event at the same moment: exactly one wins."""

import threading

import pytest
from django.db import connection

from kyodo.community import services
from kyodo.community.models import Event
from kyodo.community.tests.helpers import make_event
from kyodo.core.errors import Unavailable
from kyodo.core.models import AuditEntry, OutboundEmail

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]


def _run_together(*actions):
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            action()
            outcomes[index] = "ok"
        except Unavailable:
            outcomes[index] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_publish_and_return_at_once(group_a, member_a, staff, admin_user):
    """Whichever runs first, the other sees its result inside the lock: publish after a return is
    allowed (staff may publish a returned event), a return after publishing is refused."""
    for _ in range(3):
        event = make_event(group=group_a, state="submitted", submitted_by=member_a)
        publish, give_back = _run_together(
            lambda e=event: services.publish_event(staff, e.pk),
            lambda e=event: services.return_event(admin_user, e.pk, "日付を確認してください"),
        )
        event.refresh_from_db()
        assert publish == "ok" and give_back in ("ok", "conflict")
        assert event.state == Event.State.PUBLISHED and event.moderation_comment == ""
        assert AuditEntry.objects.filter(action="event.publish", target_id=str(event.pk)).count() == 1
        returns = AuditEntry.objects.filter(action="event.return", target_id=str(event.pk)).count()
        assert returns == (1 if give_back == "ok" else 0)


def test_two_publishes_at_once_send_one_mail(group_a, member_a, staff, admin_user):
    event = make_event(group=group_a, state="submitted", submitted_by=member_a)
    outcomes = _run_together(
        lambda: services.publish_event(staff, event.pk), lambda: services.publish_event(admin_user, event.pk)
    )
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AuditEntry.objects.filter(action="event.publish", target_id=str(event.pk)).count() == 1
    assert OutboundEmail.objects.filter(to=[member_a.email]).count() == 1
