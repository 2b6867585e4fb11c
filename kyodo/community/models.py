"""Events (イベント情報), the standing site notice and news (お知らせ). Group features and collaboration
proposals belong to the groups app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.core.i18n import choice_label
from kyodo.core.images import ImageField
from kyodo.core.inputs import DATE_RANGE_MESSAGE, in_date_range
from kyodo.groups.models import Group


def not_over(today: dt.date, **also: Any) -> Q:
    """ "Not over yet" as a condition: ends today or later (and was not moved to another date), or was
    postponed to a date still ahead. `also` is repeated inside each branch, so that an index starting
    with those fields serves each (SQLite does not carry a condition from outside an OR into it)."""
    return Q(end_date__gte=today, postponed_to=None, **also) | Q(postponed_to__gte=today, **also)


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(state=Event.State.PUBLISHED)

    def submitted(self) -> EventQuerySet:
        """Events awaiting staff review."""
        return self.filter(state=Event.State.SUBMITTED)

    def in_preparation(self) -> EventQuerySet:
        """Drafts and events returned for changes: their group may still edit and submit them."""
        return self.filter(state__in=Event.PREPARATION_STATES)

    def with_status(self, status: str) -> EventQuerySet:
        """Scheduled, postponed or cancelled events (`status` is one of Event.Status)."""
        return self.filter(status=status)

    def upcoming(self, today: dt.date | None = None) -> EventQuerySet:
        """Not over yet: ends today or later, or postponed to a date still ahead."""
        return self.filter(not_over(today or timezone.localdate()))

    def past(self, today: dt.date | None = None) -> EventQuerySet:
        return self.exclude(not_over(today or timezone.localdate()))

    def in_month(self, first: dt.date) -> EventQuerySet:
        """Events that take place (at least partly) in the month starting on `first`: a postponed event
        in the month of its new date."""
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return self.filter(
            Q(start_date__lt=following, end_date__gte=first, postponed_to=None)
            | Q(postponed_to__gte=first, postponed_to__lt=following)
        )

    def visible_to(self, user: Any) -> EventQuerySet:
        """Published events for everyone; a group's members also see its unpublished ones; staff all."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        if user.is_authenticated:
            return self.filter(Q(state=Event.State.PUBLISHED) | Q(group__memberships__user=user)).distinct()
        return self.published()


class Event(models.Model):
    class Status(models.TextChoices):
        # A context of their own: "Cancelled" is 中止 for an event but キャンセル for a booking.
        SCHEDULED = "scheduled", pgettext_lazy("event status", "Scheduled")
        POSTPONED = "postponed", pgettext_lazy("event status", "Postponed")
        CANCELLED = "cancelled", pgettext_lazy("event status", "Cancelled")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")

    class Category(models.TextChoices):
        FESTIVAL = "festival", _("Festival")
        LECTURE = "lecture", _("Lecture / seminar")
        WORKSHOP = "workshop", _("Workshop")
        VOLUNTEER = "volunteer", _("Volunteering")
        EXCHANGE = "exchange", _("Exchange / meetup")
        EXHIBITION = "exhibition", _("Exhibition")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_kana = models.CharField(_("title in kana"), max_length=200, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200)
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    venue_extra = models.CharField(_("building, floor, room"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    access = models.CharField(_("access"), max_length=300, blank=True)
    parking = models.CharField(_("parking"), max_length=300, blank=True)
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("group"),
    )
    organizer_name = models.CharField(
        _("organizer"),
        max_length=200,
        blank=True,
        help_text=_("When the organizer is not a registered group."),
    )
    description = models.TextField(_("description"), blank=True)
    image = ImageField(_("image"), upload_to="events/", blank=True)
    fee_basic = models.CharField(_("fee"), max_length=100, blank=True, help_text=_("e.g. 無料, 500円"))
    fee_detail = models.CharField(_("fee details"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    apply_by_date = models.DateField(_("apply by (date)"), null=True, blank=True)
    apply_by_time = models.TimeField(_("apply by (time)"), null=True, blank=True)
    url_official = models.URLField(_("official website"), blank=True)
    url_instagram = models.URLField(_("Instagram"), blank=True)
    url_city = models.URLField(_("the city's page"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_extension = models.CharField(_("extension"), max_length=10, blank=True)
    note = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    postponed_to = models.DateField(
        _("new date"), null=True, blank=True, help_text=_("For a postponed event, when known.")
    )
    state = models.CharField(_("publication"), max_length=10, choices=State.choices, default=State.DRAFT)
    moderation_comment = models.TextField(_("comment from staff"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on each change
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "start_time", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["state", "end_date", "start_date"], name="event_not_over_idx"),
            # The upcoming list (community.services.UpcomingEvents): events postponed to a date ahead,
            # and the events starting from today in date order, read a page at a time.
            models.Index(fields=["state", "postponed_to"], name="event_postponed_idx"),
            models.Index(fields=["state", "start_date", "start_time", "id"], name="event_upcoming_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=models.F("end_date")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%Y-%m-%d} {self.title}"

    @property
    def reference(self) -> str:
        """The 受付番号 of the event's submission (E for events)."""
        return f"E{self.pk:06d}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.end_time and not self.start_time:
            errors["start_time"] = _("Give the start time too.")
        same_day = self.start_date and self.start_date == self.end_date
        if same_day and self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The end time must be after the start time.")
        for name in ("start_date", "end_date", "postponed_to", "apply_by_date"):
            value = getattr(self, name)
            if value and not in_date_range(value):  # the feeds could not add a day to 9999-12-31
                errors[name] = DATE_RANGE_MESSAGE
        if self.postponed_to and self.status != self.Status.POSTPONED:
            errors["postponed_to"] = _("A new date is only for a postponed event.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Give both latitude and longitude, or neither.")
        if self.apply_by_time and not self.apply_by_date:
            errors["apply_by_date"] = _("Give the date too.")
        if errors:
            raise ValidationError(errors)

    @property
    def organizer(self) -> str:
        return self.group.name if self.group is not None else self.organizer_name

    PREPARATION_STATES = (State.DRAFT, State.RETURNED)

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def is_returned(self) -> bool:
        return self.state == self.State.RETURNED

    @property
    def in_preparation(self) -> bool:
        """A draft or returned event: its group may still edit and submit it."""
        return self.state in self.PREPARATION_STATES

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_postponed(self) -> bool:
        return self.status == self.Status.POSTPONED

    # Replaces the get_category_display Django generates (which the django-stubs plugin declares).
    def get_category_display(self) -> str:  # type: ignore[no-redef]
        return choice_label(self.Category, self.category)  # faster than Django's, same result

    @property
    def is_multi_day(self) -> bool:
        return self.start_date != self.end_date

    @property
    def is_moved(self) -> bool:
        """Postponed to a known new date: listed, headlined and exported under that date, the original
        one shown struck through."""
        return self.is_postponed and self.postponed_to is not None

    @property
    def held_start_date(self) -> dt.date:
        """The first day the event takes place on: the new date of a postponed event."""
        if self.is_postponed and self.postponed_to is not None:
            return self.postponed_to
        return self.start_date

    @property
    def held_end_date(self) -> dt.date:
        """The last day: a postponed event keeps its length from the new date."""
        if self.is_moved:
            return self.held_start_date + (self.end_date - self.start_date)
        return self.end_date


class SiteNotice(models.Model):
    """A standing notice shown with the events (one row per place, edited by staff)."""

    key = models.CharField(max_length=30, unique=True, default="events")
    text = models.TextField(_("notice"), blank=True)
    text_en = models.TextField(_("notice (English)"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("site notice")
        verbose_name_plural = _("site notices")

    def __str__(self) -> str:
        return self.text[:50]


class NewsQuerySet(models.QuerySet["NewsPost"]):
    def published(self, now: dt.datetime | None = None) -> NewsQuerySet:
        """Posts whose publication time has come; scheduled ones stay hidden until then."""
        return self.filter(publish_at__lte=now or timezone.now())

    def visible_to(self, user: Any) -> NewsQuerySet:
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class NewsPost(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body = models.TextField(_("body"), help_text=_("Formatted text (Markdown): **bold**, lists, links."))
    body_en = models.TextField(_("body (English)"), blank=True)
    image = ImageField(_("image"), upload_to="news/", blank=True)
    publish_at = models.DateTimeField(
        _("publish at"), default=timezone.now, help_text=_("Not shown before this time.")
    )
    pinned = models.BooleanField(_("pinned"), default=False, help_text=_("Shown first."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NewsQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-publish_at", "-id"]
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.publish_at <= timezone.now()
