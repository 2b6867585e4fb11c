"""Changing a booking: the person moves or cancels it from their private link; staff also reassign it,
record its outcome and keep its internal notes and meeting link."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.consultations.inputs import StaffNotesInput
from kyodo.consultations.models import Consultation
from kyodo.consultations.services import holding, mail
from kyodo.consultations.services.checks import Actor, check_coordinator, parse_start, require_staff
from kyodo.consultations.services.checks import by_staff as _by_staff
from kyodo.consultations.services.offer import settings_for
from kyodo.core import audit
from kyodo.core.models import User


def _refused() -> ValidationError:
    return ValidationError(_("This booking can no longer be changed."))


def move(consultation: Consultation, new_start: dt.datetime | str, *, actor: Actor = None, coordinator: User | None = None,
         now: dt.datetime | None = None) -> Consultation:  # fmt: skip
    """Move a booking to another time. The person (actor None, from their private link) may move it to
    any offered time; staff may also move it inside the notice period and choose the coordinator."""
    by_staff = _by_staff(actor)
    now = now or timezone.now()
    new_start = parse_start(new_start)
    check_coordinator(coordinator)
    with transaction.atomic():
        holding.lock_coordinators(consultation.location, new_start, coordinator)
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("location")
            .get(pk=consultation.pk)
        )
        if not consultation.can_move(now, by_staff):
            raise _refused()
        if consultation.start == new_start and coordinator in (None, consultation.coordinator):
            return consultation  # already there: nothing to change or to mail
        conf = settings_for(consultation.location)
        slot = holding.find_free_slot(
            consultation.location, new_start, now, by_staff, coordinator, exclude_booking_id=consultation.pk
        )
        chosen = holding.pick_coordinator(slot, prefer=consultation.coordinator_id)
        old = timezone.localtime(consultation.start)
        if chosen != consultation.coordinator_id and consultation.mode == Consultation.Mode.ONLINE:
            consultation.meeting_url = holding.meeting_url_of(chosen)
        consultation.coordinator_id = chosen
        consultation.start = slot.start
        consultation.end = slot.end
        consultation.blocked_until = slot.end + dt.timedelta(minutes=conf.buffer_minutes)
        consultation.reminder_sent_at = None
        consultation.sequence += 1
        holding.save_holding(consultation)
        if not consultation.is_pending:  # a 仮受付 has had no booking mail to update
            mail.send(consultation, "moved", ics_status="CONFIRMED", extra={"old_start": old})
        if by_staff:
            audit.record(actor, "consultation.move", consultation, f"{old:%Y-%m-%d %H:%M} →")
    return consultation


def cancel(
    consultation: Consultation, *, actor: Actor = None, now: dt.datetime | None = None
) -> Consultation:
    """Cancel: the person from their private link (before it starts), or staff at any time."""
    by_staff = _by_staff(actor)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.is_cancelled:
            return consultation
        if not consultation.can_cancel(now, by_staff):
            raise _refused()
        was_pending = consultation.is_pending
        consultation.status = Consultation.Status.CANCELLED
        consultation.sequence += 1
        consultation.save(update_fields=["status", "sequence"])
        if not was_pending:
            mail.send(consultation, "cancelled", ics_status="CANCELLED")
        if by_staff:
            audit.record(actor, "consultation.cancel", consultation)
    return consultation


def reassign(consultation: Consultation, coordinator: User | None, *, actor: Actor) -> Consultation:
    """Staff: give the booking to another coordinator at the same time. It is a move that keeps the time,
    so the same checks apply (their hours, days off, other bookings and buffer), the person gets the new
    meeting link and an updated .ics, and the reminder goes out again."""
    require_staff(actor)
    if coordinator is None or not coordinator.is_coordinator or not coordinator.is_active:
        raise ValidationError({"coordinator": _("Please choose a coordinator.")})
    if consultation.coordinator_id == coordinator.pk:
        return consultation
    if not consultation.can_reassign():
        raise _refused()
    previous = consultation.coordinator
    consultation = move(consultation, consultation.start, actor=actor, coordinator=coordinator)
    audit.record(actor, "consultation.reassign", consultation, f"{previous} → {coordinator}")
    return consultation


def mark(
    consultation: Consultation, status: str, *, actor: Actor, now: dt.datetime | None = None
) -> Consultation:
    """Staff: after it started, record that the consultation was held or that nobody came."""
    require_staff(actor)
    if status not in Consultation.OUTCOMES:
        raise ValidationError(_("Unknown status."))
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_active:
            raise _refused()
        if not consultation.has_started(now):
            raise ValidationError(_("This can be recorded once the consultation has started."))
        consultation.status = status
        consultation.save(update_fields=["status"])
        audit.record(actor, f"consultation.mark_{status}", consultation)
    return consultation


def update_staff_fields(consultation: Consultation, *, actor: Actor, staff_notes: str | None = None,
                        meeting_url: str | None = None) -> Consultation:  # fmt: skip
    """Staff: internal notes (never shown to the person) and the online meeting link."""
    require_staff(actor)
    given = {"staff_notes": staff_notes, "meeting_url": meeting_url}
    given = {name: value for name, value in given.items() if value is not None}
    checked = StaffNotesInput.parse(given)
    fields = {name: getattr(checked, name) for name in given}
    if fields.get("meeting_url"):
        try:
            URLValidator(schemes=["https", "http"])(fields["meeting_url"])
        except ValidationError:
            raise ValidationError({"meeting_url": _("Please enter a valid link (https://…).")}) from None
    with transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(**fields)
        consultation.refresh_from_db()
        audit.record(actor, "consultation.edit", consultation, ", ".join(fields))
    return consultation
