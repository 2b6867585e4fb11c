"""The audit log: every staff action that changes something calls `record`."""

from kyodo.core.models import AuditEntry


def record(actor, action, target, detail=""):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        detail=detail,
    )


def entries_for(target):
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
