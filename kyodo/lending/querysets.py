"""The named states of lending's records: every question views, sections, jobs and the dashboard ask.

Each queryset reads its model's status sets through `self.model` (Reservation.OPEN, …), so the sets are
stated once, on the model; the item and type querysets ask another model's (_reservation, _unit)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from kyodo.core.models import User

# The models import these querysets, so only the type checker reads this import; it names the models
# in the quoted base classes below, where ruff does not look.
if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations  # a test dependency: only the type checker reads it

    from kyodo.lending.models import (  # noqa: F401
        EquipmentType,
        ExtensionRequest,
        Reservation,
        ReservationItem,
        Unit,
    )


def _reservation() -> type[Reservation]:
    """The Reservation model, whose status sets the item queryset asks. Imported here, not at the top:
    kyodo.lending.models imports this module (a real cycle)."""
    from kyodo.lending.models import Reservation

    return Reservation


def _unit() -> type[Unit]:
    """The Unit model, whose status the type queryset asks (imported here for the same cycle)."""
    from kyodo.lending.models import Unit

    return Unit


class UnitsInService(TypedDict):
    units_in_service: int


class EquipmentTypeQuerySet(models.QuerySet["EquipmentType"]):
    def active(self) -> EquipmentTypeQuerySet:
        return self.filter(active=True)

    def with_units_in_service(
        self, added_by: dt.date | None = None
    ) -> models.QuerySet[WithAnnotations[EquipmentType, UnitsInService]]:
        """Each type with `units_in_service`: its units in service (of those added by `added_by`, when given:
        the statistics of a past period)."""
        lendable = Q(units__status=_unit().Status.IN_SERVICE)
        if added_by is not None:
            lendable &= Q(units__created_at__date__lte=added_by)
        annotated = self.annotate(units_in_service=Count("units", filter=lendable))
        # The plugin infers the count as Any in an unnamed TypedDict: this names it, as an int.
        return cast("models.QuerySet[WithAnnotations[EquipmentType, UnitsInService]]", annotated)


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

    def lent(self) -> ReservationQuerySet:
        """Handed over: out, or back (what the statistics count as loans)."""
        return self.filter(status__in=self.model.LENT)

    def declined(self) -> ReservationQuerySet:
        return self.filter(status=self.model.Status.DECLINED)

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


class Overdue(TypedDict):
    is_overdue: bool


class ReservationItemQuerySet(models.QuerySet["ReservationItem"]):
    """Reserved items, asked by their reservation's named states (the sets stay on Reservation)."""

    def of_lent_reservations(self) -> ReservationItemQuerySet:
        """Items of reservations handed over (Reservation.LENT), read through the reservation."""
        return self.filter(reservation__status__in=_reservation().LENT)

    def holding(self, type_ids: Collection[int], start: dt.date, end: dt.date) -> ReservationItemQuerySet:
        """Items of these types whose reservation holds units on some day of [start, end]: read from the
        items' copies of their reservation's status and dates, through the (type, hold until) and (type,
        status) indexes. A loan still out holds its units whatever its dates."""
        reservation = _reservation()
        return self.filter(
            Q(equipment_type_id__in=type_ids, hold_until__gte=start)
            | Q(equipment_type_id__in=type_ids, reservation_status=reservation.Status.CHECKED_OUT),
            reservation_status__in=reservation.HOLDING,
            pickup_date__lte=end,
        )

    def with_overdue(self, today: dt.date) -> models.QuerySet[WithAnnotations[ReservationItem, Overdue]]:
        """Each item with `is_overdue`: the reservation's own overdue rule, asked of the items' copies."""
        overdue = _reservation().overdue_condition(today, status_field="reservation_status")
        annotated = self.annotate(is_overdue=ExpressionWrapper(overdue, output_field=BooleanField()))
        return cast(
            "models.QuerySet[WithAnnotations[ReservationItem, Overdue]]", annotated
        )  # named, as a bool


class ExtensionRequestQuerySet(models.QuerySet["ExtensionRequest"]):
    def pending(self) -> ExtensionRequestQuerySet:
        """Waiting for a staff decision."""
        return self.filter(status=self.model.Status.PENDING)
