"""The outbox: mail is stored with what caused it and delivered once, with retries."""

import datetime as dt
import smtplib
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from kyodo.core import ics, mail, notify
from kyodo.core.mail import deliver_pending
from kyodo.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_send_mail_goes_to_the_outbox_not_the_network():
    send_mail("件名", "本文", None, ["a@example.jp"])
    assert django_mail.outbox == []
    row = OutboundEmail.objects.get()
    assert row.status == "pending" and row.to == ["a@example.jp"]


def test_delivery_sends_once_and_marks_sent():
    send_mail("件名", "本文", None, ["a@example.jp"])
    assert deliver_pending() == (1, 0)
    assert deliver_pending() == (0, 0)
    assert len(django_mail.outbox) == 1 and django_mail.outbox[0].subject == "件名"
    assert OutboundEmail.objects.get().status == "sent"


def test_message_rolls_back_with_its_cause():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("件名", "本文", None, ["a@example.jp"])
        raise RuntimeError("booking failed")
    assert not OutboundEmail.objects.exists()


class BrokenSMTP:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


def test_failure_keeps_the_message_and_retries_later(settings):
    settings.KYODO_DELIVERY_BACKEND = "kyodo.core.tests.test_mail.BrokenSMTP"
    send_mail("件名", "本文", None, ["a@example.jp"])
    assert deliver_pending() == (0, 1)
    row = OutboundEmail.objects.get()
    assert row.status == "pending" and row.attempts == 1 and "connection refused" in row.last_error
    assert deliver_pending() == (0, 0)  # backing off: not due yet
    settings.KYODO_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(next_attempt_at=row.created_at)
    assert deliver_pending() == (1, 0)
    assert len(django_mail.outbox) == 1


def _fail_for(hours: float, step_minutes: int = 10) -> OutboundEmail:
    """Run the worker every `step_minutes` from the message's creation for `hours`, the transport down."""
    row = OutboundEmail.objects.get()
    steps = int(hours * 60 / step_minutes)
    for step in range(1, steps + 1):
        with mock.patch(
            "django.utils.timezone.now",
            return_value=row.created_at + dt.timedelta(minutes=step * step_minutes),
        ):
            deliver_pending()
    return OutboundEmail.objects.get()


def test_an_outage_of_70_hours_loses_nothing_and_72_hours_gives_up(settings):
    settings.KYODO_DELIVERY_BACKEND = "kyodo.core.tests.test_mail.BrokenSMTP"
    assert settings.KYODO_MAIL_RETRY_HOURS == 72
    send_mail("届かないメール", "本文", None, ["a@example.jp"])
    row = _fail_for(70)
    assert row.status == "pending" and row.attempts > 60 and "connection refused" in row.last_error
    later = row.created_at + dt.timedelta(hours=72, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert deliver_pending() == (0, 1)
    assert OutboundEmail.objects.get().status == "failed"


def test_back_off_doubles_from_30_seconds_and_is_capped_at_an_hour(settings):
    assert [mail._backoff(n).total_seconds() for n in (1, 2, 3, 7, 8, 9, 500)] == [
        30, 60, 120, 1920, 3600, 3600, 3600,
    ]  # fmt: skip
    settings.KYODO_DELIVERY_BACKEND = "kyodo.core.tests.test_mail.BrokenSMTP"
    send_mail("件名", "本文", None, ["a@example.jp"])
    row = _fail_for(10)
    assert row.attempts > 10  # still trying after 10 h, at least once an hour
    assert dt.timedelta(hours=10) <= row.next_attempt_at - row.created_at <= dt.timedelta(hours=11)


def test_the_retry_window_is_a_setting(settings):
    settings.KYODO_DELIVERY_BACKEND = "kyodo.core.tests.test_mail.BrokenSMTP"
    settings.KYODO_MAIL_RETRY_HOURS = 2
    send_mail("件名", "本文", None, ["a@example.jp"])
    assert _fail_for(1.5).status == "pending"
    assert _fail_for(2.5).status == "failed"


def test_gives_up_after_the_retry_window_and_staff_see_it_with_its_error_and_retry(settings, client_for):
    settings.KYODO_DELIVERY_BACKEND = "kyodo.core.tests.test_mail.BrokenSMTP"
    send_mail("届かないメール", "本文", None, ["a@example.jp"])
    OutboundEmail.objects.update(created_at=timezone.now() - dt.timedelta(hours=73))
    deliver_pending()
    assert OutboundEmail.objects.get().status == "failed"
    assert list(OutboundEmail.objects.given_up()) == [OutboundEmail.objects.get()]
    html = client_for("staff").get("/staff/outbox/").content.decode()
    assert "届かないメール" in html and "connection refused" in html
    client_for("staff").post("/staff/outbox/", {"ids": [OutboundEmail.objects.get().pk]})
    assert OutboundEmail.objects.get().status == "pending"


def test_notify_renders_in_the_recipients_language_with_ics(group_a):
    entry = ics.Entry(uid="x1", summary="受け取り", start=__import__("datetime").date(2026, 12, 1))
    notify.send(
        "groups/email/approved", "a@example.jp", {"group": group_a, "group_url": "u"}, language="en",
        attachments=[ics.attachment([entry])],
    )  # fmt: skip
    deliver_pending()
    message = django_mail.outbox[0]
    assert message.subject == "A町会 is now registered"
    filename, content, mimetype = message.attachments[0]
    assert (
        filename == "invite.ics"
        and mimetype == "text/calendar; method=PUBLISH"
        and "BEGIN:VEVENT" in (content if isinstance(content, str) else content.decode())
    )


def test_dedupe_key_sends_nothing_twice(group_a):
    for _ in range(2):
        notify.send("groups/email/approved", "a@example.jp", {"group": group_a}, dedupe_key="approved:1")
    assert OutboundEmail.objects.count() == 1


def test_daily_job_deletes_old_mail_but_keeps_recent_and_pending():
    import datetime as dt

    from django.utils import timezone

    from kyodo.core.daily import purge_outbox

    now = timezone.now()
    for status, age in [("sent", 40), ("sent", 5), ("pending", 400), ("failed", 40), ("failed", 100)]:
        OutboundEmail.objects.create(
            subject=f"{status}-{age}", from_email="a@example.jp", to=["b@example.jp"], body="x",
            status=status, created_at=now - dt.timedelta(days=age),
        )  # fmt: skip
    assert purge_outbox(now) == 2
    assert sorted(OutboundEmail.objects.values_list("subject", flat=True)) == [
        "failed-40",
        "pending-400",
        "sent-5",
    ]
