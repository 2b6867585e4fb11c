"""Consultation booking (相談予約): coordinators' hours and exceptions, topics, bookings.

Coordinators are `core.User` rows with `is_coordinator=True`. A booking occupies its coordinator from
`start` to `blocked_until` (its end plus the location's buffer); on PostgreSQL an exclusion constraint
(migration 0002) forbids two active bookings of one coordinator whose blocked ranges overlap.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.i18n import LocalizedNameMixin
from kyodo.core.models import Location, User, Weekday

# An unconfirmed booking (仮受付) made before holds had an end (held_until empty) lapses after this long.
PENDING_LIFETIME = dt.timedelta(hours=24)


def new_manage_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a confirmation token: its SHA-256, so the database never holds the link itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class ConsultationSettings(models.Model):
    """How consultations work at one location (staff edit these in the admin)."""

    location = models.OneToOneField(
        Location, on_delete=models.CASCADE, related_name="consultation_settings", verbose_name=_("location")
    )
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer between bookings (minutes)"), default=0)
    notice_open_days = models.PositiveSmallIntegerField(
        _("minimum notice (open days)"),
        default=1,
        help_text=_("1: bookable from the next open day; 0: from later today."),
    )
    horizon_days = models.PositiveSmallIntegerField(_("how far ahead (days)"), default=60)
    # On by default (migration 0003): an anonymous booking is a 仮受付 held briefly until the person
    # confirms it from the mail (or staff call back a phone-only booker).
    require_email_confirmation = models.BooleanField(
        _("hold a booking only once its e-mail address is confirmed"), default=True
    )
    anonymise_after_months = models.PositiveSmallIntegerField(
        _("anonymise bookings after (months)"), default=13
    )

    class Meta:
        verbose_name = _("consultation settings")
        verbose_name_plural = _("consultation settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(length_minutes__gte=10), name="consultation_length_min"
            ),
            models.CheckConstraint(condition=models.Q(horizon_days__gte=1), name="consultation_horizon_min"),
        ]

    def __str__(self) -> str:
        return str(self.location)

    @classmethod
    def for_location(cls, location: Location) -> ConsultationSettings:
        """The location's settings; the defaults (unsaved) when staff have not set any."""
        found = cls.objects.filter(location=location).first()
        return found or cls(location=location)


def coordinator_choices() -> dict[str, bool]:
    return {"is_coordinator": True, "is_active": True}


class CoordinatorProfile(models.Model):
    """What a coordinator needs beyond their account: the online meeting link sent to people."""

    coordinator = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_profile",
        limit_choices_to=coordinator_choices,
        verbose_name=_("coordinator"),
    )
    meeting_url = models.URLField(_("online meeting link"), blank=True)

    class Meta:
        verbose_name = _("coordinator profile")
        verbose_name_plural = _("coordinator profiles")

    def __str__(self) -> str:
        return str(self.coordinator)


class CoordinatorHours(models.Model):
    """A coordinator's weekly hours at a location (e.g. Tuesday 10:00–17:00)."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_hours",
        limit_choices_to=coordinator_choices,
        verbose_name=_("coordinator"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="coordinator_hours", verbose_name=_("location")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        ordering = ["location", "coordinator", "weekday", "start"]
        verbose_name = _("coordinator hours")
        verbose_name_plural = _("coordinator hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="hours_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.coordinator} {self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class CoordinatorException(models.Model):
    """A day that differs from the weekly hours: a day (or some hours) off, or extra hours."""

    class Kind(models.TextChoices):
        OFF = "off", _("Off")
        EXTRA = "extra", _("Extra hours")

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultation_exceptions",
        limit_choices_to=coordinator_choices,
        verbose_name=_("coordinator"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coordinator_exceptions",
        verbose_name=_("location"),
        help_text=_("Required for extra hours; for time off, empty means every location."),
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.OFF)
    start = models.TimeField(_("from"), null=True, blank=True, help_text=_("Empty: the whole day."))
    end = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "coordinator"]
        verbose_name = _("coordinator exception")
        verbose_name_plural = _("coordinator exceptions")

    def __str__(self) -> str:
        return f"{self.coordinator} {self.date} {self.get_kind_display()}"

    def clean(self) -> None:
        if (self.start is None) != (self.end is None):
            raise ValidationError(_("Give both times or neither."))
        if self.start is not None and self.end is not None and self.start >= self.end:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.kind == self.Kind.EXTRA and (self.location_id is None or self.start is None):
            raise ValidationError(_("Extra hours need a location and both times."))


class Topic(LocalizedNameMixin, models.Model):
    """What a consultation is about (オンライン会議の開き方, イベントの配信, ...)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.localized_name()


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    """The named states of bookings: views, the dashboard, the API and the daily jobs only ask these."""

    def active(self) -> ConsultationQuerySet:
        """Bookings that hold their coordinator's time."""
        return self.filter(status__in=Consultation.HOLDING)

    def holds(self, now: dt.datetime) -> ConsultationQuerySet:
        """仮受付 whose hold has not lapsed at `now`: they keep their time from others until then."""
        return self.filter(_held_at(now))

    def taking_time(self, now: dt.datetime) -> ConsultationQuerySet:
        """What the slots see as busy: active bookings and 仮受付 still held. A lapsed hold frees its time
        at once, before the daily job marks it."""
        return self.filter(models.Q(status__in=Consultation.HOLDING) | _held_at(now))

    def not_cancelled(self) -> ConsultationQuerySet:
        """What a schedule or a person's list shows: everything but cancelled (and lapsed) bookings."""
        return self.exclude(status=Consultation.Status.CANCELLED)

    def counted_for_statistics(self) -> ConsultationQuerySet:
        """What the statistics count: bookings that were confirmed, whatever came of them (booked, held,
        no-show); cancelled ones and 仮受付 still waiting for their e-mail confirmation are left out."""
        return self.exclude(status__in=[Consultation.Status.CANCELLED, Consultation.Status.PENDING])

    def starting_between(self, start: dt.datetime, end: dt.datetime) -> ConsultationQuerySet:
        """Bookings that start in [start, end)."""
        return self.filter(start__gte=start, start__lt=end)

    def on_days(self, first: dt.date, last: dt.date) -> ConsultationQuerySet:
        """Bookings that start on the days first … last (inclusive, in the center's time zone)."""
        return self.starting_between(_midnight(first), _midnight(last + dt.timedelta(days=1)))

    def active_between(self, start: dt.datetime, end: dt.datetime) -> ConsultationQuerySet:
        """Bookings holding time that start in [start, end): what the staff dashboard lists."""
        return self.active().starting_between(start, end)

    def at_location(self, location: Location | None) -> ConsultationQuerySet:
        """Bookings at one location; every location when it is None."""
        return self if location is None else self.filter(location=location)

    def upcoming(self, today: dt.date | None = None) -> ConsultationQuerySet:
        """Bookings not cancelled from the start of `today` (default: today) on."""
        return self.not_cancelled().filter(start__gte=_midnight(today or timezone.localdate()))

    def due_for_reminder(self, today: dt.date, now: dt.datetime) -> ConsultationQuerySet:
        """Booked consultations of today (still to come) and tomorrow that have had no reminder yet."""
        day_start = _midnight(today)
        return self.filter(
            status=Consultation.Status.BOOKED,
            start__gte=max(day_start, now),
            start__lt=day_start + dt.timedelta(days=2),
            reminder_sent_at__isnull=True,
        )

    def awaiting_call(self, now: dt.datetime) -> ConsultationQuerySet:
        """仮受付 with a phone number and no e-mail address, still held: staff confirm them by calling back."""
        return self.filter(
            status=Consultation.Status.PENDING, email="", held_until__gt=now, start__gt=now
        ).exclude(phone="")

    def to_lapse(self, now: dt.datetime) -> ConsultationQuerySet:
        """Unconfirmed bookings past their hold (or, made before holds had an end, their lifetime), or
        whose time has come: they lapse."""
        legacy = models.Q(held_until__isnull=True, created_at__lt=now - PENDING_LIFETIME)
        return self.filter(status=Consultation.Status.PENDING).filter(
            models.Q(held_until__lte=now) | legacy | models.Q(start__lte=now)
        )

    def to_anonymise(self, location: Location, cutoff: dt.datetime) -> ConsultationQuerySet:
        """Bookings at `location` that started before `cutoff` and still carry personal details."""
        return self.filter(location=location, anonymised=False, start__lt=cutoff)

    def anonymised_before(self, location: Location, cutoff: dt.datetime) -> ConsultationQuerySet:
        return self.filter(location=location, anonymised=True, start__lt=cutoff)

    def of_user(self, user: User | AnonymousUser) -> ConsultationQuerySet:
        """A signed-in person's own bookings; none for an anonymous visitor."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def visible_to(self, user: User | AnonymousUser) -> ConsultationQuerySet:
        """Staff see every booking; a signed-in person sees their own; nobody else sees any."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.of_user(user)


def _held_at(now: dt.datetime) -> models.Q:
    return models.Q(status=Consultation.Status.PENDING, held_until__gt=now, start__gt=now)


def _midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the center's time zone."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))


class Consultation(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person at the center")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("By phone")

    class Status(models.TextChoices):
        PENDING = "pending_confirmation", _("Provisional (waiting for confirmation)")
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")

    # Statuses that occupy the coordinator. The PostgreSQL constraint uses the same list, plus 仮受付 that
    # have a hold (held_until set); a lapsed hold is marked cancelled under the lock before a write.
    HOLDING = ["booked", "held", "no_show"]
    # What staff may record once a consultation has started: the first two are the page's buttons,
    # "booked" undoes a mistake.
    OUTCOMES = ["held", "no_show", "booked"]

    location = models.ForeignKey(Location, on_delete=models.PROTECT, verbose_name=_("location"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_as_coordinator",
        verbose_name=_("coordinator"),
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, verbose_name=_("topic"))
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    blocked_until = models.DateTimeField(_("coordinator busy until"))
    name = models.CharField(_("name"), max_length=100)
    kana = models.CharField(_("furigana"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    group_name = models.CharField(_("group name"), max_length=200, blank=True)
    message = models.TextField(_("what to talk about"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="ja")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("account"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.BOOKED)
    manage_token = models.CharField(max_length=64, unique=True, default=new_manage_token, editable=False)
    # A 仮受付: held until this time, then it lapses. Its confirmation token (only the mail carries it)
    # is stored hashed, used once, and expires with the hold.
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    staff_notes = models.TextField(_("internal notes"), blank=True)
    meeting_url = models.URLField(_("online meeting link"), blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    anonymised = models.BooleanField(_("anonymised"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField(default=0)  # .ics SEQUENCE: bumped on each change

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["coordinator", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lt=models.F("end")), name="consultation_start_before_end"
            ),
            models.CheckConstraint(
                condition=models.Q(end__lte=models.F("blocked_until")), name="consultation_blocked_after_end"
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{local:%Y-%m-%d %H:%M} {self.name}"

    @property
    def reference(self) -> str:
        """The 受付番号 the person quotes on the phone."""
        return f"C{self.pk:06d}"

    # --- Named states: every "may this still happen?" question, answered once ---------------------

    @property
    def is_active(self) -> bool:
        """It holds its coordinator's time (booked, held or no-show)."""
        return self.status in self.HOLDING

    @property
    def is_pending(self) -> bool:
        """A 仮受付: waiting for the person's confirmation (or staff's call); held until `held_until`."""
        return self.status == self.Status.PENDING

    @property
    def awaits_call(self) -> bool:
        """A 仮受付 with a phone number and no e-mail address: staff confirm it by calling back."""
        return self.is_pending and not self.email and bool(self.phone)

    def is_held(self, now: dt.datetime | None = None) -> bool:
        """A 仮受付 whose hold has not lapsed."""
        now = now or timezone.now()
        return self.is_pending and self.held_until is not None and self.held_until > now and self.start > now

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return self.start <= (now or timezone.now())

    def can_change(self, now: dt.datetime | None = None) -> bool:
        """The person may still cancel or move it: booked (or waiting) and not yet started."""
        return self.status in (self.Status.BOOKED, self.Status.PENDING) and not self.has_started(now)

    def can_move(self, now: dt.datetime | None = None, by_staff: bool = False) -> bool:
        """Staff may also move a booked consultation that has started (it ran late, a typo)."""
        return self.can_change(now) or (by_staff and self.can_reassign())

    def can_reassign(self) -> bool:
        """Staff may give it to another coordinator (or move it) while it is booked."""
        return self.status == self.Status.BOOKED

    def can_cancel(self, now: dt.datetime | None = None, by_staff: bool = False) -> bool:
        """The person until it starts; staff at any time, as long as it is booked or waiting."""
        if by_staff:
            return self.status in (self.Status.BOOKED, self.Status.PENDING)
        return self.can_change(now)

    def can_confirm(self, now: dt.datetime | None = None) -> bool:
        """A 仮受付 may be confirmed while it is held (legacy ones without a hold end: until their time)."""
        now = now or timezone.now()
        if self.held_until is not None and self.held_until <= now:
            return False
        return self.is_pending and not self.has_started(now)

    def can_mark(self, now: dt.datetime | None = None) -> bool:
        """Staff record the outcome (held, no-show, or back to booked) once it has started."""
        return self.is_active and self.has_started(now)
