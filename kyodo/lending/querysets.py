"""The named states of lending's records: every question views, sections, jobs and the dashboard ask.

Each queryset reads its model's status sets through `self.model` (Reservation.OPEN, …), so the sets are
stated once, on the model, and this module needs no import of it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import models

from kyodo.core.models import User

# The models import these querysets, so only the type checker reads this import; it names the models
# in the quoted base classes below, where ruff does not look.
if TYPE_CHECKING:
    from kyodo.lending.models import ExtensionRequest, Reservation, Unit  # noqa: F401


class UnitQuerySet(models.QuerySet["Unit"]):
    def in_service(self) -> UnitQuerySet:
        """Lendable units."""
        return self.filter(status=self.model.Status.IN_SERVICE)

    def not_retired(self) -> UnitQuerySet:
        """Units still on the books (in service or under repair)."""
        return self.exclude(status=self.model.Status.RETIRED)


class ReservationQuerySet(models.QuerySet["Reservation"]):
    """Every state question about reservations, asked by name (views, sections, the dashboard, jobs)."""

    def visible_to(self, user: User | AnonymousUser) -> ReservationQuerySet:
        """Staff see every reservation; members see their groups'; nobody else sees any."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(group__memberships__user=user).distinct()

    def with_status(self, status: str) -> ReservationQuerySet:
        """Those in one status (a staff list filtered by the status a person chose)."""
        return self.filter(status=status)

    def holding(self) -> ReservationQuerySet:
        """Reservations that hold units (the others are declined or cancelled)."""
        return self.filter(status__in=self.model.HOLDING)

    def open(self) -> ReservationQuerySet:
        """Not finished: requested, approved or out (not declined, cancelled or returned)."""
        return self.filter(status__in=self.model.OPEN)

    def requested(self) -> ReservationQuerySet:
        """Requests waiting for staff review."""
        return self.filter(status=self.model.Status.REQUESTED)

    def before_pickup(self) -> ReservationQuerySet:
        """Requested or approved: the units are promised but not handed over yet."""
        return self.filter(status__in=self.model.BEFORE_PICKUP)

    def on_loan(self) -> ReservationQuerySet:
        """Checked out and not back yet."""
        return self.filter(status=self.model.Status.CHECKED_OUT)

    def to_pick_up(self, first: dt.date | None = None, last: dt.date | None = None) -> ReservationQuerySet:
        """Approved and waiting at the counter, with a pickup date in [first, last] (either end open)."""
        qs = self.filter(status=self.model.Status.APPROVED)
        if first is not None:
            qs = qs.filter(pickup_date__gte=first)
        if last is not None:
            qs = qs.filter(pickup_date__lte=last)
        return qs

    def late_pickups(self, today: dt.date) -> ReservationQuerySet:
        """Approved loans whose pickup day has passed without a pickup."""
        return self.to_pick_up(last=today - dt.timedelta(days=1))

    def due_back(self, first: dt.date, last: dt.date | None = None) -> ReservationQuerySet:
        """Loans out whose return date is in [first, last] (one day when last is not given)."""
        return self.on_loan().filter(return_date__gte=first, return_date__lte=last or first)

    def overdue(self, today: dt.date) -> ReservationQuerySet:
        """Loans out whose return date has passed."""
        return self.filter(self.model.overdue_condition(today))


class ExtensionRequestQuerySet(models.QuerySet["ExtensionRequest"]):
    def pending(self) -> ExtensionRequestQuerySet:
        """Waiting for a staff decision."""
        return self.filter(status=self.model.Status.PENDING)
