"""The daily work on upcoming bookings: reminders with the meeting link, and 仮受付 that lapse."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyodo.consultations.models import Consultation
from kyodo.consultations.services import mail


def send_reminders(today: dt.date) -> int:
    """E-mail tomorrow's bookings (with the meeting link for online ones). Never twice for one time.

    Today's bookings that have not had a reminder yet (booked after yesterday's run) get theirs now, so
    every online booking receives its meeting link before the time."""
    due = Consultation.objects.due_for_reminder(today, timezone.now()).select_related("location", "topic")
    sent = 0
    for consultation in due:
        with transaction.atomic():
            key = f"consultation-reminder:{consultation.pk}:{consultation.start.isoformat()}"
            if mail.send(consultation, "reminder", dedupe_key=key) is not None:
                sent += 1
            Consultation.objects.filter(pk=consultation.pk).update(reminder_sent_at=timezone.now())
    return sent


def expire_pending(now: dt.datetime | None = None) -> int:
    """仮受付 whose hold ended (or whose time has come) lapse; their confirmation token goes with them.
    The slots already treat their time as free (ConsultationQuerySet.taking_time): this only marks them."""
    now = now or timezone.now()
    lapsed = Consultation.objects.to_lapse(now)
    return lapsed.update(status=Consultation.Status.CANCELLED, confirm_token_hash="")
