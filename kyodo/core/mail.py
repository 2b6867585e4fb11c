"""Mail that never blocks or loses what caused it.

`OutboxBackend` is Django's EMAIL_BACKEND: "sending" a message stores it in the outbox table, inside the
caller's transaction, so a booking and its e-mail commit (or roll back) together. `deliver_pending`
(run by `manage.py deliver_mail`, and right after commit when KYODO_DELIVER_ON_COMMIT is on) hands each
message to the real backend (KYODO_DELIVERY_BACKEND), retrying with back-off (capped at an hour) until
the message is older than KYODO_MAIL_RETRY_HOURS; each row is claimed under a
lock and marked sent in the same step, so no message goes out twice.
"""

import base64
import datetime as dt
import logging
import mimetypes
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.db import transaction
from django.utils import timezone

from kyodo.core.errortracking import report
from kyodo.core.models import OutboundEmail

log = logging.getLogger(__name__)


def _attachment_to_json(attachment: Any) -> dict[str, str]:
    if isinstance(attachment, tuple) or hasattr(attachment, "content"):
        filename, content, mimetype = attachment
    else:  # a MIMEBase object
        filename = attachment.get_filename()
        content = attachment.get_payload(decode=True)
        mimetype = attachment.get_content_type()
    if isinstance(content, str):
        content = content.encode()
    mimetype = mimetype or mimetypes.guess_type(filename or "")[0] or "application/octet-stream"
    return {"filename": filename, "content": base64.b64encode(content).decode(), "mimetype": mimetype}


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            enqueue(message)
        return len(email_messages)


def enqueue(
    message: EmailMessage,
    dedupe_key: str | None = None,
    grants_access: bool | None = None,
    template: str | None = None,
) -> OutboundEmail | None:
    """Store one EmailMessage in the outbox. Returns the row (or None if dedupe_key was already used).

    `grants_access` marks a message carrying a link or code that only its addressee may read (see
    OutboundEmail). A message built elsewhere (allauth's) says so through its `kyodo_grants_access`
    attribute, set by the account adapter."""
    if grants_access is None:
        grants_access = bool(getattr(message, "kyodo_grants_access", False))
    if template is None:
        template = getattr(message, "kyodo_template", "")
    if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    row = OutboundEmail.objects.create(
        subject=str(message.subject)[:300],
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        body=str(message.body),
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        attachments=[_attachment_to_json(a) for a in message.attachments],
        headers=dict(message.extra_headers),
        dedupe_key=dedupe_key,
        template=template[:200],
        grants_access=grants_access,
    )
    if settings.KYODO_DELIVER_ON_COMMIT:
        transaction.on_commit(lambda: deliver_pending(ids=[row.pk]))
    return row


def build_message(row: OutboundEmail, connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers={**row.headers, "X-Kyodo-Outbox-Id": str(row.pk)},
        connection=connection,
    )
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    for a in row.attachments:
        message.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    return message


BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)


def _backoff(attempts: int) -> dt.timedelta:
    """30 s after the first failure, doubling, at most an hour: an outage of days costs ~24 tries a day."""
    doublings = min(max(attempts - 1, 0), 16)  # 30 s · 2**16 is far past the cap; keeps the number small
    delay: dt.timedelta = BACKOFF_FIRST * (2**doublings)
    return min(delay, BACKOFF_CAP)


def _retry_window_over(row: OutboundEmail, now: dt.datetime) -> bool:
    """A message is given up only once it is older than KYODO_MAIL_RETRY_HOURS (3 days by default), so a
    transport outage of a weekend loses nothing."""
    return now - row.created_at >= dt.timedelta(hours=settings.KYODO_MAIL_RETRY_HOURS)


LEASE = dt.timedelta(minutes=5)


def _claim(pk: int) -> OutboundEmail | None:
    """Take one due message for this worker: bump its attempt and lease it, in a short transaction.

    The lease keeps other workers off it while it is being sent, without holding a database lock (or
    SQLite's write lock) during a slow SMTP conversation."""
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update(skip_locked=settings.IS_POSTGRES)
            .filter(pk=pk, status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = timezone.now() + LEASE
        row.save(update_fields=["attempts", "next_attempt_at"])
        return row


def deliver_pending(ids: Iterable[int] | None = None, limit: int = 100) -> tuple[int, int]:
    """Deliver due messages. Returns (sent, failed) counts. Safe to run from several workers at once."""
    sent = failed = 0
    queryset = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    candidate_ids = list(queryset.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    connection = get_connection(settings.KYODO_DELIVERY_BACKEND, fail_silently=False)
    for pk in candidate_ids:
        row = _claim(pk)
        if row is None:
            continue
        try:
            build_message(row, connection).send()
        except Exception as exc:  # any transport error: keep the message, retry later
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            now = timezone.now()
            row.next_attempt_at = now + _backoff(row.attempts)
            failed += 1
            if _retry_window_over(row, now):
                row.status = OutboundEmail.Status.FAILED
                log.error("mail %s given up after %s attempts: %s", row.pk, row.attempts, row.last_error)
                report(exc)  # each try is only a warning; giving up is news for someone
            else:
                log.warning("mail %s not delivered: %s", row.pk, row.last_error)
        else:
            row.status = OutboundEmail.Status.SENT
            row.sent_at = timezone.now()
            row.last_error = ""
            if row.grants_access:
                row.drop_content()
            sent += 1
        row.save(
            update_fields=[
                "status",
                "sent_at",
                "last_error",
                "next_attempt_at",
                "body",
                "alternatives",
                "attachments",
            ]
        )
    return sent, failed


def retry(row_ids: Iterable[int]) -> int:
    """Staff: put failed messages back in the queue."""
    return (
        OutboundEmail.objects.filter(pk__in=row_ids)
        .undelivered()
        .update(status=OutboundEmail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )


class DevBackend(ConsoleBackend):
    """Under `make run`: print each message and keep a copy as a file under var/mail/."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = super().send_messages(email_messages)
        folder = Path(settings.KYODO_MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
            (folder / f"{stamp}.eml").write_bytes(message.message().as_bytes())
        return count
