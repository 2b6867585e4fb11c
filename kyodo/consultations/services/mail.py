"""The mail of a booking (booked, confirm, moved, cancelled, reminder) with its .ics, through the outbox."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.consultations import slots as slotlib
from kyodo.consultations.models import Consultation
from kyodo.core import ics, notify
from kyodo.core.mail import Addressee
from kyodo.core.models import OutboundEmail


def manage_path(consultation: Consultation, language: str | None = None) -> str:
    with translation.override(language or consultation.language):
        return reverse("consultations:manage", args=[consultation.manage_token])


def manage_url(consultation: Consultation) -> str:
    return notify.absolute_url(manage_path(consultation))


def confirm_url(consultation: Consultation, token: str) -> str:
    """The link of the confirmation mail: only the mail carries its token."""
    with translation.override(consultation.language):
        return notify.absolute_url(reverse("consultations:confirm", args=[token]))


def _ics(consultation: Consultation, status: str) -> tuple[str, bytes, str]:
    with translation.override(consultation.language):
        if consultation.mode == Consultation.Mode.IN_PERSON:
            where = consultation.location.localized_address(consultation.language)
        else:
            where = str(consultation.get_mode_display())
        entry = ics.Entry(
            uid=f"consultation-{consultation.pk}",
            summary=_("Consultation: %(topic)s") % {"topic": consultation.topic.localized_name()},
            start=timezone.localtime(consultation.start, slotlib.TOKYO),
            end=timezone.localtime(consultation.end, slotlib.TOKYO),
            description=manage_url(consultation),
            location=where,
            url=manage_url(consultation),
            status=status,
            sequence=consultation.sequence,
        )
        return ics.attachment([entry], filename="consultation.ics", name=str(_("Consultation")))


def calendar_file(consultation: Consultation) -> bytes:
    """The booking's .ics for 「カレンダーに追加」 on its page (the same entry as the mail's)."""
    return _ics(consultation, "CONFIRMED")[1]


def send(
    consultation: Consultation,
    template: str,
    ics_status: str | None = None,
    extra: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Queue one of the booking's mails; None when it has no e-mail address (staff call instead)."""
    if not consultation.email:
        return None
    attachments = [_ics(consultation, ics_status)] if ics_status else []
    context = {
        "c": consultation,
        "manage_url": manage_url(consultation),
        "location": consultation.location,
        "topic": consultation.topic,
        **(extra or {}),
    }
    return notify.send(
        f"consultations/email/{template}",
        consultation.email,
        context,
        language=consultation.language,
        attachments=attachments,
        dedupe_key=dedupe_key,
        reply_to=[consultation.location.email] if consultation.location.email else (),
        grants_access=True,  # every booking mail carries the person's private link
        addressee=Addressee(name=consultation.name),
        location=consultation.location,
    )


def send_confirmation(consultation: Consultation, token: str) -> Any:
    """The 仮受付's mail: the confirmation link and the hold's end. No manage link and no .ics: those come
    with the booked mail once the person has confirmed."""
    return notify.send(
        "consultations/email/confirm_email",
        consultation.email,
        {
            "c": consultation,
            "confirm_url": confirm_url(consultation, token),
            "location": consultation.location,
        },
        language=consultation.language,
        reply_to=[consultation.location.email] if consultation.location.email else (),
        grants_access=True,  # its link confirms the booking: only the addressee may read it
        addressee=Addressee(name=consultation.name),
        location=consultation.location,
    )
