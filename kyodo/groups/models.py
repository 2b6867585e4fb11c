"""Groups (団体) and everything about one: memberships and their roles, invitations, the directory's
search key, interviews (features) and collaboration proposals."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core import notify
from kyodo.core.i18n import LocalizedNameMixin
from kyodo.core.images import ImageField
from kyodo.groups.kana import normalize

INVITATION_DAYS = 14
INVITATION_TTL = dt.timedelta(days=INVITATION_DAYS)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def search_key_for(name: str, kana: str) -> str:
    """The directory's search key: name and kana folded by kana.normalize. A newline never appears in a
    normalised query (whitespace is dropped), so a match cannot straddle the name and the kana."""
    return f"{normalize(name)}\n{normalize(kana)}"


class MailRecipient(NamedTuple):
    email: str
    language: str


class ActivityField(LocalizedNameMixin, models.Model):
    """A field of activity (まちづくり, 子育て, 国際交流...), used for registration and directory filters."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")

    def __str__(self) -> str:
        return self.localized_name()


class GroupQuerySet(models.QuerySet["Group"]):
    def approved(self) -> GroupQuerySet:
        return self.filter(status=Group.Status.APPROVED)

    def pending(self) -> GroupQuerySet:
        """Applications waiting for staff review."""
        return self.filter(status=Group.Status.PENDING)

    def with_status(self, status: str) -> GroupQuerySet:
        return self.filter(status=status)

    def listed(self) -> GroupQuerySet:
        """Approved groups that chose to appear in the public directory."""
        return self.approved().filter(listed=True)

    def matching(self, query: str) -> GroupQuerySet:
        """Names or kana containing `query` written in hiragana, katakana or half-width katakana."""
        needle = normalize(query)
        if not needle:
            return self
        return self.filter(search_key__contains=needle)

    def of_member(self, user: Any) -> GroupQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def visible_to(self, user: Any) -> GroupQuerySet:
        """Groups whose private page the user may see: their own; staff see all."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.of_member(user)


class Group(models.Model):
    """A registered citizen group (団体). Only approved groups may borrow equipment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("group name"), max_length=200)
    kana = models.CharField(_("group name in kana"), max_length=200)
    representative = models.CharField(_("representative"), max_length=100)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    fields = models.ManyToManyField(ActivityField, blank=True, verbose_name=_("fields of activity"))
    area = models.CharField(_("area of activity"), max_length=200, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), null=True, blank=True)
    description = models.TextField(_("about the group"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sns = models.CharField(_("SNS (Instagram, X, Facebook...)"), max_length=300, blank=True)
    logo = ImageField(_("logo"), upload_to="groups/logos/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    # The group's explicit choice (the registration form's checkbox): off unless they tick it.
    listed = models.BooleanField(_("show in the public group directory"), default=False)
    seeks_collaboration = models.BooleanField(_("seeking collaboration"), default=False)
    collaboration_note = models.TextField(_("collaboration we seek"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("applied"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    # The directory's search key (search_key_for), kept by save(); daily.py repairs bulk updates.
    search_key = models.TextField(editable=False, default="")

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kana", "id"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        indexes = [models.Index(fields=["status", "listed"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = search_key_for(self.name, self.kana)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "kana"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """The 受付番号 of the group's registration application (G for groups)."""
        return f"G{self.pk:06d}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    def mail_recipients(self) -> list[MailRecipient]:
        """Who receives the group's mail: its contact address and every active member's address, each
        once (compared without case). Members get it in their language; the contact address in Japanese
        unless it is a member's own address."""
        recipients: dict[str, MailRecipient] = {}
        for membership in self.memberships.filter(user__is_active=True).select_related("user"):
            user = membership.user
            recipients.setdefault(user.email.lower(), MailRecipient(user.email, notify.language_of(user)))
        if self.contact_email:
            recipients.setdefault(self.contact_email.lower(), MailRecipient(self.contact_email, "ja"))
        return list(recipients.values())


class Membership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.group}"

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self, now: dt.datetime | None = None) -> InvitationQuerySet:
        """Invitations that may still be accepted: not accepted, not revoked, not older than the TTL."""
        now = now or timezone.now()
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, created_at__gte=now - INVITATION_TTL
        )

    def sent_by(self, user: Any, group: Group) -> InvitationQuerySet:
        return self.filter(invited_by=user, group=group)


class Invitation(models.Model):
    """An invitation, sent by e-mail, for another person to join a group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # Set when the membership of the person who sent it is removed: the link no longer lets anyone in.
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.group}"

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.accepted_at is None and self.revoked_at is None and self.created_at >= now - INVITATION_TTL
        )

    def is_for(self, email: str) -> bool:
        return email.lower() == self.email.lower()


# --- The directory's interviews and collaboration proposals ------------------------------------------
# Moved from the community app with their tables (db_table keeps the old names; see migration 0003).


class FeatureQuerySet(models.QuerySet["Feature"]):
    def published(self) -> FeatureQuerySet:
        return self.filter(published=True, group__status=Group.Status.APPROVED, group__listed=True)


class Feature(models.Model):
    """A group's interview (団体紹介): an introduction and questions with answers."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="features", verbose_name=_("group")
    )
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("publication date"), default=timezone.localdate)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        db_table = "community_feature"
        ordering = ["-published_on", "-id"]
        verbose_name = _("group feature")
        verbose_name_plural = _("group features")

    def __str__(self) -> str:
        return f"{self.group.name}: {self.title}"


class FeatureQA(models.Model):
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    class Meta:
        db_table = "community_featureqa"
        ordering = ["order", "id"]
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")

    def __str__(self) -> str:
        return f"Q{self.order} {self.question}"


class Proposal(models.Model):
    """A collaboration proposal sent to a group from its public page and relayed by e-mail."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("group")
    )
    sender_name = models.CharField(_("your name"), max_length=100)
    sender_email = models.EmailField(_("your e-mail address"))
    organisation = models.CharField(_("your organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        db_table = "community_proposal"
        ordering = ["-created_at", "-id"]
        verbose_name = _("collaboration proposal")
        verbose_name_plural = _("collaboration proposals")

    def __str__(self) -> str:
        return f"{self.sender_name} → {self.group.name}"

    @property
    def reference(self) -> str:
        """The 受付番号 of the proposal (P for proposals)."""
        return f"P{self.pk:06d}"
