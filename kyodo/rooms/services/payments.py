"""Payments taken at the counter (cash by default) with a 領収書 number, and refunds. Integer yen."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.dates import fiscal_year
from kyodo.rooms.models import Payment
from kyodo.rooms.services import clock
from kyodo.rooms.services.common import locked_booking, require


def _staff(user: Any) -> None:
    if not (user and user.is_authenticated and user.is_staff):
        raise PermissionDenied(_("Only staff record payments."))


def receipt_number(payment: Payment) -> str:
    prefix = "RF" if payment.is_refund() else "RC"
    return f"{prefix}{fiscal_year(clock.today())}-{payment.pk:06d}"


def take_payment(user: Any, booking_id: int, amount: int | None = None, method: str = "cash") -> Payment:
    """Record the fee (by default what is still due) paid at the counter; returns it with its receipt."""
    _staff(user)
    require(method in Payment.Method.values, _("Unknown payment method."), "method")
    with transaction.atomic():
        booking = locked_booking(booking_id)
        due = booking.outstanding()
        require(due > 0, _("Nothing is due for this booking."), code="nothing_due")
        amount = due if amount is None else amount
        require(
            1 <= amount <= due, _("Please enter an amount from 1 to %(due)s yen.") % {"due": due}, "amount"
        )
        payment = Payment.objects.create(
            booking=booking, amount=amount, method=method, recorded_by=user, recorded_at=clock.now()
        )
        payment.receipt_number = receipt_number(payment)
        payment.save(update_fields=["receipt_number"])
        audit.record(user, "rooms.payment", booking, f"{amount}")
    return payment


def refund(user: Any, booking_id: int, amount: int | None = None, note: str = "") -> Payment:
    """Pay back what was paid (by default all of it): a cancelled booking before its deadline."""
    _staff(user)
    with transaction.atomic():
        booking = locked_booking(booking_id)
        paid = booking.paid()
        require(paid > 0, _("Nothing was paid for this booking."), code="nothing_paid")
        amount = paid if amount is None else amount
        require(
            1 <= amount <= paid,
            _("Please enter an amount from 1 to %(paid)s yen.") % {"paid": paid},
            "amount",
        )
        payment = Payment.objects.create(
            booking=booking,
            kind=Payment.Kind.REFUND,
            amount=amount,
            recorded_by=user,
            note=note[:200],
            recorded_at=clock.now(),
        )
        payment.receipt_number = receipt_number(payment)
        payment.save(update_fields=["receipt_number"])
        audit.record(user, "rooms.refund", booking, f"{amount}")
    return payment
