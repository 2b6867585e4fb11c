"""Keeping personal data only as long as needed: old bookings are anonymised (topic, mode, status,
location and date stay for the statistics), and the audit log stops naming the person."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from typing import Any

from django.db.models import QuerySet

from kyodo.consultations import slots as slotlib
from kyodo.consultations.models import Consultation, new_manage_token
from kyodo.consultations.services.offer import settings_for
from kyodo.core.models import AuditEntry, Location

PERSONAL_FIELDS: dict[str, Any] = {
    "name": "",
    "kana": "",
    "email": "",
    "phone": "",
    "group_name": "",
    "message": "",
    "staff_notes": "",
    "meeting_url": "",
    "user": None,
}


def months_before(date: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (clipped to the month's end: 3/31 - 1 month = 2/28)."""
    year, month = divmod(date.year * 12 + date.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(date.day, pycalendar.monthrange(year, month)[1]))


def anonymise_old(today: dt.date, months: int | None = None) -> int:
    """Wipe the personal details of bookings older than the period (per location's setting, or `months`).
    Topic, mode, status, location and date stay for the statistics. Returns how many were anonymised."""
    total = 0
    for location in Location.objects.all():
        period = months if months is not None else settings_for(location).anonymise_after_months
        cutoff = dt.datetime.combine(months_before(today, period), dt.time(0), tzinfo=slotlib.TOKYO)
        for pk in list(Consultation.objects.to_anonymise(location, cutoff).values_list("pk", flat=True)):
            Consultation.objects.filter(pk=pk).update(
                # A fresh token: the old private link stops working.
                anonymised=True,
                manage_token=new_manage_token(),
                **PERSONAL_FIELDS,
            )
            total += 1
        strip_audit_names(location, cutoff)
    return total


def strip_audit_names(location: Location, cutoff: dt.datetime) -> int:
    """The audit log named the person ("date time name"): keep only the anonymised booking's number."""
    return (
        AuditEntry.objects.filter(
            target_type=Consultation._meta.label_lower,
            target_id__in=[str(pk) for pk in anonymised_ids(location, cutoff)],
        )
        .exclude(target_repr="")
        .update(target_repr="")
    )


def anonymised_ids(location: Location, cutoff: dt.datetime) -> QuerySet[Consultation, int]:
    return Consultation.objects.anonymised_before(location, cutoff).values_list("pk", flat=True)
