import hashlib
import secrets
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kyodo.core.i18n import LocalizedNameMixin, in_language


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an e-mail address.

    Roles: staff (`is_staff`; `is_coordinator` marks who takes consultations), admin (`is_superuser`),
    member of groups (through `groups.Membership`).
    """

    # Sign-in is by e-mail and a person has one name: the inherited fields are removed.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    kana = models.CharField(_("name in kana (furigana)"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="ja"
    )
    is_coordinator = models.BooleanField(
        _("coordinator"), default=False, help_text=_("Takes consultation bookings.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    # Ours is a BaseUserManager (no username), not the auth UserManager the stubs expect.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def display_name(self) -> str:
        return self.name or self.email

    # Staff keep the center's data in the admin without per-model permission grants; accounts and the
    # audit trail stay with admins (superusers), so staff cannot raise their own rights.
    STAFF_APP_LABELS = {"groups", "lending", "consultations", "community", "rooms"}
    STAFF_CORE_MODELS = {"location", "openinghours", "closure"}
    # Staff may look at the outbox (subject, recipient, state; never a body, see OutboundEmailAdmin) and
    # nothing else of the core's records: the audit trail and API tokens are for admins.
    STAFF_VIEW_ONLY = {"core.view_outboundemail"}

    def _staff_may(self, perm: str) -> bool:
        app_label, _, codename = perm.partition(".")
        if app_label in self.STAFF_APP_LABELS:
            return True
        model = codename.split("_", 1)[-1]
        return (app_label == "core" and model in self.STAFF_CORE_MODELS) or perm in self.STAFF_VIEW_ONLY

    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        if self.is_active and self.is_staff and not self.is_superuser and self._staff_may(perm):
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_staff and (app_label in self.STAFF_APP_LABELS or app_label == "core"):
            return True
        return super().has_module_perms(app_label)


class Location(LocalizedNameMixin, models.Model):
    """A place the organisation runs (the center, a branch), with its calendar."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("e-mail"))
    website = models.URLField(_("website"), blank=True)
    access = models.TextField(
        _("access"), blank=True, help_text=_("How to get there: trains, buses, on foot.")
    )
    access_en = models.TextField(_("access (English)"), blank=True)
    parking = models.TextField(
        _("parking"), blank=True, help_text=_("Whether there is parking, and its fee.")
    )
    parking_en = models.TextField(_("parking (English)"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )  # fmt: skip
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )  # fmt: skip
    closed_on_holidays = models.BooleanField(_("closed on national holidays"), default=True)
    closed_at_year_end = models.BooleanField(_("closed 12/29–1/3"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name

    def localized_address(self, language: str | None = None) -> str:
        return in_language(self, "address", language)

    def localized_access(self, language: str | None = None) -> str:
        return in_language(self, "access", language)

    def localized_parking(self, language: str | None = None) -> str:
        return in_language(self, "parking", language)

    @property
    def map_url(self) -> str:
        """The location on OpenStreetMap: a pin at its coordinates, else a search for its address."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """Opening hours on one weekday. A weekday without a row is a regular closed day."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["location", "weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.UniqueConstraint(fields=["location", "weekday"], name="one_hours_row_per_weekday"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opens_before_closes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """An ad-hoc closure (maintenance, an event): the location is closed from start to end inclusive."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__lte=models.F("end_date")), name="closure_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.start_date}–{self.end_date} {self.reason}"


# What each recorded action is called on the pages that show a history (staff read them in Japanese).
ACTION_LABELS: dict[str, Promise] = {
    "admin.add": _("added in the admin"),
    "admin.change": _("changed in the admin"),
    "admin.delete": _("deleted in the admin"),
    "consultation.book": _("booked"),
    "consultation.cancel": _("cancelled"),
    "consultation.confirm": _("confirmed by phone"),
    "consultation.edit": _("notes changed"),
    "consultation.move": _("moved"),
    "consultation.reassign": _("coordinator changed"),
    "consultation.mark_held": _("marked as held"),
    "consultation.mark_no_show": _("marked as no-show"),
    "event.cancel": _("event cancelled"),
    "event.create": _("event created"),
    "event.delete": _("event deleted"),
    "event.edit": _("event edited"),
    "event.publish": _("event published"),
    "event.return": _("event returned with a comment"),
    "event.submit": _("event sent for review"),
    "feature.edit": _("interview edited"),
    "group.approve": _("registration approved"),
    "group.decline": _("registration declined"),
    "group.edit": _("profile edited"),
    "group.remove_member": _("member removed"),
    "lending.approve": _("approved"),
    "lending.cancel": _("cancelled"),
    "lending.checkout": _("checked out"),
    "lending.decline": _("declined"),
    "lending.edit": _("changed by staff"),
    "lending.return": _("returned"),
    "lending.rules": _("lending rules changed"),
    "lending.unit_status": _("unit status changed"),
    "lending.extension.approved": _("extension approved"),
    "lending.extension.declined": _("extension declined"),
    "news.edit": _("news edited"),
    "rooms.apply": _("use application entered by staff"),
    "rooms.approve": _("use permitted"),
    "rooms.attendance": _("attendance recorded"),
    "rooms.block": _("room blocked"),
    "rooms.cancel": _("cancelled"),
    "rooms.payment": _("payment recorded"),
    "rooms.refund": _("refund recorded"),
    "rooms.return": _("use application returned"),
    "notice.edit": _("site notice edited"),
    "token.revoke_all": _("API tokens revoked"),
}


# Actions whose detail names the changed fields (", "-separated): the history shows each field's
# verbose name in the reader's language instead (about the group, not description).
FIELD_LIST_DETAILS: dict[str, str] = {"group.edit": "groups.Group"}


def detail_label(action: str, detail: str) -> str:
    """A recorded detail as the history shows it: field names in words, everything else as recorded."""
    model_label = FIELD_LIST_DETAILS.get(action)
    if not model_label or not detail:
        return detail
    options = apps.get_model(model_label)._meta
    words = []
    for name in detail.split(", "):
        try:
            words.append(str(options.get_field(name).verbose_name))
        except FieldDoesNotExist:
            words.append(name)
    return ("、" if (get_language() or "ja").startswith("ja") else ", ").join(words)


def action_label(action: str) -> str:
    """The action in the reader's language; an action without a label shows as recorded."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


class AuditEntry(models.Model):
    """Who changed what and when, for staff actions."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.CharField(_("target type"), max_length=60)
    target_id = models.CharField(_("target id"), max_length=40)
    target_repr = models.CharField(_("target"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_repr}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def detail_label(self) -> str:
        return detail_label(self.action, self.detail)


class OutboundEmailQuerySet(models.QuerySet["OutboundEmail"]):
    def undelivered(self) -> "OutboundEmailQuerySet":
        return self.exclude(status=OutboundEmail.Status.SENT)

    def delivered(self) -> "OutboundEmailQuerySet":
        return self.filter(status=OutboundEmail.Status.SENT)

    def failing(self) -> "OutboundEmailQuerySet":
        """Messages not delivered although at least one attempt was made (staff should know)."""
        return self.undelivered().filter(attempts__gt=0)

    def given_up(self) -> "OutboundEmailQuerySet":
        """Messages whose delivery failed too often to try again."""
        return self.filter(status=OutboundEmail.Status.FAILED)


class OutboundEmail(models.Model):
    """A message waiting for (or done with) delivery. Written in the same transaction as its cause.

    A message that carries a link or code granting access (password reset, e-mail verification, an
    invitation, a consultation's private link) is marked `grants_access` when it is queued: only its
    addressee may read it, so no screen shows its body, and the body and attachments are dropped as soon
    as it has been delivered (subject, recipient, template, state and times stay for staff)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed (gave up)")

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=300)
    from_email = models.CharField(_("from"), max_length=200)
    to = models.JSONField(_("to"))
    cc = models.JSONField(default=list, blank=True)
    bcc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    body = models.TextField(_("body"))
    alternatives = models.JSONField(default=list, blank=True)
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    template = models.CharField(_("template"), max_length=200, blank=True)
    grants_access = models.BooleanField(
        _("carries an access link"),
        default=False,
        help_text=_("Only the addressee may read it; its body is dropped once it has been delivered."),
    )

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

    def is_delivered(self) -> bool:
        return self.status == self.Status.SENT

    def content_visible_to_staff(self) -> bool:
        """Whether any screen may show this message's body: never for one that grants access."""
        return not self.grants_access

    def drop_content(self) -> None:
        """Forget what only the addressee may read (called once the message has been delivered)."""
        self.body = ""
        self.alternatives = []
        self.attachments = []


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "kyd_" + secrets.token_urlsafe(32)


class RateLimitWindow(models.Model):
    """How many attempts one key made in one fixed window of one limit (see core.ratelimit).

    A row per (limit, key, window start) is incremented in one statement, so parallel requests on
    every app server count exactly; rows of past windows are removed by the daily job."""

    name = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "key", "window_start"], name="ratelimit_window_unique")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.name} {self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"


class SubmissionKey(models.Model):
    """A one-time key of a form or an API call that creates something (see core.once).

    Recorded in the same transaction as what it made, under a unique (scope, key): a second submit with
    the same key — a double click, a reload, back and resubmit, a client's retry — finds this row and is
    shown what the first made, and two identical submits in parallel make one. `scope` is who submitted
    (a user; for a signed-out page the key alone; for the API the address); the API's rows also keep a
    fingerprint of the request and the first answer, returned again to a repeat."""

    scope = models.CharField(max_length=200)
    key = models.CharField(max_length=100)
    purpose = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, blank=True)
    made_type = models.CharField(max_length=100, blank=True)
    made_id = models.BigIntegerField(null=True, blank=True)
    status = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="submission_key_unique")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose} {self.key}"
