"""Booking a consultation (the person, or staff on someone's behalf) and confirming a 仮受付.

An anonymous booking (the location's confirmation setting on, the default) is a 仮受付: it holds its time
only briefly (holding.hold_end) and is confirmed from a single-purpose token that only the mail carries
(stored hashed, used once, expiring with the hold), or by staff calling back a booker who gave a phone
number alone. The page and the API give the booker its 受付番号 and the hold's end, never the manage link:
that link and the .ics come with the confirmation mail. Staff, and a signed-in person booking with their
verified address, book at once."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.consultations.models import Consultation, Topic, token_hash
from kyodo.consultations.services import holding, mail
from kyodo.consultations.services.checks import (
    Actor,
    check_coordinator,
    check_rate_limits,
    clean_choice,
    clean_person,
    parse_start,
    require_staff,
)
from kyodo.consultations.services.offer import settings_for
from kyodo.core import audit
from kyodo.core.models import Location, User


def _checked(topic: Topic | int | str, mode: str, data: Mapping[str, Any], start: dt.datetime | str,
             coordinator: User | None, by_staff: bool,
             language: str = "ja") -> tuple[Topic, str, dict[str, str], dt.datetime]:  # fmt: skip
    """Every check of the input at once, so that the person sees every mistake in one answer."""
    errors: dict[str, list[str]] = {}
    checks: dict[str, Callable[[], object]] = {
        "choice": lambda: clean_choice(topic, mode),
        "person": lambda: clean_person(data, by_staff, mode=mode, language=language),
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


def _verified(user: User | AnonymousUser | None, email: str) -> bool:
    """The signed-in person books with one of their own verified addresses."""
    if user is None or not user.is_authenticated or not email:
        return False
    verified: bool = EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()
    return verified


def book(location: Location, start: dt.datetime | str, mode: str, topic: Topic | int | str,
         data: Mapping[str, Any], *, user: User | AnonymousUser | None = None, actor: Actor = None,
         ip: str | None = None, language: str = "ja", coordinator: User | None = None,
         now: dt.datetime | None = None) -> Consultation:  # fmt: skip
    """Book a consultation. Public (actor None): consent, notice, honeypot, rate limits and 仮受付 apply.
    Staff booking on someone's behalf (actor is staff): no consent or notice, may pick the coordinator."""
    by_staff = actor is not None and actor.is_staff
    if actor is not None and not by_staff:
        raise PermissionDenied
    if data.get("website"):  # the honeypot field people never see
        raise ValidationError(_("Your booking could not be accepted. Please call us instead."))
    topic, mode, person, start = _checked(topic, mode, data, start, coordinator, by_staff, language)
    if not by_staff:
        check_rate_limits(location, ip, person["email"], person["phone"])
    now = now or timezone.now()
    conf = settings_for(location)
    pending = not by_staff and conf.require_email_confirmation and not _verified(user, person["email"])
    token = secrets.token_urlsafe(32) if pending and person["email"] else ""
    with transaction.atomic():
        holding.lock_coordinators(location, start, coordinator, now)
        slot = holding.find_free_slot(location, start, now, by_staff, coordinator)
        if pending:
            holding.check_hold_share(location, slot.start, now)
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
            held_until=holding.hold_end(location, slot.start, now, not token) if pending else None,
            confirm_token_hash=token_hash(token) if token else "",
            meeting_url=holding.meeting_url_of(chosen) if mode == Consultation.Mode.ONLINE else "",
            created_by=actor if isinstance(actor, User) else None,  # None: the person books themself
            **person,
        )
        holding.save_holding(consultation)
        if token:
            mail.send_confirmation(consultation, token)
        elif not pending:
            mail.send(consultation, "booked", ics_status="CONFIRMED")
        if by_staff:
            audit.record(actor, "consultation.book", consultation)
    return consultation


def confirmation_for(token: str) -> Consultation | None:
    """The 仮受付 a mailed confirmation token names; None when unknown or already used."""
    if not token:
        return None
    found = Consultation.objects.select_related("location", "topic").filter(
        confirm_token_hash=token_hash(token)
    )
    return found.first()


def confirm_email(token: str, now: dt.datetime | None = None) -> Consultation:
    """The person opened the mail's link and pressed the button: the 仮受付 is booked, and the booked mail
    brings the manage link and the .ics. The token works once, and only while the hold lasts."""
    consultation = confirmation_for(token)
    if consultation is None:
        raise ValidationError(
            _(
                "This confirmation link is not valid, or was used already. If you confirmed your booking, the mail we sent then has the link to view, change or cancel it."
            )
        )
    return _confirm(consultation, now)


def confirm_by_staff(
    consultation: Consultation, *, actor: Any, now: dt.datetime | None = None
) -> Consultation:
    """Staff called back the person of a 仮受付 (a phone number alone) and confirm it."""
    require_staff(actor)
    consultation = _confirm(consultation, now)
    audit.record(actor, "consultation.confirm", consultation)
    return consultation


def _confirm(consultation: Consultation, now: dt.datetime | None = None) -> Consultation:
    now = now or timezone.now()
    with transaction.atomic():
        holding.lock_coordinators(consultation.location, consultation.start, now=now)
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.is_active:
            return consultation  # confirmed already
        if not consultation.is_pending:
            raise ValidationError(_("This booking has lapsed or was cancelled. Please book again."))
        if not consultation.can_confirm(now):
            raise ValidationError(_("This time has passed. Please book again."))
        slot = holding.find_free_slot(
            consultation.location, consultation.start, now, True, exclude_booking_id=consultation.pk
        )
        consultation.coordinator_id = holding.pick_coordinator(slot, prefer=consultation.coordinator_id)
        if consultation.mode == Consultation.Mode.ONLINE:
            consultation.meeting_url = holding.meeting_url_of(consultation.coordinator_id)
        consultation.status = Consultation.Status.BOOKED
        consultation.held_until = None
        consultation.confirm_token_hash = ""  # single-purpose: it confirmed, it opens nothing now
        holding.save_holding(consultation)
        mail.send(consultation, "booked", ics_status="CONFIRMED")
    return consultation
