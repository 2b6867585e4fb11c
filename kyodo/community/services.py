"""Every rule of the community app: events and their moderation, the site notice, news, features and
collaboration proposals. Views, the API, admin and commands call only these."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.community.models import Event, Feature, NewsPost, Proposal, SiteNotice, not_over
from kyodo.core import audit, ics, notify, ratelimit
from kyodo.core.errors import Unavailable
from kyodo.core.i18n import in_language
from kyodo.groups.models import Group

EVENT_FIELDS = [
    "title", "title_en", "title_kana", "category", "start_date", "end_date", "start_time", "end_time",
    "venue_name", "venue_address", "venue_extra", "latitude", "longitude", "access", "parking",
    "organizer_name", "description", "fee_basic", "fee_detail", "capacity", "how_to_apply",
    "apply_by_date", "apply_by_time", "url_official", "url_instagram", "url_city", "contact_name",
    "contact_phone", "contact_extension", "note", "status", "postponed_to",
]  # fmt: skip


class RateLimited(Exception):
    """Too many attempts from one address or for one e-mail: answer 429."""


# --- Events ------------------------------------------------------------------------------------------


def submittable_groups(user):
    """The approved groups a user may submit events for (staff: any approved group)."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_staff:
        return Group.objects.approved()
    return Group.objects.approved().of_member(user)


def can_submit(user):
    return user.is_authenticated and (user.is_staff or submittable_groups(user).exists())


def can_edit(user, event):
    """Staff edit any event; a group's members edit its event until it is submitted or published."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    editable = event.state in (Event.State.DRAFT, Event.State.RETURNED)
    return (
        editable
        and event.group_id is not None
        and submittable_groups(user).filter(pk=event.group_id).exists()
    )


def _staff_emails():
    from kyodo.core.models import User

    return list(User.objects.filter(is_staff=True, is_active=True).values_list("email", flat=True))


def _event_url(event):
    return notify.absolute_url(reverse("community:event", args=[event.pk]))


def _apply(event, data):
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


def _check_group(user, group):
    if group is None:
        if not user.is_staff:
            raise ValidationError({"group": _("Choose the group that organises the event.")})
        return
    if not submittable_groups(user).filter(pk=group.pk).exists():
        raise PermissionDenied


@transaction.atomic
def create_event(user, data, group=None, submit=False, publish=False):
    """A member drafts (or submits) an event for their approved group; staff may also publish it at once."""
    if not can_submit(user):
        raise PermissionDenied
    if publish and not user.is_staff:
        raise PermissionDenied
    _check_group(user, group)
    event = Event(group=group, submitted_by=user)
    _apply(event, data)
    event.full_clean()
    event.save()
    audit.record(user, "event.create", event)
    if publish:
        _publish(user, event)
    elif submit:
        _submit(user, event)
    return event


def _locked_event(event_id):
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


@transaction.atomic
def update_event(user, event_id, data, group=None, submit=False):
    event = _locked_event(event_id)
    if not can_edit(user, event):
        raise PermissionDenied
    if group is not None and group.pk != event.group_id:
        _check_group(user, group)
        event.group = group
    _apply(event, data)
    if event.is_published:
        event.sequence += 1  # calendar apps replace their copy only when SEQUENCE grows
    event.full_clean()
    event.save()
    audit.record(user, "event.edit", event)
    if submit and event.state in (Event.State.DRAFT, Event.State.RETURNED):
        _submit(user, event)
    return event


def _submit(user, event):
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
        )


@transaction.atomic
def submit_event(user, event_id):
    event = _locked_event(event_id)
    if not can_edit(user, event):
        raise PermissionDenied
    if event.state not in (Event.State.DRAFT, Event.State.RETURNED):
        raise Unavailable(_("This event has already been submitted."))
    _submit(user, event)
    return event


def _publish(staff_user, event):
    event.state = Event.State.PUBLISHED
    event.moderation_comment = ""
    event.published_at = timezone.now()
    event.save(update_fields=["state", "moderation_comment", "published_at"])
    audit.record(staff_user, "event.publish", event)
    submitter = event.submitted_by
    if submitter and submitter != staff_user:
        from kyodo.community.feeds import ics_entry

        notify.send(
            "community/email/event_published",
            submitter.email,
            {"event": event, "user": submitter, "event_url": _event_url(event)},
            language=notify.language_of(submitter),
            attachments=[
                ics.attachment([ics_entry(event)], filename=f"event-{event.pk}.ics", name=event.title)
            ],
        )


@transaction.atomic
def publish_event(staff_user, event_id):
    if not staff_user.is_staff:
        raise PermissionDenied
    event = _locked_event(event_id)
    if event.is_published:
        raise Unavailable(_("This event is already published."))
    _publish(staff_user, event)
    return event


@transaction.atomic
def return_event(staff_user, event_id, comment):
    """Staff send a submitted event back to its group with a comment saying what to change."""
    if not staff_user.is_staff:
        raise PermissionDenied
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Please say what should be changed.")})
    event = _locked_event(event_id)
    if event.state != Event.State.SUBMITTED:
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
        )
    return event


@transaction.atomic
def delete_event(user, event_id):
    """Members may delete their group's unpublished draft; staff any event."""
    event = _locked_event(event_id)
    if not can_edit(user, event):
        raise PermissionDenied
    audit.record(user, "event.delete", event)
    event.delete()


def save_event_in_admin(user, event, change):
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


# --- Site notice -------------------------------------------------------------------------------------


class UpcomingEvents:
    """Published events not over yet, in date order, sliced like a queryset: upcoming[20:41].

    "Ends today or later, or postponed to a date ahead" is an OR that no index can order, so one query
    made the database read and sort every upcoming event for each page (53 ms a page with 20,000 events
    in the bench). The list is read in two parts instead: events already under way (started before
    today and not over: few, found through the end-date and postponed-to indexes) and events starting
    today or later, read in the order of the (state, start date) index and stopped after the page. The
    order is the same as one ORDER BY start date, start time, id over both. Always two queries, so the
    page makes the same queries on an empty database as on a full one."""

    def __init__(self, events=None, today=None):
        self.today = today or timezone.localdate()
        self.given = events if events is not None else Event.objects.all()
        self.events = self.given.published()

    def running(self):
        """Events that started before today and are not over, or were postponed to a date ahead, in
        the database's date order. Few rows, read through the (state, end date, start date) and (state,
        postponed to) indexes: the query has no ORDER BY and no range on the start date, either of which
        makes SQLite walk the (state, start date) index through every past event instead."""
        today, published = self.today, Event.State.PUBLISHED
        rows = self.given.filter(not_over(today, state=published)).exclude(start_date__gte=today).order_by()
        # Sorted as ORDER BY start_date, start_time, id sorts on this database: a NULL time comes last on
        # PostgreSQL and first on SQLite, and the events starting from today come in that order too.
        nulls_last = connection.features.nulls_order_largest

        def key(event):
            if event.start_time is None:
                return (event.start_date, (1,) if nulls_last else (-1,), event.pk)
            return (event.start_date, (0, event.start_time), event.pk)

        return sorted(rows, key=key)

    def __getitem__(self, part):
        if not isinstance(part, slice) or part.step is not None:
            raise TypeError("UpcomingEvents takes a slice without a step")
        start, stop = part.start or 0, part.stop
        running = list(self.running())
        later = self.events.filter(start_date__gte=self.today)
        skip = max(start - len(running), 0)
        wanted = None if stop is None else max(stop - start, 0)
        later = later[skip:] if wanted is None else later[skip : skip + wanted]
        rows = running[start:stop] + list(later)
        return rows if wanted is None else rows[:wanted]


def notice(key="events"):
    """The standing notice in the current language ("" when there is none)."""
    row = SiteNotice.objects.filter(key=key).first()
    if row is None:
        return ""
    return in_language(row, "text")


@transaction.atomic
def update_notice(user, text, text_en="", key="events"):
    if not (user.is_authenticated and user.is_staff):
        raise PermissionDenied
    row, _created = SiteNotice.objects.select_for_update().get_or_create(key=key)
    row.text = (text or "").strip()
    row.text_en = (text_en or "").strip()
    row.updated_at = timezone.now()
    row.updated_by = user
    row.save()
    audit.record(user, "notice.edit", row, row.text[:200])
    return row


# --- News and features (edited by staff in the admin) -------------------------------------------------


def save_news(user, post, change):
    if not user.is_staff:
        raise PermissionDenied
    if not change:
        post.created_by = user
    post.updated_at = timezone.now()
    post.full_clean()
    post.save()
    audit.record(user, "news.edit" if change else "news.create", post)
    return post


def save_feature(user, feature, change):
    if not user.is_staff:
        raise PermissionDenied
    feature.full_clean()
    feature.save()
    audit.record(user, "feature.edit" if change else "feature.create", feature)
    return feature


def latest_news(limit=3):
    return NewsPost.objects.published()[:limit]


def published_features():
    return Feature.objects.published().select_related("group")


# --- Collaboration proposals --------------------------------------------------------------------------


def _recipients(group):
    """(address, language) for the group's contact address and each member's address."""
    languages = {m.user.email: notify.language_of(m.user) for m in group.memberships.select_related("user")}
    return [(email, languages.get(email, "ja")) for email in group.contact_emails()]


@transaction.atomic
def send_proposal(group_id, data, ip=""):
    """Relay a proposal to a listed group's contacts. The sender never sees their addresses; the group
    replies to the sender's address (Reply-To). Rate limited per IP address and per sender address."""
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
    for address, language in _recipients(group):
        notify.send(
            "community/email/proposal",
            address,
            {"proposal": proposal, "group": group, "group_url": group_url},
            language=language,
            reply_to=[proposal.sender_email],
        )
    return proposal


def proposals_for(user, group):
    """Proposals a group received: for its members and staff only."""
    from kyodo.groups.services import is_member

    if not (user.is_authenticated and (user.is_staff or is_member(user, group))):
        return Proposal.objects.none()
    return group.proposals.all()
