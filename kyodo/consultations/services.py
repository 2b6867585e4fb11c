"""Every rule of consultation booking. Pages, the API, commands and the admin call only these.

Never a double booking: each write that takes a coordinator's time runs in a transaction that first
locks the coordinators' user rows (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
transaction already holds the database's write lock), then recomputes the slot from committed data,
then writes. On PostgreSQL an exclusion constraint is the safety net (migration 0002).
"""

import calendar as pycalendar
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.consultations import slots as slotlib
from kyodo.consultations.inputs import PersonInput, StaffNotesInput
from kyodo.consultations.models import (
    Consultation,
    ConsultationSettings,
    CoordinatorHours,
    CoordinatorProfile,
    Topic,
    new_manage_token,
)
from kyodo.core import audit, ics, notify, ratelimit
from kyodo.core.calendar import default_location
from kyodo.core.errors import RateLimited, Unavailable
from kyodo.core.inputs import in_date_range
from kyodo.core.models import Location

# --- What can be booked ------------------------------------------------------------------------------


def active_topics():
    return Topic.objects.filter(active=True)


def booking_locations():
    """Locations where at least one coordinator has hours."""
    ids = CoordinatorHours.objects.values_list("location_id", flat=True)
    return Location.objects.filter(pk__in=ids)


def public_location(location_id=None):
    """The location a public booking is for: the one asked for, else the first with coordinators."""
    locations = booking_locations()
    if location_id not in (None, ""):
        try:
            return locations.get(pk=int(location_id))
        except (ValueError, TypeError, Location.DoesNotExist):
            raise ValidationError({"location": _("Please choose a location.")}) from None
    found = locations.first() or default_location()
    if found is None:  # a fresh installation without any location yet
        raise Http404
    return found


def settings_for(location):
    return ConsultationSettings.for_location(location)


def public_slots(location, start_date, end_date, now=None, exclude=None):
    """Slots offered to the public between two dates (notice and horizon applied).
    `exclude`: a booking being moved, whose own time counts as free."""
    return slotlib.slots_for(
        location, start_date, end_date, now or timezone.now(), exclude_booking_id=exclude
    )


def bookable_days(location, now=None, exclude=None):
    """Dates with at least one free slot, from today to the end of the horizon."""
    now = now or timezone.now()
    conf = settings_for(location)
    today = timezone.localdate(now)
    found = []
    end = today + dt.timedelta(days=conf.horizon_days)
    for slot in slotlib.slots_for(location, today, end, now, conf, exclude_booking_id=exclude):
        day = timezone.localdate(slot.start)
        if slot.free and (not found or found[-1] != day):
            found.append(day)
    return found


# --- Validation shared by every door ----------------------------------------------------------------


PERSON_TEXT = ("name", "kana", "email", "phone", "group_name", "message")


def clean_person(data: Mapping[str, Any], by_staff: bool = False) -> dict[str, str]:
    """The person's details, stripped and checked: the limits of PersonInput, then the rules of who books.
    Raises ValidationError with per-field messages; every door (form, staff form, API) asks this."""
    given = {name: data[name] for name in PersonInput.model_fields if data.get(name) is not None}
    errors: dict[str, list[str]] = {}
    try:
        person = PersonInput.parse(given).model_dump()
    except ValidationError as exc:
        errors.update(exc.message_dict)
        person = {name: str(given.get(name, "")).strip() for name in PERSON_TEXT}
        person["consent"] = bool(given.get("consent"))
    person["email"] = person["email"].lower()

    def rule(field: str, message: str) -> None:
        errors.setdefault(field, [message])  # a field past its limit keeps that one message

    if not person["name"]:
        rule("name", _("Please enter your name."))
    if not person["kana"] and not by_staff:
        rule("kana", _("Please enter your name in furigana."))
    if person["email"]:
        try:
            validate_email(person["email"])
        except ValidationError:
            rule("email", _("Please enter a valid e-mail address."))
    elif not by_staff:
        rule("email", _("Please enter your e-mail address."))
    elif not person["phone"]:
        rule("phone", _("Please enter an e-mail address or a phone number."))
    if not by_staff and not person["consent"]:
        rule("consent", _("Please agree to the privacy notice."))
    if errors:
        raise ValidationError(errors)
    return {name: person[name] for name in PERSON_TEXT}


def clean_choice(topic, mode):
    errors = {}
    if mode not in Consultation.Mode.values:
        errors["mode"] = [_("Please choose how you want to talk.")]
    topic_id = getattr(topic, "pk", topic)
    found = None
    try:
        found = active_topics().filter(pk=int(topic_id)).first() if topic_id not in (None, "") else None
    except (TypeError, ValueError):
        found = None
    if found is None:
        errors["topic"] = [_("Please choose a topic.")]
    if errors:
        raise ValidationError(errors)
    return found, mode


def parse_start(value):
    """An ISO 8601 start time (naive means Asia/Tokyo) → an aware datetime, or ValidationError."""
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            raise ValidationError({"start": _("Please choose a time.")}) from None
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=slotlib.TOKYO)
    if not in_date_range(parsed.date()):
        raise ValidationError({"start": _("Please choose a time.")})
    return parsed


def _check_rate_limits(ip, email):
    if ip and not ratelimit.hit("consultation_ip", ip):
        raise RateLimited(
            _("Too many bookings from your connection. Please try again in an hour, or call us.")
        )
    if email and not ratelimit.hit("consultation_email", email):
        raise RateLimited(
            _("Too many bookings with this e-mail address. Please try again in an hour, or call us.")
        )


# --- Locking and the re-check inside the lock ----------------------------------------------------------


def _lock_coordinators():
    """Lock every coordinator's row, in id order (no deadlocks). Call inside transaction.atomic()."""
    users = get_user_model().objects.select_for_update().filter(is_coordinator=True).order_by("pk")
    return list(users.values_list("pk", flat=True))


def _slot_at(location, start, now, exclude_booking_id=None, ignore_notice=False, coordinator_ids=None):
    day = timezone.localdate(start)
    for slot in slotlib.slots_for(
        location,
        day,
        day,
        now,
        exclude_booking_id=exclude_booking_id,
        ignore_notice=ignore_notice,
        coordinator_ids=coordinator_ids,
    ):
        if slot.start == start:
            return slot
    return None


def _taken_message():
    return _("Sorry, this time was just taken. Please choose another time.")


def _pick_coordinator(slot, prefer=None):
    """The preferred coordinator if free, else the one with the fewest bookings that day (then by id)."""
    if prefer is not None and prefer in slot.coordinator_ids:
        return prefer
    local = timezone.localtime(slot.start)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = {pk: 0 for pk in slot.coordinator_ids}
    held = Consultation.objects.active().starting_between(day_start, day_start + dt.timedelta(days=1))
    for pk in held.filter(coordinator_id__in=slot.coordinator_ids).values_list("coordinator_id", flat=True):
        counts[pk] += 1
    return min(slot.coordinator_ids, key=lambda pk: (counts[pk], pk))


def _find_free_slot(location, start, now, by_staff, coordinator=None, exclude_booking_id=None):
    ids = [coordinator.pk] if coordinator is not None else None
    slot = _slot_at(location, start, now, exclude_booking_id, ignore_notice=by_staff, coordinator_ids=ids)
    if slot is None:
        raise ValidationError(
            {"start": _("This time cannot be booked. Please choose one of the times shown.")}
        )
    if not slot.free:
        raise Unavailable(_taken_message())
    return slot


def _save_holding(consultation, update_fields=None):
    """Save a booking that holds time; the PostgreSQL constraint turns a missed overlap into 409."""
    try:
        with transaction.atomic():
            consultation.save(update_fields=update_fields)
    except IntegrityError as exc:
        if "consultation_no_overlap" in str(exc):
            raise Unavailable(_taken_message()) from exc
        raise


def _meeting_url_of(coordinator_id):
    profile = CoordinatorProfile.objects.filter(coordinator_id=coordinator_id).first()
    return profile.meeting_url if profile else ""


# --- Booking -------------------------------------------------------------------------------------------


def book(location, start, mode, topic, data, *, user=None, actor=None, ip=None, language="ja", coordinator=None,
         now=None):  # fmt: skip
    """Book a consultation. Public (actor None): consent, notice, honeypot and rate limits apply.
    Staff booking on someone's behalf (actor is staff): no consent or notice, may pick the coordinator."""
    by_staff = actor is not None and actor.is_staff
    if actor is not None and not by_staff:
        raise PermissionDenied
    if data.get("website"):  # the honeypot field people never see
        raise ValidationError(_("Your booking could not be accepted. Please call us instead."))
    errors = {}
    try:
        topic, mode = clean_choice(topic, mode)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        person = clean_person(data, by_staff)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        start = parse_start(start)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if coordinator is not None and not coordinator.is_coordinator:
        errors["coordinator"] = [_("Please choose a coordinator.")]
    if errors:
        raise ValidationError(errors)
    if not by_staff:
        _check_rate_limits(ip, person["email"])
    now = now or timezone.now()
    conf = settings_for(location)
    pending = conf.require_email_confirmation and not by_staff
    with transaction.atomic():
        _lock_coordinators()
        slot = _find_free_slot(location, start, now, by_staff, coordinator)
        chosen = _pick_coordinator(slot)
        consultation = Consultation(
            location=location,
            coordinator_id=chosen,
            topic=topic,
            mode=mode,
            start=slot.start,
            end=slot.end,
            blocked_until=slot.end + dt.timedelta(minutes=conf.buffer_minutes),
            language=language if language in ("ja", "en") else "ja",
            user=user if user is not None and user.is_authenticated else None,
            status=Consultation.Status.PENDING if pending else Consultation.Status.BOOKED,
            meeting_url=_meeting_url_of(chosen) if mode == Consultation.Mode.ONLINE else "",
            created_by=actor,
            **person,
        )
        if pending:
            consultation.save()
            _mail(consultation, "confirm_email")
        else:
            _save_holding(consultation)
            _mail(consultation, "booked", ics_status="CONFIRMED")
        if by_staff:
            audit.record(actor, "consultation.book", consultation)
    return consultation


def confirm_email(consultation, now=None):
    """The person confirmed their e-mail address (the setting is on): the booking now holds its time."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_coordinators()
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.is_active:
            return consultation  # confirmed already (the link was opened twice)
        if not consultation.is_pending:
            raise ValidationError(_("This booking has lapsed or was cancelled. Please book again."))
        if not consultation.can_confirm(now):
            raise ValidationError(_("This time has passed. Please book again."))
        slot = _find_free_slot(consultation.location, consultation.start, now, False)
        consultation.coordinator_id = _pick_coordinator(slot, prefer=consultation.coordinator_id)
        if consultation.mode == Consultation.Mode.ONLINE:
            consultation.meeting_url = _meeting_url_of(consultation.coordinator_id)
        consultation.status = Consultation.Status.BOOKED
        _save_holding(consultation)
        _mail(consultation, "booked", ics_status="CONFIRMED")
    return consultation


def move(consultation, new_start, *, actor=None, coordinator=None, now=None):
    """Move a booking to another time. The person (actor None, from their private link) may move it to
    any offered time; staff may also move it inside the notice period and choose the coordinator."""
    by_staff = _check_actor(actor)
    now = now or timezone.now()
    new_start = parse_start(new_start)
    if coordinator is not None and not coordinator.is_coordinator:
        raise ValidationError({"coordinator": _("Please choose a coordinator.")})
    with transaction.atomic():
        _lock_coordinators()
        consultation = (
            Consultation.objects.select_for_update(of=("self",))
            .select_related("location")
            .get(pk=consultation.pk)
        )
        if not consultation.can_move(now, by_staff):
            raise ValidationError(_("This booking can no longer be changed."))
        if consultation.start == new_start and coordinator in (None, consultation.coordinator):
            return consultation  # already there: nothing to change or to mail
        conf = settings_for(consultation.location)
        slot = _find_free_slot(
            consultation.location, new_start, now, by_staff, coordinator, exclude_booking_id=consultation.pk
        )
        chosen = _pick_coordinator(slot, prefer=consultation.coordinator_id)
        old = timezone.localtime(consultation.start)
        if chosen != consultation.coordinator_id and consultation.mode == Consultation.Mode.ONLINE:
            consultation.meeting_url = _meeting_url_of(chosen)
        consultation.coordinator_id = chosen
        consultation.start = slot.start
        consultation.end = slot.end
        consultation.blocked_until = slot.end + dt.timedelta(minutes=conf.buffer_minutes)
        consultation.reminder_sent_at = None
        consultation.sequence += 1
        _save_holding(consultation)
        if not consultation.is_pending:  # a 仮受付 has had no booking mail to update
            _mail(consultation, "moved", ics_status="CONFIRMED", extra={"old_start": old})
        if by_staff:
            audit.record(actor, "consultation.move", consultation, f"{old:%Y-%m-%d %H:%M} →")
    return consultation


def cancel(consultation, *, actor=None, now=None):
    """Cancel: the person from their private link (before it starts), or staff at any time."""
    by_staff = _check_actor(actor)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.is_cancelled:
            return consultation
        if not consultation.can_cancel(now, by_staff):
            raise ValidationError(_("This booking can no longer be changed."))
        was_pending = consultation.is_pending
        consultation.status = Consultation.Status.CANCELLED
        consultation.sequence += 1
        consultation.save(update_fields=["status", "sequence"])
        if not was_pending:
            _mail(consultation, "cancelled", ics_status="CANCELLED")
        if by_staff:
            audit.record(actor, "consultation.cancel", consultation)
    return consultation


def reassign(consultation, coordinator, *, actor):
    """Staff: give the booking to another coordinator at the same time. It is a move that keeps the time,
    so the same checks apply (their hours, days off, other bookings and buffer), the person gets the new
    meeting link and an updated .ics, and the reminder goes out again."""
    _require_staff(actor)
    if coordinator is None or not coordinator.is_coordinator or not coordinator.is_active:
        raise ValidationError({"coordinator": _("Please choose a coordinator.")})
    if consultation.coordinator_id == coordinator.pk:
        return consultation
    if not consultation.can_reassign():
        raise ValidationError(_("This booking can no longer be changed."))
    previous = consultation.coordinator
    consultation = move(consultation, consultation.start, actor=actor, coordinator=coordinator)
    audit.record(actor, "consultation.reassign", consultation, f"{previous} → {coordinator}")
    return consultation


def mark(consultation, status, *, actor, now=None):
    """Staff: after it started, record that the consultation was held or that nobody came."""
    _require_staff(actor)
    if status not in Consultation.OUTCOMES:
        raise ValidationError(_("Unknown status."))
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if not consultation.is_active:
            raise ValidationError(_("This booking can no longer be changed."))
        if not consultation.has_started(now):
            raise ValidationError(_("This can be recorded once the consultation has started."))
        consultation.status = status
        consultation.save(update_fields=["status"])
        audit.record(actor, f"consultation.mark_{status}", consultation)
    return consultation


def update_staff_fields(consultation, *, actor, staff_notes=None, meeting_url=None):
    """Staff: internal notes (never shown to the person) and the online meeting link."""
    _require_staff(actor)
    given = {"staff_notes": staff_notes, "meeting_url": meeting_url}
    given = {name: value for name, value in given.items() if value is not None}
    checked = StaffNotesInput.parse(given)
    fields = {name: getattr(checked, name) for name in given}
    if fields.get("meeting_url"):
        try:
            URLValidator(schemes=["https", "http"])(fields["meeting_url"])
        except ValidationError:
            raise ValidationError({"meeting_url": _("Please enter a valid link (https://…).")}) from None
    with transaction.atomic():
        Consultation.objects.filter(pk=consultation.pk).update(**fields)
        consultation.refresh_from_db()
        audit.record(actor, "consultation.edit", consultation, ", ".join(fields))
    return consultation


def _require_staff(actor):
    if actor is None or not actor.is_authenticated or not actor.is_staff:
        raise PermissionDenied


def _check_actor(actor):
    """None: the person themself (through their private link). Otherwise it must be staff."""
    if actor is None:
        return False
    _require_staff(actor)
    return True


# --- Mail ----------------------------------------------------------------------------------------------


def manage_path(consultation, language=None):
    with translation.override(language or consultation.language):
        return reverse("consultations:manage", args=[consultation.manage_token])


def manage_url(consultation):
    return notify.absolute_url(manage_path(consultation))


def _ics(consultation, status):
    with translation.override(consultation.language):
        if consultation.mode == Consultation.Mode.IN_PERSON:
            where = consultation.location.localized_address(consultation.language)
        else:
            where = str(consultation.get_mode_display())
        entry = ics.Entry(
            uid=f"consultation-{consultation.pk}",
            summary=_("Consultation: %(topic)s") % {"topic": consultation.topic.localized_name()},
            start=timezone.localtime(consultation.start, slotlib.TOKYO),
            end=timezone.localtime(consultation.end, slotlib.TOKYO),
            description=manage_url(consultation),
            location=where,
            url=manage_url(consultation),
            status=status,
            sequence=consultation.sequence,
        )
        return ics.attachment([entry], filename="consultation.ics", name=str(_("Consultation")))


def _mail(consultation, template, ics_status=None, extra=None, dedupe_key=None):
    if not consultation.email:
        return None  # booked by phone without an address: staff call instead
    attachments = [_ics(consultation, ics_status)] if ics_status else []
    context = {
        "c": consultation,
        "manage_url": manage_url(consultation),
        "location": consultation.location,
        "topic": consultation.topic,
        **(extra or {}),
    }
    return notify.send(
        f"consultations/email/{template}",
        consultation.email,
        context,
        language=consultation.language,
        attachments=attachments,
        dedupe_key=dedupe_key,
        reply_to=[consultation.location.email] if consultation.location.email else (),
        grants_access=True,  # every booking mail carries the person's private link
    )


# --- Daily work ------------------------------------------------------------------------------------------


def send_reminders(today):
    """E-mail tomorrow's bookings (with the meeting link for online ones). Never twice for one time.

    Today's bookings that have not had a reminder yet (booked after yesterday's run) get theirs now, so
    every online booking receives its meeting link before the time."""
    due = Consultation.objects.due_for_reminder(today, timezone.now()).select_related("location", "topic")
    sent = 0
    for consultation in due:
        with transaction.atomic():
            key = f"consultation-reminder:{consultation.pk}:{consultation.start.isoformat()}"
            if _mail(consultation, "reminder", dedupe_key=key) is not None:
                sent += 1
            Consultation.objects.filter(pk=consultation.pk).update(reminder_sent_at=timezone.now())
    return sent


def expire_pending(now=None):
    """Unconfirmed bookings lapse after a day (or once their time has come): they never held a time."""
    now = now or timezone.now()
    return Consultation.objects.to_lapse(now).update(status=Consultation.Status.CANCELLED)


def months_before(date, months):
    """The same day `months` months earlier (clipped to the month's end: 3/31 - 1 month = 2/28)."""
    year, month = divmod(date.year * 12 + date.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(date.day, pycalendar.monthrange(year, month)[1]))


PERSONAL_FIELDS = {
    "name": "",
    "kana": "",
    "email": "",
    "phone": "",
    "group_name": "",
    "message": "",
    "staff_notes": "",
    "meeting_url": "",
    "user": None,
}


def anonymise_old(today, months=None):
    """Wipe the personal details of bookings older than the period (per location's setting, or `months`).
    Topic, mode, status, location and date stay for the statistics. Returns how many were anonymised."""
    total = 0
    for location in Location.objects.all():
        period = months if months is not None else settings_for(location).anonymise_after_months
        cutoff = dt.datetime.combine(months_before(today, period), dt.time(0), tzinfo=slotlib.TOKYO)
        rows = Consultation.objects.to_anonymise(location, cutoff)
        for pk in list(rows.values_list("pk", flat=True)):
            Consultation.objects.filter(pk=pk).update(
                # A fresh token: the old private link stops working.
                anonymised=True,
                manage_token=new_manage_token(),
                **PERSONAL_FIELDS,
            )
            total += 1
        # The audit log named the person ("date time name"): keep only the booking's number.
        from kyodo.core.models import AuditEntry

        AuditEntry.objects.filter(
            target_type="consultations.consultation",
            target_id__in=[str(pk) for pk in anonymised_ids(location, cutoff)],
        ).exclude(target_repr="").update(target_repr="")
    return total


def anonymised_ids(location, cutoff):
    return Consultation.objects.anonymised_before(location, cutoff).values_list("pk", flat=True)


MODE_HELP = {
    Consultation.Mode.IN_PERSON: gettext_lazy("Come to the center."),
    Consultation.Mode.ONLINE: gettext_lazy("We send you a meeting link before the time."),
    Consultation.Mode.PHONE: gettext_lazy("The coordinator calls you."),
}
