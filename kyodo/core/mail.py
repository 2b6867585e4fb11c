"""Mail that never blocks or loses what caused it.

`OutboxBackend` is Django's EMAIL_BACKEND: "sending" a message stores it in the outbox table, inside the
caller's transaction, so a booking and its e-mail commit (or roll back) together. `deliver_pending`
(run by `manage.py deliver_mail`, and right after commit when KYODO_DELIVER_ON_COMMIT is on) hands each
message to the real backend (KYODO_DELIVERY_BACKEND), retrying with back-off (capped at an hour) until
the message is older than KYODO_MAIL_RETRY_HOURS; each row is claimed under a
lock and marked sent in the same step, so no message goes out twice.

`compose` is the one shape of every message Kyodo writes (its own notices and allauth's account mail):
the center's name as the sender, a 「○○ 様」 greeting, the body, the center's signature (name, address,
phone, e-mail, opening hours), a plain-text part and the same text as a minimal HTML part. `enqueue`
gives every message a `Date` in Japan time (+0900) and a `Message-ID` on the site's domain.
"""

import base64
import datetime as dt
import logging
import mimetypes
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.db import transaction
from django.template.defaultfilters import linebreaks_filter
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.html import urlize
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _

from kyodo.core import dates
from kyodo.core.errortracking import report
from kyodo.core.models import Location, OutboundEmail, User
from kyodo.core.text import one_line

log = logging.getLogger(__name__)


def _attachment_to_json(attachment: Any) -> dict[str, str]:
    if isinstance(attachment, tuple) or hasattr(attachment, "content"):
        filename, content, mimetype = attachment
    else:  # a MIMEBase object
        filename = attachment.get_filename()
        content = attachment.get_payload(decode=True)
        mimetype = attachment.get_content_type()
    if isinstance(content, str):
        content = content.encode()
    mimetype = mimetype or mimetypes.guess_type(filename or "")[0] or "application/octet-stream"
    return {"filename": filename, "content": base64.b64encode(content).decode(), "mimetype": mimetype}


TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def site_domain() -> str:
    """The host of SITE_URL (never the request's Host header): Message-IDs and links are on it."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def date_header(when: dt.datetime | None = None) -> str:
    """RFC 5322 date in Japan time: `Fri, 04 Dec 2026 10:00:00 +0900`."""
    return format_datetime((when or timezone.now()).astimezone(TOKYO))


def message_id() -> str:
    return make_msgid(idstring="kyodo", domain=site_domain())


# --- The center that writes: sender name and signature, per location -------------------------------


def default_location() -> Location | None:
    return Location.objects.order_by("order", "id").prefetch_related("opening_hours").first()


def _day_runs(weekdays: list[int]) -> list[tuple[int, int]]:
    """[0, 1, 2, 4] → [(0, 2), (4, 4)]: consecutive weekdays as ranges."""
    runs: list[tuple[int, int]] = []
    for day in sorted(weekdays):
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _clock(time: dt.time) -> str:
    """9:00, 21:30: the hour as people write it on a notice."""
    return f"{time.hour}:{time.minute:02d}"


def opening_hours_lines(location: Location, language: str) -> list[str]:
    """The location's hours and closed days in a few words, in `language`:
    ["開館時間 火～日 9:00～21:00", "休館日 月曜・祝日・年末年始（12月29日～1月3日）"]."""
    with translation.override(language):
        english = language.startswith("en")
        dash = "–" if english else "～"
        by_hours: dict[tuple[dt.time, dt.time], list[int]] = {}
        for row in location.opening_hours.all():
            by_hours.setdefault((row.opens, row.closes), []).append(row.weekday)
        parts = []
        for (opens, closes), weekdays in sorted(by_hours.items(), key=lambda item: min(item[1])):
            days = ("、" if not english else ", ").join(
                dates.weekday_name(a, language) if a == b
                else f"{dates.weekday_name(a, language)}{dash}{dates.weekday_name(b, language)}"
                for a, b in _day_runs(weekdays)
            )  # fmt: skip
            parts.append(f"{days} {_clock(opens)}{dash}{_clock(closes)}")
        lines = []
        if parts:
            lines.append(_("Opening hours: %(hours)s") % {"hours": (" / ").join(parts)})
        open_days = {day for weekdays in by_hours.values() for day in weekdays}
        closed = [
            dates.weekday_name(d, language) + ("" if english else "曜")
            for d in range(7)
            if d not in open_days
        ]
        if location.closed_on_holidays:
            closed.append(_("national holidays"))
        if location.closed_at_year_end:
            closed.append(_("the year-end holidays (December 29 to January 3)"))
        if closed:
            lines.append(_("Closed: %(days)s") % {"days": (", " if english else "・").join(closed)})
        return lines


@dataclass(frozen=True)
class Center:
    """What a message says about the center that sends it, in the message's language."""

    name: str
    address: str
    phone: str
    email: str
    hours: list[str]
    site_url: str

    @classmethod
    def of(cls, location: Location | None, language: str) -> "Center":
        """The center of `location` in `language`; kept on the Location instance, so a message sent to a
        dozen recipients reads the opening hours once."""
        if location is None:
            return cls(
                name="Kyodo", address="", phone="", email="", hours=[], site_url=settings.SITE_URL + "/"
            )
        cache: dict[str, Center] = location.__dict__.setdefault("_mail_center", {})
        if language not in cache:
            cache[language] = cls._build(location, language)
        return cache[language]

    @classmethod
    def _build(cls, location: Location, language: str) -> "Center":
        return cls(
            name=location.localized_name(language),
            address=location.localized_address(language),
            phone=location.phone,
            email=location.email,
            hours=opening_hours_lines(location, language),
            site_url=settings.SITE_URL + ("/en/" if language.startswith("en") else "/"),
        )

    def sender(self) -> str:
        """`金沢市市民活動サポートセンター <noreply@…>`: the center's name on the site's sending address."""
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"noreply@{site_domain()}"
        return str(HeaderAddress(display_name=one_line(self.name), addr_spec=address))

    def signature(self, language: str) -> str:
        with translation.override(language):
            lines = [self.name]
            if self.address:
                lines.append(self.address)
            contact = []
            if self.phone:
                contact.append(_("Phone %(phone)s") % {"phone": self.phone})
            if self.email:
                contact.append(_("E-mail %(email)s") % {"email": self.email})
            if contact:
                lines.append(" / ".join(contact))
            lines += self.hours
            lines.append(self.site_url)
        return "\n".join([SIGNATURE_RULE, *lines])


SIGNATURE_RULE = "―" * 24


@dataclass(frozen=True)
class Addressee:
    """Whom a message greets: a person, a group (its contact), a person of a group, or the staff."""

    name: str = ""
    organisation: str = ""
    staff: bool = False

    def greeting(self, language: str) -> str:
        """「山田 太郎 様」, 「A町会 山田 太郎 様」, 「A町会 ご担当者 様」, 「センタースタッフ各位」."""
        name, organisation = one_line(self.name), one_line(self.organisation)
        with translation.override(language):
            if self.staff:
                return _("Dear staff,")
            if name and organisation:
                return _("Dear %(name)s of %(organisation)s,") % {"name": name, "organisation": organisation}
            if name:
                return _("Dear %(name)s,") % {"name": name}
            if organisation:
                return _("Dear %(organisation)s,") % {"organisation": organisation}
            return _("Dear user,")


def names_by_email(emails: Iterable[str]) -> dict[str, str]:
    """{lower-case address: the name of the account with that address} (one query), for greetings."""
    wanted = {e.lower() for e in emails}
    return {
        email.lower(): name
        for email, name in User.objects.filter(email__in=wanted).values_list("email", "name")
        if name
    }


def html_part(text: str, language: str, subject: str) -> str:
    """The plain text as a minimal HTML document: paragraphs, line breaks and links, all escaped."""
    body = linebreaks_filter(urlize(text, autoescape=True), autoescape=False)
    return render_to_string(
        "core/email/message.html",
        {"body": mark_safe(body), "language": language, "subject": subject},  # noqa: S308  escaped by urlize(autoescape=True); linebreaks only adds <p> and <br>
    )


_LINK = re.compile(r"https?://[^\s<>\"']+")


def links_in_language(text: str, language: str) -> str:
    """Every link to a page of the site in the message's language: a message is often written while
    someone else's request is active (staff approve in English; the group reads Japanese)."""
    site = settings.SITE_URL + "/"

    def localise(match: re.Match[str]) -> str:
        url = match.group(0)
        if not url.startswith(site):
            return url
        # A page resolves only under its own language's prefix (/en/…, or none for Japanese).
        with translation.override(get_language_from_path(urlsplit(url).path) or settings.LANGUAGE_CODE):
            return translate_url(url, language)

    return _LINK.sub(localise, text)


def compose(
    subject: str,
    body: str,
    to: Sequence[str],
    *,
    language: str,
    addressee: Addressee | None = None,
    location: Location | None = None,
    reply_to: Sequence[str] = (),
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """One message in the center's voice: greeting, body, signature; text and HTML parts; the center's
    name as the sender and its address as Reply-To (unless `reply_to` is given)."""
    if location is None:
        location = default_location()
    center = Center.of(location, language)
    text = "\n\n".join(
        [
            (addressee or Addressee()).greeting(language),
            links_in_language(body.strip(), language),
            center.signature(language),
        ]
    )
    message = EmailMultiAlternatives(
        subject=one_line(subject),
        body=text + "\n",
        from_email=center.sender(),
        to=list(to),
        reply_to=list(reply_to) or ([center.email] if center.email else []),
        headers=headers,
    )
    message.attach_alternative(html_part(text, language, str(message.subject)), "text/html")
    return message


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            enqueue(message)
        return len(email_messages)


def enqueue(
    message: EmailMessage,
    dedupe_key: str | None = None,
    grants_access: bool | None = None,
    template: str | None = None,
) -> OutboundEmail | None:
    """Store one EmailMessage in the outbox. Returns the row (or None if dedupe_key was already used).

    `grants_access` marks a message carrying a link or code that only its addressee may read (see
    OutboundEmail). A message built elsewhere (allauth's) says so through its `kyodo_grants_access`
    attribute, set by the account adapter."""
    if grants_access is None:
        grants_access = bool(getattr(message, "kyodo_grants_access", False))
    if template is None:
        template = getattr(message, "kyodo_template", "")
    if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    now = timezone.now()
    headers = dict(message.extra_headers)
    names = {name.lower() for name in headers}
    if "date" not in names:
        headers["Date"] = date_header(now)
    if "message-id" not in names:
        headers["Message-ID"] = message_id()
    from_email = message.from_email or settings.DEFAULT_FROM_EMAIL
    if from_email == settings.DEFAULT_FROM_EMAIL:  # Django's own mail (send_mail): the center still sends it
        from_email = Center.of(default_location(), "ja").sender()
    row = OutboundEmail.objects.create(
        created_at=now,
        subject=str(message.subject)[:300],
        from_email=from_email,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        body=str(message.body),
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        attachments=[_attachment_to_json(a) for a in message.attachments],
        headers=headers,
        dedupe_key=dedupe_key,
        template=template[:200],
        grants_access=grants_access,
    )
    if settings.KYODO_DELIVER_ON_COMMIT:
        transaction.on_commit(lambda: deliver_pending(ids=[row.pk]))
    return row


def build_message(row: OutboundEmail, connection: BaseEmailBackend | None = None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers={**row.headers, "X-Kyodo-Outbox-Id": str(row.pk)},
        connection=connection,
    )
    for content, mimetype in row.alternatives:
        message.attach_alternative(content, mimetype)
    for a in row.attachments:
        message.attach(a["filename"], base64.b64decode(a["content"]), a["mimetype"])
    return message


BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)


def _backoff(attempts: int) -> dt.timedelta:
    """30 s after the first failure, doubling, at most an hour: an outage of days costs ~24 tries a day."""
    doublings = min(max(attempts - 1, 0), 16)  # 30 s · 2**16 is far past the cap; keeps the number small
    delay: dt.timedelta = BACKOFF_FIRST * (2**doublings)
    return min(delay, BACKOFF_CAP)


def _retry_window_over(row: OutboundEmail, now: dt.datetime) -> bool:
    """A message is given up only once it is older than KYODO_MAIL_RETRY_HOURS (3 days by default), so a
    transport outage of a weekend loses nothing."""
    return now - row.created_at >= dt.timedelta(hours=settings.KYODO_MAIL_RETRY_HOURS)


LEASE = dt.timedelta(minutes=5)


def _claim(pk: int) -> OutboundEmail | None:
    """Take one due message for this worker: bump its attempt and lease it, in a short transaction.

    The lease keeps other workers off it while it is being sent, without holding a database lock (or
    SQLite's write lock) during a slow SMTP conversation."""
    with transaction.atomic():
        row = (
            OutboundEmail.objects.select_for_update(skip_locked=settings.IS_POSTGRES)
            .filter(pk=pk, status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now())
            .first()
        )
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = timezone.now() + LEASE
        row.save(update_fields=["attempts", "next_attempt_at"])
        return row


def deliver_pending(ids: Iterable[int] | None = None, limit: int = 100) -> tuple[int, int]:
    """Deliver due messages. Returns (sent, failed) counts. Safe to run from several workers at once."""
    sent = failed = 0
    queryset = OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, next_attempt_at__lte=timezone.now()
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    candidate_ids = list(queryset.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    connection = get_connection(settings.KYODO_DELIVERY_BACKEND, fail_silently=False)
    for pk in candidate_ids:
        row = _claim(pk)
        if row is None:
            continue
        try:
            build_message(row, connection).send()
        except Exception as exc:  # any transport error: keep the message, retry later
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            now = timezone.now()
            row.next_attempt_at = now + _backoff(row.attempts)
            failed += 1
            if _retry_window_over(row, now):
                row.status = OutboundEmail.Status.FAILED
                log.error("mail %s given up after %s attempts: %s", row.pk, row.attempts, row.last_error)
                report(exc)  # each try is only a warning; giving up is news for someone
            else:
                log.warning("mail %s not delivered: %s", row.pk, row.last_error)
        else:
            row.status = OutboundEmail.Status.SENT
            row.sent_at = timezone.now()
            row.last_error = ""
            if row.grants_access:
                row.drop_content()
            sent += 1
        row.save(
            update_fields=[
                "status",
                "sent_at",
                "last_error",
                "next_attempt_at",
                "body",
                "alternatives",
                "attachments",
            ]
        )
    return sent, failed


def retry(row_ids: Iterable[int]) -> int:
    """Staff: put failed messages back in the queue."""
    return (
        OutboundEmail.objects.filter(pk__in=row_ids)
        .undelivered()
        .update(status=OutboundEmail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )


class DevBackend(ConsoleBackend):
    """Under `make run`: print each message and keep a copy as a file under var/mail/."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = super().send_messages(email_messages)
        folder = Path(settings.KYODO_MAIL_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S-%f")
            (folder / f"{stamp}.eml").write_bytes(message.message().as_bytes())
        return count
