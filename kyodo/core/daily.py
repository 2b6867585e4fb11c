"""The core's part of the daily job: stored e-mails carry personal data, so they are not kept forever;
uploaded files that no row points to any more are removed."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from kyodo.core import media, once, ratelimit
from kyodo.core.models import OutboundEmail


def purge_outbox(now: dt.datetime | None = None) -> int:
    """Delete delivered messages after KYODO_OUTBOX_KEEP_DAYS and given-up ones after three times that."""
    now = now or timezone.now()
    keep = dt.timedelta(days=settings.KYODO_OUTBOX_KEEP_DAYS)
    sent, _ = OutboundEmail.objects.delivered().filter(created_at__lt=now - keep).delete()
    failed, _ = OutboundEmail.objects.given_up().filter(created_at__lt=now - 3 * keep).delete()
    return int(sent + failed)


def run(today: dt.date) -> str:
    return (
        f"{purge_outbox()} old e-mails deleted, {ratelimit.purge()} old rate-limit windows removed, "
        f"{media.remove_orphans()} unused uploaded files removed, "
        f"{once.purge()} old one-time keys removed"
    )
