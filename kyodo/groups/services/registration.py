"""A group's registration: the application, and staff's approval or decline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.core import audit, locking, notify
from kyodo.core.mail import Addressee, names_by_email
from kyodo.core.models import OutboundEmail, User
from kyodo.groups.models import ActivityField, Group, Membership
from kyodo.groups.services.profile import PROFILE_FIELDS


def _staff_emails() -> list[str]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


DIGEST_TEMPLATE = "groups/email/pending_digest"


@transaction.atomic
def waiting_application(user: Any) -> Group | None:
    """The person's application still under review (審査中), if any: one may wait at a time."""
    if not user.is_authenticated:
        return None
    found: Group | None = Group.objects.pending().filter(created_by=user).order_by("-created_at").first()
    return found


def apply(user: Any, data: Mapping[str, Any], fields: Iterable[ActivityField] = ()) -> Group:
    """A signed-in user applies to register a group; they become its first manager. One application may
    wait at a time (issue 18: one person could flood staff's review list). Staff hear of it in the daily
    digest (send_pending_digest), not by a mail per application."""
    locking.lock_one(User.objects.filter(pk=user.pk))  # two parallel applications count each other
    if waiting_application(user) is not None:
        raise ValidationError(
            _("You already have an application waiting for review. Please wait for the answer from staff.")
        )
    group = Group(created_by=user, status=Group.Status.PENDING)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(group, name, data[name])
    group.full_clean()
    group.save()
    group.fields.set(fields)
    Membership.objects.create(group=group, user=user, role=Membership.Role.MANAGER)
    notify.send(
        "groups/email/application_received",
        user.email,
        {"group": group, "user": user},
        language=notify.language_of(user),
        addressee=Addressee(name=user.name, organisation=group.name),
    )
    return group


def _review(staff_user: Any, group_id: int, status: str, reason: str = "") -> tuple[Group, bool]:
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


def _mail_group(group: Group, template: str) -> None:
    """The decision goes wherever the group's mail goes (Group.mail_recipients)."""
    group_url = notify.absolute_url(reverse("groups:detail", args=[group.pk]))
    recipients = group.mail_recipients()
    names = names_by_email(r.email for r in recipients)
    for recipient in recipients:
        notify.send(
            template,
            recipient.email,
            {"group": group, "group_url": group_url},
            language=recipient.language,
            addressee=Addressee(name=names.get(recipient.email.lower(), ""), organisation=group.name),
        )


@transaction.atomic
def approve(staff_user: Any, group_id: int) -> Group:
    group, changed = _review(staff_user, group_id, Group.Status.APPROVED)
    if changed:
        audit.record(staff_user, "group.approve", group)
        _mail_group(group, "groups/email/approved")
    return group


@transaction.atomic
def decline(staff_user: Any, group_id: int, reason: str) -> Group:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for declining.")})
    group, changed = _review(staff_user, group_id, Group.Status.DECLINED, reason)
    if changed:
        audit.record(staff_user, "group.decline", group, reason)
        _mail_group(group, "groups/email/declined")
    return group


def send_pending_digest(today: dt.date) -> int:
    """Once a day, one mail to staff listing the applications that came in since the last digest (none:
    no mail). The dedupe key makes a second run on the same day send nothing. Returns how many it lists."""
    last = OutboundEmail.objects.filter(template=DIGEST_TEMPLATE).order_by("-created_at").first()
    new = Group.objects.pending().order_by("created_at", "pk")
    if last is not None:
        new = new.filter(created_at__gt=last.created_at)
    groups = list(new)
    staff = _staff_emails()
    if not groups or not staff:
        return 0
    rows = [(group, notify.absolute_url(reverse("groups:review", args=[group.pk]))) for group in groups]
    notify.send(
        DIGEST_TEMPLATE,
        staff,
        {"rows": rows, "today": today},
        dedupe_key=f"groups-pending-digest:{today}",
        addressee=Addressee(staff=True),
    )
    return len(groups)
