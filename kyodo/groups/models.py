import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.core.i18n import LocalizedNameMixin


def new_token():
    return secrets.token_urlsafe(32)


class ActivityField(LocalizedNameMixin, models.Model):
    """A field of activity (まちづくり, 子育て, 国際交流...), used for registration and directory filters."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")

    def __str__(self):
        return self.localized_name()


class GroupQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Group.Status.APPROVED)

    def listed(self):
        """Approved groups that chose to appear in the public directory."""
        return self.approved().filter(listed=True)

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def visible_to(self, user):
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
    logo = models.ImageField(_("logo"), upload_to="groups/logos/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    listed = models.BooleanField(_("show in the public group directory"), default=True)
    seeks_collaboration = models.BooleanField(_("seeking collaboration"), default=False)
    collaboration_note = models.TextField(_("collaboration we seek"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("applied"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kana", "id"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        indexes = [models.Index(fields=["status", "listed"])]

    def __str__(self):
        return self.name

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    def contact_emails(self):
        """Where mail for the group goes: its contact address and its members' addresses."""
        emails = [self.contact_email] + [m.user.email for m in self.memberships.select_related("user")]
        return list(dict.fromkeys(e for e in emails if e))


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

    def __str__(self):
        return f"{self.user} @ {self.group}"


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

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.group}"
