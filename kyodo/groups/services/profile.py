"""A group's profile, public in the directory when the group is listed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kyodo.core import audit
from kyodo.groups.models import ActivityField, Group
from kyodo.groups.services.membership import can_manage, is_member

PROFILE_FIELDS = [
    "name", "kana", "representative", "contact_name", "contact_email", "contact_phone", "area",
    "member_count", "description", "website", "sns", "listed", "seeks_collaboration", "collaboration_note",
]  # fmt: skip


@transaction.atomic
def update_profile(
    user: Any, group: Group, data: Mapping[str, Any], fields: Iterable[ActivityField] | None = None
) -> Group:
    """Only the group's managers (and staff) change its profile."""
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
