"""The checks every door's input goes through before a booking is written (and the rate limits)."""

from __future__ import annotations

import datetime as dt
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
from kyodo.core.text import is_katakana_reading, is_phone_text, normalise_phone, phone_digits, to_katakana

PERSON_TEXT = ("name", "kana", "email", "phone", "group_name", "message")

# Who asks for a change: a signed-in user (staff, for the staff doors), or None for the person themself
# through their private link. A page passes request.user, which may be anonymous.
Actor = User | AnonymousUser | None


def kana_required(by_staff: bool, language: str | None) -> bool:
    """The reading (フリガナ) is asked of a person booking in Japanese; on /en/ and for staff it is optional."""
    return not by_staff and (language or "ja") != "en"


def phone_required(mode: str | None) -> bool:
    """By phone (電話), the coordinator calls: the number is required."""
    return mode == Consultation.Mode.PHONE


def clean_person(
    data: Mapping[str, Any], by_staff: bool = False, mode: str | None = None, language: str | None = None
) -> dict[str, str]:
    """The person's details, normalised (PersonInput: the phone's digits and hyphens, the reading in
    katakana) and checked: the limits of PersonInput, then the rules of who books and how. Raises
    ValidationError with per-field messages; every door (form, staff form, API) asks this, so each
    answers in the same words.

    - a phone number is required when the consultation is by phone (mode 電話); otherwise an e-mail
      address or a phone number, as before;
    - a phone number given has only digits, hyphens, spaces, brackets and a leading +, and 10 to 15 digits;
    - the reading is required in Japanese (not on /en/ nor for staff), and when given it is kana."""
    given = {name: data[name] for name in PersonInput.model_fields if data.get(name) is not None}
    errors: dict[str, list[str]] = {}
    try:
        person = PersonInput.parse(given).model_dump()
    except ValidationError as exc:
        errors.update(exc.message_dict)
        person = {name: str(given.get(name, "")).strip() for name in PERSON_TEXT}
        person["phone"] = normalise_phone(person["phone"])
        person["kana"] = to_katakana(person["kana"])
        person["consent"] = bool(given.get("consent"))
    person["email"] = person["email"].lower()

    def rule(field: str, message: str) -> None:
        errors.setdefault(field, [message])  # a field past its limit keeps that one message

    if not person["name"]:
        rule("name", _("Please enter your name."))
    if not person["kana"] and kana_required(by_staff, language):
        rule("kana", _("Please enter your name in furigana."))
    elif person["kana"] and not is_katakana_reading(person["kana"]):
        rule(
            "kana", _("Please enter the reading of your name in katakana or hiragana, e.g. カナザワ タロウ.")
        )
    if person["email"]:
        try:
            validate_email(person["email"])
        except ValidationError:
            rule("email", _("Please enter a valid e-mail address."))
    if phone_required(mode) and not person["phone"]:
        rule("phone", _("Please enter your phone number: the coordinator calls you on it."))
    elif not person["email"] and not person["phone"]:  # a phone number alone: staff call back to confirm
        rule("email" if not by_staff else "phone", _("Please enter an e-mail address or a phone number."))
    if person["phone"]:
        digits = len(phone_key(person["phone"]))
        if not is_phone_text(person["phone"]) or digits > MAX_PHONE_DIGITS:
            rule("phone", _("Please enter a phone number in digits and hyphens, e.g. 076-220-2026."))
        elif digits < MIN_PHONE_DIGITS:
            # Staff call back on this number, and the per-phone limit counts its digits: it must have them.
            rule(
                "phone", _("Please enter a phone number we can call, with its area code (10 digits or more).")
            )
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
MAX_PHONE_DIGITS = 15  # the longest international number (E.164), +81 90 1234 5678 included


def phone_key(phone: str) -> str:
    """A phone number as the limits count it: its digits only (full-width digits too)."""
    return phone_digits(phone)


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
