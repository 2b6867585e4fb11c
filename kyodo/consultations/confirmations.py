"""What the confirmation pages of consultations show (core.confirm): the booking, its 受付番号, and for a
move 変更前 → 変更後. The views render them; only the POST from each page calls the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kyodo.consultations import services
from kyodo.consultations.models import Consultation
from kyodo.core import confirm
from kyodo.core.dates import format_date, format_time
from kyodo.core.i18n import in_language
from kyodo.core.models import User


def when(start: dt.datetime, end: dt.datetime) -> str:
    """The day and the time, each unbroken (the line may break between them only)."""
    day, hours = format_date(start), f"{format_time(start)}–{format_time(end)}"
    return format_html("{} {}", confirm.unbroken(day), confirm.unbroken(hours))


def facts(consultation: Consultation) -> list[tuple[str, Any]]:
    """The rows naming one booking."""
    return [
        (_("When"), when(consultation.start, consultation.end)),
        (_("Topic"), in_language(consultation.topic, "name")),
        (_("How"), consultation.get_mode_display()),
        (_("Name"), consultation.name),
    ]


def person_cancel(consultation: Consultation, form: forms.Form) -> confirm.Confirmation:
    return confirm.Confirmation(
        title=_("Cancel this consultation?"),
        consequence=_(
            "The time is given up and offered to others; we send you an e-mail. To talk with us later, "
            "book again."
        ),
        button=_("Cancel the consultation"),
        back_url=reverse("consultations:manage", args=[consultation.manage_token]),
        facts=facts(consultation),
        reference=consultation.reference,
        form=form,
    )


def person_move(consultation: Consultation, start: dt.datetime) -> confirm.Confirmation:
    """The person's move, the new time carried on to the POST."""
    end = start + dt.timedelta(minutes=services.settings_for(consultation.location).length_minutes)
    day = timezone.localdate(start).isoformat()
    return confirm.Confirmation(
        title=_("Move your consultation to this time?"),
        consequence=_("The old time is given up. We send you an e-mail with the new time."),
        button=_("Move to the new time"),
        back_url=reverse("consultations:move", args=[consultation.manage_token]) + f"?date={day}",
        facts=facts(consultation)[1:],
        reference=consultation.reference,
        changes=[(_("When"), when(consultation.start, consultation.end), when(start, end))],
        hidden={"start": start.isoformat()},
        danger=False,
    )


def staff_cancel(consultation: Consultation) -> confirm.Confirmation:
    return confirm.Confirmation(
        title=_("Cancel this consultation?"),
        consequence=_("The person is sent an e-mail that it is cancelled, and the time is freed."),
        button=_("Cancel the consultation"),
        back_url=reverse("consultations:staff_detail", args=[consultation.pk]),
        facts=facts(consultation),
        reference=consultation.reference,
    )


def staff_move(
    consultation: Consultation, start: dt.datetime, coordinator: User | None
) -> confirm.Confirmation:
    """Staff's move (a new time, perhaps another coordinator), carried on to the POST as the form's fields."""
    end = start + (consultation.end - consultation.start)
    changes = [(_("When"), when(consultation.start, consultation.end), when(start, end))]
    if coordinator is not None and coordinator != consultation.coordinator:
        changes.append((_("Coordinator"), str(consultation.coordinator or "—"), str(coordinator)))
    local = timezone.localtime(start)
    hidden = {"date": local.date().isoformat(), "time": local.strftime("%H:%M")}
    if coordinator is not None:
        hidden["coordinator"] = str(coordinator.pk)
    return confirm.Confirmation(
        title=_("Move this consultation?"),
        consequence=_("The person is sent an e-mail with the new time; the old time is freed."),
        button=_("Move the consultation"),
        back_url=reverse("consultations:staff_detail", args=[consultation.pk]),
        facts=facts(consultation)[1:],
        reference=consultation.reference,
        changes=changes,
        hidden=hidden,
        danger=False,
    )
