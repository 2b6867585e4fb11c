"""Events and their moderation: a group's members draft and submit, staff publish or return them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.community.feeds import ics_entry
from kyodo.community.models import Event
from kyodo.core import audit, ics, notify
from kyodo.core.dates import format_date
from kyodo.core.errors import Unavailable
from kyodo.core.mail import Addressee
from kyodo.core.models import User
from kyodo.groups.models import Group

EVENT_FIELDS = [
    "title", "title_en", "title_kana", "category", "start_date", "end_date", "start_time", "end_time",
    "venue_name", "venue_address", "venue_extra", "latitude", "longitude", "access", "parking",
    "organizer_name", "description", "fee_basic", "fee_detail", "capacity", "how_to_apply",
    "apply_by_date", "apply_by_time", "url_official", "url_instagram", "url_city", "contact_name",
    "contact_phone", "contact_extension", "note", "status", "postponed_to",
]  # fmt: skip


def submittable_groups(user: Any) -> QuerySet[Group]:
    """The approved groups a user may submit events for (staff: any approved group)."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_staff:
        return Group.objects.approved()
    return Group.objects.approved().of_member(user)


def can_submit(user: Any) -> bool:
    return user.is_authenticated and (user.is_staff or submittable_groups(user).exists())


def can_edit(user: Any, event: Event) -> bool:
    """Staff edit any event; a group's members edit its event until it is submitted or published."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return (
        event.in_preparation
        and event.group_id is not None
        and submittable_groups(user).filter(pk=event.group_id).exists()
    )


def _staff_emails() -> list[str]:
    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


def _event_url(event: Event) -> str:
    return notify.absolute_url(reverse("community:event", args=[event.pk]))


def _apply(event: Event, data: Mapping[str, Any]) -> None:
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, data[name])
    if "image" in data and data["image"] is not None:
        event.image = data["image"] or ""
    if event.status != Event.Status.POSTPONED and "postponed_to" not in data:
        # Back to scheduled (or cancelled): the old new-date no longer applies. A new date sent with
        # another status is refused by Event.clean instead, so nobody loses what they typed unknowingly.
        event.postponed_to = None
    event.updated_at = timezone.now()


def _check_not_past(user: Any, event: Event, submitting: bool) -> None:
    """An event sent for review, or saved by a group's member, may not start in the past (staff may still
    record a past event, or correct one already published)."""
    if not (submitting or not user.is_staff) or not event.start_date:
        return
    today = timezone.localdate()
    if event.held_start_date < today:
        field = "postponed_to" if event.is_moved else "start_date"
        message = _("%(date)s has already passed. Choose today or a later date.") % {
            "date": format_date(event.held_start_date)
        }
        raise ValidationError({field: message})


def _check_group(user: Any, group: Group | None) -> None:
    if group is None:
        if not user.is_staff:
            raise ValidationError({"group": _("Choose the group that organises the event.")})
        return
    if not submittable_groups(user).filter(pk=group.pk).exists():
        raise PermissionDenied


@transaction.atomic
def create_event(
    user: Any,
    data: Mapping[str, Any],
    group: Group | None = None,
    submit: bool = False,
    publish: bool = False,
) -> Event:
    """A member drafts (or submits) an event for their approved group; staff may also publish it at once."""
    if not can_submit(user):
        raise PermissionDenied
    if publish and not user.is_staff:
        raise PermissionDenied
    _check_group(user, group)
    event = Event(group=group, submitted_by=user)
    _apply(event, data)
    _check_not_past(user, event, submitting=submit)
    event.full_clean()
    event.save()
    audit.record(user, "event.create", event)
    if publish:
        _publish(user, event)
    elif submit:
        _submit(user, event)
    return event


def _locked_event(event_id: int) -> Event:
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


@transaction.atomic
def update_event(
    user: Any,
    event_id: int,
    data: Mapping[str, Any],
    group: Group | None = None,
    submit: bool = False,
    publish: bool = False,
) -> Event:
    """Save the changes to an event; its group may also submit it, staff may also publish it."""
    event = _locked_event(event_id)
    if not can_edit(user, event) or (publish and not user.is_staff):
        raise PermissionDenied
    if group is not None and group.pk != event.group_id:
        _check_group(user, group)
        event.group = group
    _apply(event, data)
    _check_not_past(user, event, submitting=submit and event.in_preparation)
    if event.is_published:
        event.sequence += 1  # calendar apps replace their copy only when SEQUENCE grows
    event.full_clean()
    event.save()
    audit.record(user, "event.edit", event)
    if publish and not event.is_published:
        _publish(user, event)
    elif submit and event.in_preparation:
        _submit(user, event)
    return event


def _submitter(event: Event, submitter: Any) -> Addressee:
    """The greeting of a mail to whoever sent the event in: the person, of the organising group."""
    return Addressee(name=submitter.name, organisation=event.group.name if event.group is not None else "")


def _submit(user: Any, event: Event) -> None:
    event.state = Event.State.SUBMITTED
    event.submitted_by = user
    event.save(update_fields=["state", "submitted_by"])
    audit.record(user, "event.submit", event)
    staff = _staff_emails()
    if staff:
        review_url = notify.absolute_url(reverse("community:event_manage"))
        notify.send(
            "community/email/event_submitted_staff",
            staff,
            {"event": event, "review_url": review_url, "event_url": _event_url(event)},
            addressee=Addressee(staff=True),
        )


def _publish(staff_user: Any, event: Event) -> None:
    event.state = Event.State.PUBLISHED
    event.moderation_comment = ""
    event.published_at = timezone.now()
    event.save(update_fields=["state", "moderation_comment", "published_at"])
    audit.record(staff_user, "event.publish", event)
    submitter = event.submitted_by
    if submitter and submitter != staff_user:
        notify.send(
            "community/email/event_published",
            submitter.email,
            {"event": event, "user": submitter, "event_url": _event_url(event)},
            language=notify.language_of(submitter),
            addressee=_submitter(event, submitter),
            attachments=[
                ics.attachment([ics_entry(event)], filename=f"event-{event.pk}.ics", name=event.title)
            ],
        )


@transaction.atomic
def publish_event(staff_user: Any, event_id: int) -> Event:
    if not staff_user.is_staff:
        raise PermissionDenied
    event = _locked_event(event_id)
    if event.is_published:
        raise Unavailable(_("This event is already published."))
    _publish(staff_user, event)
    return event


@transaction.atomic
def return_event(staff_user: Any, event_id: int, comment: str) -> Event:
    """Staff send a submitted event back to its group with a comment saying what to change."""
    if not staff_user.is_staff:
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Please say what should be changed.")})
    event = _locked_event(event_id)
    if not event.is_submitted:
        raise Unavailable(_("Only an event awaiting review can be returned."))
    event.state = Event.State.RETURNED
    event.moderation_comment = comment
    event.save(update_fields=["state", "moderation_comment"])
    audit.record(staff_user, "event.return", event, comment)
    submitter = event.submitted_by
    if submitter:
        edit_url = notify.absolute_url(reverse("community:event_edit", args=[event.pk]))
        notify.send(
            "community/email/event_returned",
            submitter.email,
            {"event": event, "user": submitter, "comment": comment, "edit_url": edit_url},
            language=notify.language_of(submitter),
            addressee=_submitter(event, submitter),
        )
    return event


@transaction.atomic
def cancel_event(user: Any, event_id: int) -> Event:
    """Mark an event 中止 (staff, or its group while it is in preparation): it stays listed as cancelled,
    and calendars that imported it are told (SEQUENCE grows)."""
    event = _locked_event(event_id)
    if not can_edit(user, event):
        raise PermissionDenied
    if event.is_cancelled:
        raise Unavailable(_("This event is already cancelled."))
    event.status = Event.Status.CANCELLED
    event.postponed_to = None
    event.updated_at = timezone.now()
    if event.is_published:
        event.sequence += 1
    event.save(update_fields=["status", "postponed_to", "updated_at", "sequence"])
    audit.record(user, "event.cancel", event)
    return event


@transaction.atomic
def delete_event(user: Any, event_id: int) -> None:
    """Members may delete their group's unpublished draft; staff any event."""
    event = _locked_event(event_id)
    if not can_edit(user, event):
        raise PermissionDenied
    audit.record(user, "event.delete", event)
    event.delete()


def save_event_in_admin(user: Any, event: Event, change: bool) -> Event:
    """The admin is one more door: same validation, SEQUENCE bump and audit as the pages."""
    if not user.is_staff:
        raise PermissionDenied
    if change and event.is_published:
        event.sequence += 1
    if event.status != Event.Status.POSTPONED:
        event.postponed_to = None
    event.updated_at = timezone.now()
    event.full_clean()
    event.save()
    audit.record(user, "event.edit" if change else "event.create", event)
    return event
