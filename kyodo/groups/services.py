"""Group registration, review, membership and invitations. Views, admin and API call only these."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit, notify
from kyodo.core.models import User
from kyodo.groups.models import Group, Invitation, Membership

INVITATION_DAYS = 14
INVITATION_TTL = dt.timedelta(days=INVITATION_DAYS)

PROFILE_FIELDS = [
    "name", "kana", "representative", "contact_name", "contact_email", "contact_phone", "area",
    "member_count", "description", "website", "sns", "listed", "seeks_collaboration", "collaboration_note",
]  # fmt: skip


def is_member(user, group):
    return user.is_authenticated and Membership.objects.filter(group=group, user=user).exists()


def can_manage(user, group):
    """Members edit their group's profile and invite others; staff may do it for any group."""
    return user.is_authenticated and (user.is_staff or is_member(user, group))


def _staff_emails():
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


@transaction.atomic
def apply(user, data, fields=()):
    """A signed-in user applies to register a group; they become its first member (manager)."""
    group = Group(created_by=user, status=Group.Status.PENDING)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(group, name, data[name])
    group.full_clean()
    group.save()
    group.fields.set(fields)
    Membership.objects.create(group=group, user=user, role=Membership.Role.MANAGER)
    review_url = notify.absolute_url(reverse("groups:review", args=[group.pk]))
    staff = _staff_emails()
    if staff:
        notify.send(
            "groups/email/application_received_staff", staff, {"group": group, "review_url": review_url}
        )
    notify.send(
        "groups/email/application_received",
        user.email,
        {"group": group, "user": user},
        language=notify.language_of(user),
    )
    return group


def _review(staff_user, group_id, status, reason=""):
    if not staff_user.is_staff:
        raise PermissionDenied
    group = Group.objects.select_for_update().get(pk=group_id)
    if group.status == status:
        return group, False
    group.status = status
    group.decline_reason = reason
    group.reviewed_at = timezone.now()
    group.save(update_fields=["status", "decline_reason", "reviewed_at"])
    return group, True


def _notify_members(group, template):
    for membership in group.memberships.select_related("user"):
        notify.send(
            template,
            membership.user.email,
            {
                "group": group,
                "user": membership.user,
                "group_url": notify.absolute_url(reverse("groups:detail", args=[group.pk])),
            },
            language=notify.language_of(membership.user),
        )


@transaction.atomic
def approve(staff_user, group_id):
    group, changed = _review(staff_user, group_id, Group.Status.APPROVED)
    if changed:
        audit.record(staff_user, "group.approve", group)
        _notify_members(group, "groups/email/approved")
    return group


@transaction.atomic
def decline(staff_user, group_id, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for declining.")})
    group, changed = _review(staff_user, group_id, Group.Status.DECLINED, reason)
    if changed:
        audit.record(staff_user, "group.decline", group, reason)
        _notify_members(group, "groups/email/declined")
    return group


@transaction.atomic
def update_profile(user, group, data, fields=None):
    if not can_manage(user, group):
        raise PermissionDenied
    changed = []
    for name in PROFILE_FIELDS:
        if name in data and getattr(group, name) != data[name]:
            setattr(group, name, data[name])
            changed.append(name)
    if "logo" in data and data["logo"] is not None:
        group.logo = data["logo"] or ""
        changed.append("logo")
    group.full_clean()
    group.save()
    if fields is not None:
        group.fields.set(fields)
    if user.is_staff and not is_member(user, group):
        audit.record(user, "group.edit", group, ", ".join(changed))
    return group


@transaction.atomic
def invite(user, group, email):
    if not can_manage(user, group):
        raise PermissionDenied
    email = email.strip().lower()
    if group.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member of the group.")})
    invitation = Invitation.objects.create(group=group, email=email, invited_by=user)
    url = notify.absolute_url(reverse("groups:accept_invitation", args=[invitation.token]))
    invitee = User.objects.filter(email__iexact=email).first()
    notify.send(
        "groups/email/invitation",
        email,
        {"group": group, "inviter": user, "url": url, "days": INVITATION_DAYS},
        language=notify.language_of(invitee, notify.language_of(user)),
        grants_access=True,
    )
    return invitation


@transaction.atomic
def accept_invitation(user, token):
    invitation = Invitation.objects.select_for_update().select_related("group").filter(token=token).first()
    if (
        invitation is None
        or invitation.accepted_at
        or invitation.created_at < timezone.now() - INVITATION_TTL
    ):
        raise ValidationError(_("This invitation is not valid or has already been used."))
    # A forwarded link must not let someone else in: only the invited address may accept.
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Please sign in with that address.")
            % {"email": invitation.email}
        )
    Membership.objects.get_or_create(group=invitation.group, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.group


@transaction.atomic
def leave(user, group):
    Membership.objects.filter(group=group, user=user).delete()
