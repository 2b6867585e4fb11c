"""The 使用申請 that completes a 仮予約: purpose, attendees (not over capacity), the person in charge
and, where it applies, a 減免 with its reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.rooms import emails
from kyodo.rooms.inputs import ApplicationInput
from kyodo.rooms.models import FeeCategory, Reduction, RoomBooking
from kyodo.rooms.services import clock, fees
from kyodo.rooms.services.booking import check_capacity, check_terms, check_use
from kyodo.rooms.services.common import require, visible_locked


def check_reduction(booking: RoomBooking, reduction: str, reason: str) -> None:
    if reduction == Reduction.NONE:
        return
    if booking.fee_category != FeeCategory.REGISTERED:
        raise ValidationError(
            {
                "reduction": [
                    ValidationError(
                        _("Fee reductions apply to registered groups' public-interest use only."),
                        code="reduction_not_allowed",
                    )
                ]
            }
        )
    if not reason.strip():
        raise ValidationError(
            {
                "reduction_reason": [
                    ValidationError(
                        _("Please give the reason for the fee reduction."), code="reduction_reason"
                    )
                ]
            }
        )


def apply(user: Any, booking_id: int, data: ApplicationInput | Mapping[str, Any]) -> RoomBooking:
    """The group (or staff for it) completes the 使用申請; the booking waits for staff approval."""
    data = data if isinstance(data, ApplicationInput) else ApplicationInput.parse(data)
    with transaction.atomic():
        booking = visible_locked(user, booking_id)
        require(
            booking.awaits_application(),
            _("This booking does not wait for a use application (it is %(state)s).")
            % {"state": booking.get_status_display()},
            code="state",
        )
        require(booking.date >= clock.today(), _("This day has passed."), "date", "past")
        check_use(data.use)
        check_terms(user, data.terms_accepted)
        check_capacity(booking.room, data.attendees)
        check_reduction(booking, data.reduction, data.reduction_reason)
        booking.purpose = data.purpose.strip()
        booking.attendees = data.attendees
        booking.person_in_charge = data.person_in_charge.strip()
        booking.contact_phone = data.contact_phone.strip()
        booking.use = data.use
        booking.reduction = data.reduction
        booking.reduction_reason = data.reduction_reason.strip() if data.reduction != Reduction.NONE else ""
        booking.fee_due = fees.reduced(booking.fee, data.reduction)
        booking.status = RoomBooking.Status.APPLIED
        booking.applied_at = clock.now()
        booking.save()
        if user.is_staff:
            audit.record(user, "rooms.apply", booking)
        emails.applied(booking)
    return booking
