"""Equipment lending: types, units, kits, per-location rules, reservations and their loans.

A reservation holds a quantity of each equipment type over [pickup_date, hold_until], where hold_until is
the return date plus the inspection buffer (K open days). Concrete units are assigned only at checkout
(ReservationUnit): if on every day the held quantity of a type never exceeds its units in service, an
assignment always exists (interval graphs are perfect), so counting per type per day is the invariant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.i18n import LocalizedNameMixin, choice_label, in_language
from kyodo.core.images import ImageField
from kyodo.core.models import Location
from kyodo.lending.querysets import (
    EquipmentTypeQuerySet,
    ExtensionRequestQuerySet,
    ReservationItemQuerySet,
    ReservationQuerySet,
    UnitQuerySet,
)


class Category(models.TextChoices):
    CAMERA = "camera", _("Camera")
    AUDIO = "audio", _("Microphone / speaker")
    SWITCHER = "switcher", _("Video switcher / capture")
    TRIPOD = "tripod", _("Tripod")
    PROJECTOR = "projector", _("Projector / screen")
    NETWORK = "network", _("Network")
    PC = "pc", _("PC / tablet")
    OTHER = "other", _("Other")


class EquipmentType(LocalizedNameMixin, models.Model):
    """A kind of equipment (a model of web camera); its physical items are Units."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="equipment_types", verbose_name=_("lent from")
    )
    photo = ImageField(_("photo"), upload_to="lending/types/", blank=True)
    description = models.TextField(_("description"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    specs = models.TextField(_("specifications"), blank=True)
    specs_en = models.TextField(_("specifications (English)"), blank=True)
    accessories = models.TextField(
        _("accessories included"), blank=True, help_text=_("One per line; each becomes a checklist line.")
    )
    accessories_en = models.TextField(_("accessories included (English)"), blank=True)
    setup_guide = models.TextField(
        _("setup guide"), blank=True, help_text=_("Formatted text (Markdown): steps, links, lists.")
    )
    setup_guide_en = models.TextField(_("setup guide (English)"), blank=True)
    active = models.BooleanField(_("shown in the catalogue"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = EquipmentTypeQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("equipment type")
        verbose_name_plural = _("equipment types")

    def __str__(self) -> str:
        return self.name

    # Replaces the get_category_display Django generates (which the django-stubs plugin declares).
    def get_category_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(Category, self.category)  # faster than Django's, same result

    def accessory_list(self) -> list[str]:
        """The checklist lines (always the Japanese list: it is what staff tick at the counter)."""
        return [line.strip() for line in self.accessories.splitlines() if line.strip()]

    def localized_accessory_list(self) -> list[str]:
        """For the public pages: the English lines under /en/ when they are filled in."""
        return [line.strip() for line in in_language(self, "accessories").splitlines() if line.strip()]


class Unit(models.Model):
    """One physical item with its asset tag (管理番号). Only units in service are lendable."""

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        UNDER_REPAIR = "under_repair", _("Under repair")
        RETIRED = "retired", _("Retired")

    equipment_type = models.ForeignKey(
        EquipmentType, on_delete=models.PROTECT, related_name="units", verbose_name=_("equipment type")
    )
    asset_tag = models.CharField(_("asset tag"), max_length=40, unique=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    condition_notes = models.TextField(_("condition notes"), blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.asset_tag} {self.equipment_type}"

    def is_in_service(self) -> bool:
        return self.status == self.Status.IN_SERVICE

    def is_retired(self) -> bool:
        return self.status == self.Status.RETIRED


class Kit(LocalizedNameMixin, models.Model):
    """A bundle of types for a use case (オンライン総会セット, 配信セット), reservable as one."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    use_case = models.TextField(_("use case"), blank=True)
    use_case_en = models.TextField(_("use case (English)"), blank=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="kits", verbose_name=_("lent from")
    )
    active = models.BooleanField(_("shown in the catalogue"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("kit")
        verbose_name_plural = _("kits")

    def __str__(self) -> str:
        return self.name


class KitItem(models.Model):
    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="items")
    equipment_type = models.ForeignKey(
        EquipmentType, on_delete=models.PROTECT, verbose_name=_("equipment type")
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("kit item")
        verbose_name_plural = _("kit items")
        constraints = [
            models.UniqueConstraint(fields=["kit", "equipment_type"], name="kit_type_once"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="kit_item_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.equipment_type} × {self.quantity}"


class LendingRules(models.Model):
    """The lending rules of one location; a location without a row uses the defaults."""

    location = models.OneToOneField(Location, on_delete=models.CASCADE, related_name="lending_rules")
    min_days_ahead = models.PositiveSmallIntegerField(
        _("open days ahead"),
        default=2,
        help_text=_("A request is made at least this many open days before pickup."),
    )
    max_days = models.PositiveSmallIntegerField(
        _("longest loan (days)"), default=7, help_text=_("From pickup to return, counted in calendar days.")
    )
    inspection_days = models.PositiveSmallIntegerField(
        _("inspection (open days)"),
        default=1,
        help_text=_("Open days after return before a unit goes out again."),
    )
    max_units_per_request = models.PositiveSmallIntegerField(
        _("most units per request"), default=10, validators=[MinValueValidator(1)]
    )
    max_units_per_group = models.PositiveSmallIntegerField(
        _("most units per group at once"), default=10, validators=[MinValueValidator(1)]
    )
    # What a group is told before it asks (the catalogue and the request form): blank means the defaults
    # the summary gives (services.rules.summary), in the reader's language.
    pickup_hours = models.CharField(
        _("pickup hours"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 10:00–17:00. Blank: the opening hours."),
    )
    return_hours = models.CharField(
        _("return hours"),
        max_length=100,
        blank=True,
        help_text=_("e.g. 10:00–17:00. Blank: the opening hours."),
    )
    what_to_bring = models.TextField(
        _("what to bring"), blank=True, help_text=_("Blank: an ID of the person picking up, and a bag.")
    )
    what_to_bring_en = models.TextField(_("what to bring (English)"), blank=True)
    liability = models.TextField(
        _("loss or damage"),
        blank=True,
        help_text=_("Who is liable for loss or damage. Blank: the borrowing group, beyond normal wear."),
    )
    liability_en = models.TextField(_("loss or damage (English)"), blank=True)

    class Meta:
        verbose_name = _("lending rules")
        verbose_name_plural = _("lending rules")
        constraints = [
            models.CheckConstraint(condition=models.Q(max_days__gte=1), name="max_days_positive"),
            # Zero would make every request fail: at least one unit per request and per group.
            models.CheckConstraint(
                condition=models.Q(max_units_per_request__gte=1), name="units_per_request_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(max_units_per_group__gte=1), name="units_per_group_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.location)

    @classmethod
    def for_location(cls, location: Location) -> LendingRules:
        return cls.objects.filter(location=location).first() or cls(location=location)


class Reservation(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CHECKED_OUT = "checked_out", _("Checked out")
        RETURNED = "returned", _("Returned")
        CANCELLED = "cancelled", _("Cancelled")

    # The statuses each question and each action allows: stated here once, asked by name everywhere.
    HOLDING = [Status.REQUESTED, Status.APPROVED, Status.CHECKED_OUT, Status.RETURNED]
    OPEN = [Status.REQUESTED, Status.APPROVED, Status.CHECKED_OUT]
    BEFORE_PICKUP = [Status.REQUESTED, Status.APPROVED]
    APPROVABLE = [Status.REQUESTED]
    CANCELLABLE = BEFORE_PICKUP  # and declinable, and editable by staff: not handed over yet
    EXTENDABLE = [Status.APPROVED, Status.CHECKED_OUT]
    LENT = [Status.CHECKED_OUT, Status.RETURNED]  # handed over: the statistics' loans

    group = models.ForeignKey(
        "groups.Group", on_delete=models.PROTECT, related_name="reservations", verbose_name=_("group")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    pickup_date = models.DateField(_("pickup date"))
    return_date = models.DateField(_("return date"))
    hold_until = models.DateField(
        _("held until"), help_text=_("The last day the units are held: return date plus the inspection days.")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    audience_size = models.PositiveIntegerField(_("expected audience"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = ReservationQuerySet.as_manager()

    class Meta:
        ordering = ["-pickup_date", "-id"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        indexes = [
            models.Index(fields=["status", "pickup_date", "hold_until"]),
            # A group's own loans (the per-group limits, the overdue check on every request): without it
            # SQLite read them through the status index above, i.e. every open loan of every group.
            models.Index(fields=["group", "status", "pickup_date"], name="reservation_group_idx"),
            # The year's statistics read these columns only (an index-only scan over a large table).
            models.Index(
                fields=["location", "status", "pickup_date", "return_date", "group"],
                name="reservation_stats_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pickup_date__lte=models.F("return_date")), name="pickup_before_return"
            ),
            # hold_until may fall before the planned return date when the loan came back early.
            models.CheckConstraint(
                condition=models.Q(pickup_date__lte=models.F("hold_until")), name="pickup_before_hold_end"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.group} {self.pickup_date}–{self.return_date}"

    # Copied onto every item (see ReservationItem): availability reads the items alone.
    COPIED_TO_ITEMS = ("status", "pickup_date", "return_date", "hold_until")

    def save(self, *args: Any, **kwargs: Any) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        if not adding and (fields is None or set(fields) & set(self.COPIED_TO_ITEMS)):
            self.items.update(**self.item_copies())

    @property
    def reference(self) -> str:
        """The 受付番号 the group quotes on the phone (L for lending; a consultation's starts with C)."""
        return f"L{self.pk:06d}"

    def item_copies(self) -> dict[str, Any]:
        """The reservation's fields that each of its items carries a copy of."""
        return {
            "reservation_status": self.status,
            "pickup_date": self.pickup_date,
            "return_date": self.return_date,
            "hold_until": self.hold_until,
        }

    @classmethod
    def overdue_condition(cls, today: dt.date, status_field: str = "status") -> models.Q:
        """The one statement of "overdue": checked out, and the return date has passed. `status_field`
        names the status column: the reservation's own, or the copy its items carry (availability)."""
        return models.Q(**{status_field: cls.Status.CHECKED_OUT, "return_date__lt": today})

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Asked of the one definition, ReservationQuerySet.overdue (one query)."""
        today = today or timezone.localdate()
        return Reservation.objects.filter(pk=self.pk).overdue(today).exists()

    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def can_approve(self) -> bool:
        return self.status in self.APPROVABLE

    def can_decline(self) -> bool:
        return self.status in self.CANCELLABLE

    def can_cancel(self) -> bool:
        return self.status in self.CANCELLABLE

    def can_edit(self) -> bool:
        """Staff change dates and quantities until the units are handed over."""
        return self.status in self.CANCELLABLE

    def can_extend(self) -> bool:
        return self.status in self.EXTENDABLE

    def can_check_out(self) -> bool:
        return self.status == self.Status.APPROVED

    def can_return(self) -> bool:
        return self.status == self.Status.CHECKED_OUT

    def status_badge(self) -> str:
        return {
            "requested": "warn",
            "approved": "ok",
            "checked_out": "ok",
            "declined": "danger",
        }.get(self.status, "")


class ReservationItem(models.Model):
    """A quantity of one equipment type; `kit` records which kit it came from, for display."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="items")
    equipment_type = models.ForeignKey(
        EquipmentType,
        on_delete=models.PROTECT,
        related_name="reservation_items",
        verbose_name=_("equipment type"),
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    kit = models.ForeignKey(Kit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Copies of the reservation's status and dates, kept by Reservation.save (every change of them goes
    # through it) and checked by `manage.py check_integrity`. Availability asks "which items of these
    # types hold units in these days": answered from this table and its (type, date) indexes, instead
    # of joining every reservation of the period (thousands a month at the scale) to its items.
    reservation_status = models.CharField(max_length=20, editable=False)
    pickup_date = models.DateField(editable=False)
    return_date = models.DateField(editable=False)
    hold_until = models.DateField(editable=False)

    objects = ReservationItemQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("reserved item")
        verbose_name_plural = _("reserved items")
        indexes = [
            models.Index(fields=["reservation", "equipment_type", "quantity"], name="item_stats_idx"),
            models.Index(fields=["equipment_type", "hold_until", "pickup_date"], name="item_held_idx"),
            models.Index(fields=["equipment_type", "reservation_status"], name="item_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="item_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.equipment_type} × {self.quantity}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.pickup_date is None:
            for field, value in self.reservation.item_copies().items():
                setattr(self, field, value)
        super().save(*args, **kwargs)


class ReservationUnit(models.Model):
    """A concrete unit handed over at checkout, with the checklists and condition at pickup and return.

    [start, end] is the period the unit is taken (pickup to hold end); on PostgreSQL an exclusion constraint
    forbids two overlapping periods for one unit, and on every database a unit is out on one loan at a time.
    """

    class Condition(models.TextChoices):
        OK = "ok", _("Good")
        DAMAGED = "damaged", _("Damaged")

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="loans", verbose_name=_("unit"))
    start = models.DateField()
    end = models.DateField()
    checked_out_at = models.DateTimeField(default=timezone.now)
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessories_out = models.JSONField(_("accessories handed over"), default=list, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accessories_back = models.JSONField(_("accessories returned"), default=list, blank=True)
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("unit on loan")
        verbose_name_plural = _("units on loan")
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=models.Q(returned_at__isnull=True), name="unit_out_once"
            ),
            models.UniqueConstraint(fields=["reservation", "unit"], name="unit_once_per_reservation"),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="unit_loan_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.asset_tag} → #{self.reservation_id}"

    def accessories_expected(self) -> list[str]:
        """The unit's accessories that went out with it: those ticked at checkout (named "type: line"),
        or, when nothing was recorded then, the type's whole list."""
        lines = self.unit.equipment_type.accessory_list()
        prefix = f"{self.unit.equipment_type.name}: "
        handed = {a.removeprefix(prefix) for a in self.accessories_out if a.startswith(prefix)}
        return [line for line in lines if line in handed] if handed else lines

    def missing_accessories(self) -> list[str]:
        """After the return: the accessories that went out and were not ticked as back."""
        if self.returned_at is None:
            return []
        back = set(self.accessories_back)
        return [line for line in self.accessories_expected() if line not in back]


class ExtensionRequest(models.Model):
    """A group asks to keep its loan longer; staff approve it if the units are free."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for staff")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="extensions")
    new_return_date = models.DateField(_("new return date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ExtensionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self) -> str:
        return f"#{self.reservation_id} → {self.new_return_date}"

    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED
