"""The audit log: every staff action that changes something calls `record`."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

from kyodo.core.models import AuditEntry, User


def record(
    actor: AbstractBaseUser | AnonymousUser | None, action: str, target: models.Model, detail: str = ""
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, User) and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        detail=detail,
    )


def entries_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
