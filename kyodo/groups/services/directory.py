"""The public group directory: its search keys, the interviews (features) and collaboration proposals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from kyodo.core import audit, notify, ratelimit
from kyodo.core.errors import RateLimited
from kyodo.core.mail import Addressee, names_by_email
from kyodo.groups.models import Feature, Group, Proposal, search_key_for
from kyodo.groups.services.membership import is_member


def refresh_search_keys() -> int:
    """Repair the search keys an update bypassing Group.save() left stale; returns how many changed."""
    changed = 0
    for pk, name, kana, key in Group.objects.values_list("pk", "name", "kana", "search_key"):
        fresh = search_key_for(name, kana)
        if fresh != key:
            Group.objects.filter(pk=pk).update(search_key=fresh)
            changed += 1
    return changed


def published_features() -> QuerySet[Feature]:
    return Feature.objects.published().select_related("group")


def save_feature(user: Any, feature: Feature, change: bool) -> Feature:
    if not user.is_staff:
        raise PermissionDenied
    feature.full_clean()
    feature.save()
    audit.record(user, "feature.edit" if change else "feature.create", feature)
    return feature


@transaction.atomic
def send_proposal(group_id: int, data: Mapping[str, Any], ip: str = "") -> Proposal:
    """Relay a proposal to a listed group's mail recipients. The sender never sees their addresses; the
    group replies to the sender's address (Reply-To). Rate limited per IP address and per sender address."""
    group = Group.objects.listed().filter(pk=group_id).first()
    if group is None:
        raise Http404
    email = (data.get("sender_email") or "").strip().lower()
    if not ratelimit.hit("proposal_ip", ip or "unknown") or not ratelimit.hit("proposal_email", email):
        raise RateLimited(_("Too many proposals were sent. Please try again later."))
    proposal = Proposal(
        group=group,
        sender_name=(data.get("sender_name") or "").strip(),
        sender_email=email,
        organisation=(data.get("organisation") or "").strip(),
        message=(data.get("message") or "").strip(),
    )
    proposal.full_clean()
    proposal.save()
    group_url = notify.absolute_url(reverse("groups:detail", args=[group.pk]))
    recipients = group.mail_recipients()
    names = names_by_email(r.email for r in recipients)
    for recipient in recipients:
        notify.send(
            "groups/email/proposal",
            recipient.email,
            {"proposal": proposal, "group": group, "group_url": group_url},
            language=recipient.language,
            reply_to=[proposal.sender_email],
            addressee=Addressee(name=names.get(recipient.email.lower(), ""), organisation=group.name),
        )
    return proposal


def proposals_for(user: Any, group: Group) -> QuerySet[Proposal]:
    """Proposals a group received: for its members and staff only."""
    if not (user.is_authenticated and (user.is_staff or is_member(user, group))):
        return Proposal.objects.none()
    return group.proposals.all()
