"""E-mails in the recipient's language, from templates, through the outbox (see core.mail)."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from kyodo.core import mail
from kyodo.core.mail import Addressee
from kyodo.core.models import Location, OutboundEmail
from kyodo.core.text import one_line

# (template, language) → (subject, body), kept by a caller that sends one message to many people.
Rendered = dict[tuple[str, str], tuple[str, str]]


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def language_of(user_or_none: object, fallback: str = "ja") -> str:
    language: str | None = getattr(user_or_none, "preferred_language", None)
    return language or fallback


def render(
    template: str, context: dict[str, Any], language: str = "ja", location: Location | None = None
) -> tuple[str, str]:
    """(subject, body) of `<template>_subject.txt` and `<template>.txt` rendered in `language`.

    The templates hold what the message says; the greeting and the center's signature are added by
    core.mail.compose. `center` (core.mail.Center: name, address, phone, hours) is in the context."""
    with translation.override(language):
        center = mail.Center.of(location or mail.default_location(), language)
        context = {"site_url": settings.SITE_URL, "language": language, "center": center, **context}
        subject = " ".join(one_line(render_to_string(f"{template}_subject.txt", context)).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def send(
    template: str,
    to: str | Iterable[str],
    context: dict[str, Any],
    language: str = "ja",
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    dedupe_key: str | None = None,
    reply_to: Iterable[str] = (),
    rendered: Rendered | None = None,
    grants_access: bool = False,
    addressee: Addressee | None = None,
    location: Location | None = None,
) -> OutboundEmail | None:
    """Render `<template>_subject.txt` and `<template>.txt` in `language` and put the message in the outbox.

    `attachments` are (filename, content, mimetype) tuples, e.g. an .ics. `dedupe_key` makes the call
    idempotent: a second call with the same key sends nothing (used by the daily reminders).
    `rendered`, a dict kept by a caller that sends the same message to several people one by one,
    keeps each language's rendering so that it is done once, not once per recipient.
    `grants_access`: the message carries a link or code that only its addressee may read.
    `addressee`: whom the greeting names (「○○ 様」); `location`: the center that signs (its name is the
    sender; its address, phone and hours the signature). Without one, the first location signs."""
    recipients = [to] if isinstance(to, str) else list(to)
    if location is None:
        location = mail.default_location()
    if rendered is None:
        subject, body = render(template, context, language, location)
    else:
        if (template, language) not in rendered:
            rendered[(template, language)] = render(template, context, language, location)
        subject, body = rendered[(template, language)]
    message = mail.compose(
        subject,
        body,
        recipients,
        language=language,
        addressee=addressee,
        location=location,
        reply_to=list(reply_to),
    )
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return mail.enqueue(message, dedupe_key=dedupe_key, grants_access=grants_access, template=template)
