"""E-mails in the recipient's language, from templates, through the outbox (see core.mail)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from kyodo.core import mail


def absolute_url(path):
    return settings.SITE_URL + path


def language_of(user_or_none, fallback="ja"):
    return getattr(user_or_none, "preferred_language", None) or fallback


def send(template, to, context, language="ja", attachments=(), dedupe_key=None, reply_to=()):
    """Render `<template>_subject.txt` and `<template>.txt` in `language` and put the message in the outbox.

    `attachments` are (filename, content, mimetype) tuples, e.g. an .ics. `dedupe_key` makes the call
    idempotent: a second call with the same key sends nothing (used by the daily reminders)."""
    to = [to] if isinstance(to, str) else list(to)
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=to, reply_to=list(reply_to))
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return mail.enqueue(message, dedupe_key=dedupe_key)
