"""The checks every door's input goes through before a booking is written (and the rate limits)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.consultations import slots as slotlib
from kyodo.consultations.inputs import PersonInput
from kyodo.consultations.models import Consultation, Topic
from kyodo.consultations.services.offer import active_topics
from kyodo.core import ratelimit
from kyodo.core.errors import RateLimited
from kyodo.core.inputs import in_date_range
from kyodo.core.models import Location, User

PERSON_TEXT = ("name", "kana", "email", "phone", "group_name", "message")

# Who asks for a change: a signed-in user (staff, for the staff doors), or None for the person themself
# through their private link. A page passes request.user, which may be anonymous.
Actor = User | AnonymousUser | None


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
    elif not person["phone"]:  # a phone number alone: staff confirm the 仮受付 by calling back
        rule("email" if not by_staff else "phone", _("Please enter an e-mail address or a phone number."))
    if person["phone"] and len(phone_key(person["phone"])) < MIN_PHONE_DIGITS:
        # Staff call back on this number, and the per-phone limit counts its digits: it must have them.
        rule("phone", _("Please enter a phone number we can call, with its area code (10 digits or more)."))
    if not by_staff and not person["consent"]:
        rule("consent", _("Please agree to the privacy notice."))
    if errors:
        raise ValidationError(errors)
    return {name: person[name] for name in PERSON_TEXT}


def clean_choice(topic: Topic | int | str | None, mode: str) -> tuple[Topic, str]:
    """The topic (an offered one, by instance or id) and the way to talk, or ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if mode not in Consultation.Mode.values:
        errors["mode"] = [_("Please choose how you want to talk.")]
    topic_id = topic.pk if isinstance(topic, Topic) else topic
    found = None
    try:
        if topic_id is not None and topic_id != "":
            found = active_topics().filter(pk=int(topic_id)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        errors["topic"] = [_("Please choose a topic.")]
    if errors:
        raise ValidationError(errors)
    assert found is not None  # noqa: S101  (errors is empty only when found was set)
    return found, mode


def parse_start(value: dt.datetime | str | None) -> dt.datetime:
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


def check_coordinator(coordinator: User | None) -> None:
    """A coordinator chosen by staff must be one (whether they are free is the slot's question)."""
    if coordinator is not None and not coordinator.is_coordinator:
        raise ValidationError({"coordinator": _("Please choose a coordinator.")})


MIN_PHONE_DIGITS = 10  # 076-220-2026, 090-1234-5678: a Japanese number with its area code


def phone_key(phone: str) -> str:
    """A phone number as the limits count it: its digits only (full-width digits too)."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))


def refusal(
    message: str, location: Location, retry_after: int, now: dt.datetime | None = None
) -> RateLimited:
    """A refusal that says when to try again and gives the center's phone number (429, Retry-After)."""
    when = timezone.localtime(now or timezone.now()) + dt.timedelta(seconds=retry_after)
    time = f"{when:%H:%M}" if when.date() == timezone.localdate(now) else f"{when:%Y-%m-%d %H:%M}"
    text = _("%(reason)s Please try again after %(time)s, or call us: %(phone)s.") % {
        "reason": message,
        "time": time,
        "phone": location.phone,
    }
    return RateLimited(text, retry_after=retry_after)


def check_rate_limits(location: Location, ip: str | None, email: str, phone: str = "") -> None:
    """10 bookings an hour per client address, 3 per e-mail address, 3 per phone number (defaults)."""
    checks = [
        ("consultation_ip", ip or "", _("Too many bookings from your connection.")),
        ("consultation_email", email, _("Too many bookings with this e-mail address.")),
        ("consultation_phone", phone_key(phone), _("Too many bookings with this phone number.")),
    ]
    for name, key, message in checks:
        if key and not ratelimit.hit(name, key):
            raise refusal(message, location, ratelimit.retry_after(name))


def require_staff(actor: Actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_staff:
        raise PermissionDenied


def by_staff(actor: Actor) -> bool:
    """None: the person themself (through their private link). Otherwise it must be staff."""
    if actor is None:
        return False
    require_staff(actor)
    return True
