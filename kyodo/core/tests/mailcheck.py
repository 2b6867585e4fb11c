"""Read delivered mail as a mail program does (the standard library's parser) and check that it is
written in the center's voice: the center as the sender, `Date` in +0900, a `Message-ID` on the site's
domain, a text and an HTML part, the 「○○ 様」 greeting, the center's signature, and links on SITE_URL
that lead a signed-out person to /accounts/login/, never /admin/login/."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core import mail as django_mail
from django.test import Client

from kyodo.core.mail import SIGNATURE_RULE, Addressee, deliver_pending
from kyodo.core.models import Location

SITE_URL = "https://kyodo.example.jp"  # set by the tests: unlike the test client's host "testserver"
URL = re.compile(r"https?://[^\s<>\"']+")


def delivered() -> list[EmailMessage]:
    """Deliver what is queued and parse every message that went out, from its bytes."""
    deliver_pending()
    parser = BytesParser(policy=policy.default)
    messages = [parser.parsebytes(m.message().as_bytes()) for m in django_mail.outbox]
    django_mail.outbox.clear()
    return messages  # type: ignore[return-value]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "no text/plain part"
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "no text/html part"
    return str(part.get_content())


def check(
    message: EmailMessage,
    *,
    greeting: Addressee,
    location: Location,
    language: str = "ja",
    anonymous: Client | None = None,
) -> str:
    """Assert everything a message must have; returns its text for the caller's own checks."""
    name = location.localized_name(language)
    sender_name, sender_address = parseaddr(str(message["From"]))
    assert sender_name == name, message["From"]
    assert sender_address == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert str(message["Date"]).endswith("+0900"), message["Date"]
    assert parsedate_to_datetime(str(message["Date"])).utcoffset().total_seconds() == 9 * 3600
    host = urlsplit(settings.SITE_URL).hostname
    assert re.fullmatch(rf"<[^@<>]+@{re.escape(host)}>", str(message["Message-ID"])), message["Message-ID"]
    assert message.get_content_type() in ("multipart/alternative", "multipart/mixed")

    text, html = text_of(message), html_of(message)
    first_line = text.strip().splitlines()[0]
    assert first_line == greeting.greeting(language), first_line
    assert first_line in html
    signature = text.split(SIGNATURE_RULE, 1)
    assert len(signature) == 2, "no signature"
    for part in (name, location.localized_address(language), location.phone, location.email):
        assert part in signature[1], part
        assert part in html, part
    assert re.search(r"\d:\d\d", signature[1]), "no opening hours in the signature"
    assert f'<html lang="{language}">' in html

    urls = URL.findall(text)
    assert urls, "no link"
    for url in urls:
        url = url.rstrip(".,)")
        assert url.startswith(settings.SITE_URL + "/"), url
        assert f'href="{url}"' in html, url
        if anonymous is not None:
            response = anonymous.get(url[len(settings.SITE_URL) :])
            where = response.get("Location", "")
            assert "/admin/login/" not in where, (url, where)
            if response.status_code == 302 and "login" in where:
                assert where.startswith(("/accounts/login/", "/en/accounts/login/")), (url, where)
    for foreign in ("127.0.0.1", "testserver", "localhost"):
        assert foreign not in text, foreign
    return text
