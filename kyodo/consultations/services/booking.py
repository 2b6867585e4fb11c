"""Booking a consultation (the person, or staff on someone's behalf) and confirming a 仮受付."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.consultations.models import Consultation, Topic
from kyodo.consultations.services import holding, mail
from kyodo.consultations.services.checks import (
    Actor,
    check_coordinator,
    check_rate_limits,
    clean_choice,
    clean_person,
    parse_start,
)
from kyodo.consultations.services.offer import settings_for
from kyodo.core import audit
from kyodo.core.models import Location, User


def _checked(topic: Topic | int | str, mode: str, data: Mapping[str, Any], start: dt.datetime | str,
             coordinator: User | None, by_staff: bool) -> tuple[Topic, str, dict[str, str], dt.datetime]:  # fmt: skip
    """Every check of the input at once, so that the person sees every mistake in one answer."""
    errors: dict[str, list[str]] = {}
    checks: dict[str, Callable[[], object]] = {
        "choice": lambda: clean_choice(topic, mode),
        "person": lambda: clean_person(data, by_staff),
        "start": lambda: parse_start(start),
        "coordinator": lambda: check_coordinator(coordinator),
    }
    results: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            results[name] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    (found, chosen_mode), person, when = results["choice"], results["person"], results["start"]
    return found, chosen_mode, person, when


def book(location: Location, start: dt.datetime | str, mode: str, topic: Topic | int | str,
         data: Mapping[str, Any], *, user: User | AnonymousUser | None = None, actor: Actor = None,
         ip: str | None = None, language: str = "ja", coordinator: User | None = None,
         now: dt.datetime | None = None) -> Consultation:  # fmt: skip
    """Book a consultation. Public (actor None): consent, notice, honeypot and rate limits apply.
    Staff booking on someone's behalf (actor is staff): no consent or notice, may pick the coordinator."""
    by_staff = actor is not None and actor.is_staff
    if actor is not None and not by_staff:
        raise PermissionDenied
    if data.get("website"):  # the honeypot field people never see
        raise ValidationError(_("Your booking could not be accepted. Please call us instead."))
    topic, mode, person, start = _checked(topic, mode, data, start, coordinator, by_staff)
    if not by_staff:
        check_rate_limits(ip, person["email"])
    now = now or timezone.now()
    conf = settings_for(location)
    pending = conf.require_email_confirmation and not by_staff
    with transaction.atomic():
        holding.lock_coordinators(location, start, coordinator)
        slot = holding.find_free_slot(location, start, now, by_staff, coordinator)
        chosen = holding.pick_coordinator(slot)
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
            meeting_url=holding.meeting_url_of(chosen) if mode == Consultation.Mode.ONLINE else "",
            created_by=actor if isinstance(actor, User) else None,  # None: the person books themself
            **person,
        )
        if pending:
            consultation.save()
            mail.send(consultation, "confirm_email")
        else:
            holding.save_holding(consultation)
            mail.send(consultation, "booked", ics_status="CONFIRMED")
        if by_staff:
            audit.record(actor, "consultation.book", consultation)
    return consultation


def confirm_email(consultation: Consultation, now: dt.datetime | None = None) -> Consultation:
    """The person confirmed their e-mail address (the setting is on): the booking now holds its time."""
    now = now or timezone.now()
    with transaction.atomic():
        holding.lock_coordinators(consultation.location, consultation.start)
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.is_active:
            return consultation  # confirmed already (the link was opened twice)
        if not consultation.is_pending:
            raise ValidationError(_("This booking has lapsed or was cancelled. Please book again."))
        if not consultation.can_confirm(now):
            raise ValidationError(_("This time has passed. Please book again."))
        slot = holding.find_free_slot(consultation.location, consultation.start, now, False)
        consultation.coordinator_id = holding.pick_coordinator(slot, prefer=consultation.coordinator_id)
        if consultation.mode == Consultation.Mode.ONLINE:
            consultation.meeting_url = holding.meeting_url_of(consultation.coordinator_id)
        consultation.status = Consultation.Status.BOOKED
        holding.save_holding(consultation)
        mail.send(consultation, "booked", ics_status="CONFIRMED")
    return consultation
