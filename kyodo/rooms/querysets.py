"""The named states of room bookings: every question views, the API, jobs and statistics ask.

The status sets are stated once, on RoomBooking (ACTIVE, AWAITING_APPLICATION, …); these methods read
them through `self.model`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from kyodo.rooms.models import Room, RoomBlock, RoomBooking, RoomBookingPeriod  # noqa: F401


class RoomQuerySet(models.QuerySet["Room"]):
    def active(self) -> RoomQuerySet:
        return self.filter(active=True)


class RoomBookingQuerySet(models.QuerySet["RoomBooking"]):
    def visible_to(self, user: Any) -> RoomBookingQuerySet:
        """Staff see every booking; members their groups' and their own; nobody else any."""
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self.all()
        return self.filter(
            models.Q(group__memberships__user=user) | models.Q(group__isnull=True, requested_by=user)
        ).distinct()

    def active(self) -> RoomBookingQuerySet:
        """Holding their 区分: 仮予約, 使用申請済, returned for correction, 使用許可."""
        return self.filter(status__in=self.model.ACTIVE)

    def provisional(self) -> RoomBookingQuerySet:
        return self.filter(status=self.model.Status.PROVISIONAL)

    def awaiting_application(self) -> RoomBookingQuerySet:
        """仮予約 (and returned ones): the group still has to complete the 使用申請."""
        return self.filter(status__in=self.model.AWAITING_APPLICATION)

    def applied(self) -> RoomBookingQuerySet:
        """使用申請済: waiting for staff (the queue)."""
        return self.filter(status=self.model.Status.APPLIED)

    def approved(self) -> RoomBookingQuerySet:
        return self.filter(status=self.model.Status.APPROVED)

    def cancelled(self) -> RoomBookingQuerySet:
        return self.filter(status=self.model.Status.CANCELLED)

    def lapsed(self) -> RoomBookingQuerySet:
        return self.filter(status=self.model.Status.LAPSED)

    def due_to_lapse(self, today: dt.date) -> RoomBookingQuerySet:
        """Awaiting their 使用申請 past its deadline: the daily job lapses them."""
        return self.awaiting_application().filter(application_due__lt=today)

    def lapsing_on(self, day: dt.date) -> RoomBookingQuerySet:
        """Awaiting their 使用申請 whose last day is `day` (the warning the day before they lapse)."""
        return self.awaiting_application().filter(application_due=day)

    def on(self, day: dt.date) -> RoomBookingQuerySet:
        return self.filter(date=day)

    def future(self, today: dt.date) -> RoomBookingQuerySet:
        return self.filter(date__gte=today)

    def in_month(self, year: int, month: int) -> RoomBookingQuerySet:
        return self.filter(date__year=year, date__month=month)


class RoomBookingPeriodQuerySet(models.QuerySet["RoomBookingPeriod"]):
    def active(self) -> RoomBookingPeriodQuerySet:
        """The rows that hold a 区分 (one per room, day and 区分 at most: a database constraint)."""
        return self.filter(active=True)

    def of_room_between(self, room_id: int, start: dt.date, end: dt.date) -> RoomBookingPeriodQuerySet:
        return self.active().filter(room_id=room_id, date__gte=start, date__lte=end)


class RoomBlockQuerySet(models.QuerySet["RoomBlock"]):
    def of_room_between(self, room_id: int, start: dt.date, end: dt.date) -> RoomBlockQuerySet:
        return self.filter(room_id=room_id, date__gte=start, date__lte=end)
