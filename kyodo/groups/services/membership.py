"""Who may do what in a group, and how people join and leave it.

Roles: a group's managers (the applicant who registered it, and whoever staff make one) invite
members, edit the public profile and remove members; every member sees the group's private page,
requests equipment and submits events. Staff may do everything for any group."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit, notify
from kyodo.core.mail import Addressee
from kyodo.core.models import User
from kyodo.groups.models import INVITATION_DAYS, Group, Invitation, Membership


def invalid_invitation_message() -> str:
    return _("This invitation is not valid or has already been used.")


def is_member(user: Any, group: Group) -> bool:
    return bool(user.is_authenticated) and Membership.objects.filter(group=group, user=user).exists()


def is_manager(user: Any, group: Group) -> bool:
    return (
        bool(user.is_authenticated)
        and Membership.objects.filter(group=group, user=user, role=Membership.Role.MANAGER).exists()
    )


def can_manage(user: Any, group: Group) -> bool:
    """A group's managers invite members, edit its profile and remove members; staff may for any group."""
    return bool(user.is_authenticated) and (user.is_staff or is_manager(user, group))


@transaction.atomic
def invite(user: Any, group: Group, email: str) -> Invitation:
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
        addressee=Addressee(name=invitee.name if invitee else ""),
    )
    return invitation


def open_invitation(token: str) -> Invitation | None:
    """The invitation behind a link, if it may still be accepted."""
    return Invitation.objects.open().select_related("group").filter(token=token).first()


@transaction.atomic
def accept_invitation(user: Any, token: str) -> Group:
    invitation = Invitation.objects.select_for_update().select_related("group").filter(token=token).first()
    if invitation is None or not invitation.is_open():
        raise ValidationError(invalid_invitation_message())
    # A forwarded link must not let someone else in: only the invited address may accept. The message
    # does not name that address: whoever holds a forwarded link must not learn it.
    if not invitation.is_for(user.email):
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Please sign in with that address.")
        )
    Membership.objects.get_or_create(group=invitation.group, user=user)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return invitation.group


@transaction.atomic
def remove_member(user: Any, group: Group, membership_id: int) -> Membership:
    """A manager (or staff) removes a membership; the open invitations it sent stop working. The last
    manager stays, so that someone can still run the group."""
    if not can_manage(user, group):
        raise PermissionDenied
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership_id, group=group)
        .first()
    )
    if membership is None:
        raise Http404
    managers = list(
        Membership.objects.select_for_update()
        .filter(group=group, role=Membership.Role.MANAGER)
        .values_list("pk", flat=True)
    )
    if membership.is_manager and managers == [membership.pk]:
        raise ValidationError(_("A group needs at least one manager. Make someone else a manager first."))
    Invitation.objects.open().sent_by(membership.user, group).update(revoked_at=timezone.now())
    membership.delete()
    audit.record(user, "group.remove_member", group, membership.user.email)
    return membership
