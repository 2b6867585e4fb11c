"""Rooms (活動室・会議室) booked by 区分 (Period): 仮予約 → 使用申請 → 使用許可, with fees and 減免.

A booking holds one or several 区分 of one day of one room. Each held 区分 is a RoomBookingPeriod row,
and a conditional unique constraint on (room, date, period) where active is true makes a double booking
impossible on SQLite and PostgreSQL alike; the service takes the room's row lock first (core.locking) so
that the constraint is only the last line of defence."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.i18n import LocalizedNameMixin, in_language
from kyodo.core.images import ImageField
from kyodo.core.models import Location
from kyodo.rooms.querysets import (
    RoomBlockQuerySet,
    RoomBookingPeriodQuerySet,
    RoomBookingQuerySet,
    RoomQuerySet,
)


class Room(LocalizedNameMixin, models.Model):
    class BookableBy(models.TextChoices):
        GROUPS = "groups", _("Registered groups")
        ACCOUNTS = "accounts", _("Anyone with an account")

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("location")
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    area = models.DecimalField(_("area (m²)"), max_digits=7, decimal_places=1, null=True, blank=True)
    equipment = models.TextField(_("equipment in the room"), blank=True, help_text=_("One per line."))
    equipment_en = models.TextField(_("equipment in the room (English)"), blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    accessibility_en = models.TextField(_("accessibility notes (English)"), blank=True)
    allowed_uses = models.TextField(_("allowed uses"), blank=True)
    allowed_uses_en = models.TextField(_("allowed uses (English)"), blank=True)
    bookable_by = models.CharField(
        _("who may book"), max_length=20, choices=BookableBy.choices, default=BookableBy.GROUPS
    )
    photo = ImageField(_("photo"), upload_to="rooms/", blank=True)
    active = models.BooleanField(_("bookable"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["location", "order", "id"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name

    def equipment_list(self, language: str | None = None) -> list[str]:
        return [
            line.strip() for line in in_language(self, "equipment", language).splitlines() if line.strip()
        ]

    def open_to_accounts(self) -> bool:
        return self.bookable_by == self.BookableBy.ACCOUNTS


class Period(LocalizedNameMixin, models.Model):
    """A 区分 of the day at one location (午前 9:00–12:00, 午後 13:00–17:00, 夜間 18:00–21:00)."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="room_periods", verbose_name=_("location")
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    start = models.TimeField(_("starts"))
    end = models.TimeField(_("ends"))
    order = models.PositiveIntegerField(_("order"), default=0)

    DEFAULTS = [
        ("morning", "午前", "Morning", dt.time(9), dt.time(12)),
        ("afternoon", "午後", "Afternoon", dt.time(13), dt.time(17)),
        ("evening", "夜間", "Evening", dt.time(18), dt.time(21)),
    ]

    class Meta:
        ordering = ["location", "order", "start"]
        verbose_name = _("period (区分)")
        verbose_name_plural = _("periods (区分)")
        constraints = [
            models.UniqueConstraint(fields=["location", "code"], name="room_period_code_unique"),
            models.CheckConstraint(condition=models.Q(start__lt=models.F("end")), name="room_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class RoomSettings(models.Model):
    """The booking rules of one location's rooms (each a default staff may change)."""

    location = models.OneToOneField(
        Location, on_delete=models.CASCADE, related_name="room_settings", verbose_name=_("location")
    )
    months_ahead = models.PositiveIntegerField(
        _("months ahead"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Month M opens on the 1st of the month this many months before."),
    )
    opens_at = models.TimeField(_("booking opens at"), default=dt.time(9))
    close_days_before = models.PositiveIntegerField(
        _("bookings close (open days before)"), default=1, validators=[MaxValueValidator(60)]
    )
    application_days = models.PositiveIntegerField(
        _("days to complete the use application"), default=7, validators=[MinValueValidator(1)]
    )
    cancel_days_before = models.PositiveIntegerField(
        _("group cancels up to (days before)"), default=7, validators=[MaxValueValidator(365)]
    )
    max_periods_per_month = models.PositiveIntegerField(
        _("periods per group per month"), default=12, help_text=_("0: no limit.")
    )
    max_future_bookings = models.PositiveIntegerField(
        _("future bookings per group"), default=8, help_text=_("0: no limit.")
    )
    terms = models.TextField(_("terms of use"), blank=True)

    class Meta:
        verbose_name = _("room rules")
        verbose_name_plural = _("room rules")

    def __str__(self) -> str:
        return str(self.location)


class FeeCategory(models.TextChoices):
    REGISTERED = "registered", _("Registered group")
    GENERAL = "general", _("General")
    CENTER = "center", _("The center's own use")


class Fee(models.Model):
    """The fee of one room for one 区分 for one category of user, in yen."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="fees", verbose_name=_("room"))
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+", verbose_name=_("period"))
    category = models.CharField(_("category of user"), max_length=20, choices=FeeCategory.choices)
    amount = models.PositiveIntegerField(_("fee (yen)"))

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        constraints = [
            models.UniqueConstraint(fields=["room", "period", "category"], name="room_fee_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.room} {self.period.name} {self.category}: ¥{self.amount:,}"


class Use(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    LECTURE = "lecture", _("Lecture or study")
    WORKSHOP = "workshop", _("Workshop or practice")
    EVENT = "event", _("Event")
    OTHER = "other", _("Other")
    COMMERCIAL = "commercial", _("Commercial")
    RELIGIOUS = "religious", _("Religious")
    POLITICAL = "political", _("Political")


EXCLUDED_USES = (Use.COMMERCIAL, Use.RELIGIOUS, Use.POLITICAL)


class Reduction(models.TextChoices):
    NONE = "none", _("No reduction")
    HALF = "half", _("Half reduction")
    FULL = "full", _("Full exemption")


REDUCTION_PERCENT = {Reduction.NONE: 0, Reduction.HALF: 50, Reduction.FULL: 100}


class RoomBooking(models.Model):
    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("Provisional booking")
        APPLIED = "applied", _("Use application received")
        RETURNED = "returned", _("Application returned")
        APPROVED = "approved", _("Permitted")
        CANCELLED = "cancelled", _("Cancelled")
        LAPSED = "lapsed", _("Lapsed")

    ACTIVE = [Status.PROVISIONAL, Status.APPLIED, Status.RETURNED, Status.APPROVED]
    AWAITING_APPLICATION = [Status.PROVISIONAL, Status.RETURNED]
    CANCELLABLE = ACTIVE

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room"))
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    date = models.DateField(_("date"))
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("group"),
        help_text=_("Empty: the center's own use or a personal booking."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    for_center = models.BooleanField(_("the center's own use"), default=False)
    booked_by_staff = models.BooleanField(_("booked by staff"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROVISIONAL)
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    use = models.CharField(_("kind of use"), max_length=20, choices=Use.choices, default=Use.MEETING)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    attendees = models.PositiveIntegerField(_("expected attendees"), null=True, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=100, blank=True)
    contact_phone = models.CharField(_("phone on the day"), max_length=30, blank=True)
    fee_category = models.CharField(
        _("category of user"), max_length=20, choices=FeeCategory.choices, default=FeeCategory.REGISTERED
    )
    reduction = models.CharField(
        _("fee reduction"), max_length=10, choices=Reduction.choices, default=Reduction.NONE
    )
    reduction_reason = models.CharField(_("reason for the reduction"), max_length=300, blank=True)
    fee = models.PositiveIntegerField(_("fee before reduction (yen)"), default=0)
    fee_due = models.PositiveIntegerField(_("fee due (yen)"), default=0)
    fee_kept = models.BooleanField(_("fee kept on cancellation"), default=False)
    application_due = models.DateField(_("use application due"), null=True, blank=True)
    permit_number = models.CharField(_("permit number"), max_length=20, unique=True, null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    attendance = models.PositiveIntegerField(_("attendance (利用人数)"), null=True, blank=True)
    key_out_at = models.DateTimeField(_("key handed out"), null=True, blank=True)
    key_in_at = models.DateTimeField(_("key returned"), null=True, blank=True)
    series = models.CharField(_("recurring series"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    approved_at = models.DateTimeField(_("permitted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)

    objects = RoomBookingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")
        indexes = [
            models.Index(fields=["group", "status", "date"], name="roombooking_group_idx"),
            models.Index(fields=["status", "application_due"], name="roombooking_due_idx"),
            models.Index(fields=["location", "date", "status"], name="roombooking_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.pk} {self.room} {self.date}"

    # Named states: views, the API and templates ask these, never the status strings.
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def is_provisional(self) -> bool:
        return self.status == self.Status.PROVISIONAL

    def is_applied(self) -> bool:
        return self.status == self.Status.APPLIED

    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_lapsed(self) -> bool:
        return self.status == self.Status.LAPSED

    def awaits_application(self) -> bool:
        return self.status in self.AWAITING_APPLICATION

    def can_cancel(self) -> bool:
        return self.status in self.CANCELLABLE

    def period_list(self) -> list[Period]:
        return [p.period for p in sorted(self.periods.all(), key=lambda p: (p.period.order, p.period.start))]

    def starts(self) -> dt.time | None:
        periods = self.period_list()
        return periods[0].start if periods else None

    def ends(self) -> dt.time | None:
        periods = self.period_list()
        return periods[-1].end if periods else None

    def paid(self) -> int:
        """Paid minus refunded, in yen."""
        total = 0
        for payment in self.payments.all():
            total += -payment.amount if payment.is_refund() else payment.amount
        return total

    def outstanding(self) -> int:
        return max(self.fee_due - self.paid(), 0) if self.is_active() or self.fee_kept else 0

    def is_paid(self) -> bool:
        return self.fee_due == 0 or self.paid() >= self.fee_due


class RoomBookingPeriod(models.Model):
    """One 区分 a booking holds. `active` is cleared when the booking is cancelled or lapses."""

    booking = models.ForeignKey(RoomBooking, on_delete=models.CASCADE, related_name="periods")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    objects = RoomBookingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("booked period")
        verbose_name_plural = _("booked periods")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "date", "period"],
                condition=models.Q(active=True),
                name="one_active_booking_per_room_period",
            ),
        ]
        indexes = [models.Index(fields=["room", "date", "active"], name="roomperiod_room_day_idx")]

    def __str__(self) -> str:
        return f"{self.room} {self.date} {self.period.name}"


class RoomBlock(models.Model):
    """Staff hold a room for maintenance or the center's own event (a whole day when no period)."""

    class Kind(models.TextChoices):
        MAINTENANCE = "maintenance", _("Maintenance")
        EVENT = "event", _("The center's event")

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("room"))
    date = models.DateField(_("date"))
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("period"),
        help_text=_("Empty: the whole day."),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MAINTENANCE)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    event = models.ForeignKey(
        "community.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoomBlockQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        verbose_name = _("room block")
        verbose_name_plural = _("room blocks")
        indexes = [models.Index(fields=["room", "date"], name="roomblock_room_day_idx")]

    def __str__(self) -> str:
        return f"{self.room} {self.date} {self.reason}"

    def covers(self, period_id: int) -> bool:
        return self.period_id is None or self.period_id == period_id


class Payment(models.Model):
    """Money taken at the counter (cash by default) or refunded, with its 領収書 number."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Refund")

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Bank transfer")

    booking = models.ForeignKey(RoomBooking, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.CASH)
    amount = models.PositiveIntegerField(_("amount (yen)"), validators=[MinValueValidator(1)])
    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")

    def __str__(self) -> str:
        return f"{self.receipt_number} ¥{self.amount:,}"

    def is_refund(self) -> bool:
        return self.kind == self.Kind.REFUND
