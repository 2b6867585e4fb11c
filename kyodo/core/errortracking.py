"""Errors reach someone: sentry-sdk (Sentry, or a self-hosted GlitchTip), only when SENTRY_DSN is set.

The settings call `init` when SENTRY_DSN is set, so the web app, the mail worker and the daily job (management
commands load the same settings) all report; without it nothing is initialised and nothing is sent.
Personal data stays out: sentry-sdk's own PII switch is off, and `scrub` (its `before_send`) removes
e-mail addresses, phone numbers and the fields that hold names or contact details from what it would send.

Imported by the settings: this module must not import Django models."""

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

FILTERED = "[Filtered]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Japanese numbers (they start with 0) and international ones: 076-000-0000, 09012345678, (076)000-0000,
# +81 90 1234 5678, also right after Japanese text (は090…). Ids and dates (12345, 2026-12-01) do not start
# with 0 or + and are kept.
PHONE = re.compile(
    r"(?<![0-9A-Za-z_.])(?:\+\d{1,3}[-\s]?|\(?0)\d{1,4}\)?[-\s]?\d{1,4}[-\s]?\d{3,4}(?![0-9A-Za-z_])"
)
# Fields of forms, JSON bodies and local variables that hold who someone is or how to reach them.
PERSONAL_KEY = re.compile(
    r"mail|phone|tel|name|kana|address|representative|contact|password|secret|token|birth|note|message|body",
    re.IGNORECASE,
)


def scrub_text(text: str) -> str:
    """The text with every e-mail address and phone number replaced."""
    return PHONE.sub(FILTERED, EMAIL.sub(FILTERED, text))


def _scrub_value(value: Any, fields: bool = False) -> Any:
    """Strings lose addresses and numbers. In a mapping of fields (form or JSON data, a frame's local
    variables, extra data) a personal field loses its value altogether; other mappings (a stack frame's
    own keys such as `filename`) keep their keys."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: FILTERED
            if fields and isinstance(key, str) and PERSONAL_KEY.search(key)
            else _scrub_value(item, fields or key == "vars")
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_scrub_value(item, fields) for item in value]
    return value


def _scrub_query(query: Any) -> Any:
    if not isinstance(query, str):
        return _scrub_value(query, fields=True)
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(k, FILTERED if PERSONAL_KEY.search(k) else scrub_text(v)) for k, v in pairs])


def _scrub_request(request: dict[str, Any]) -> dict[str, Any]:
    """Form and JSON data field by field; a raw body (not parsed into fields) and cookies entirely."""
    scrubbed = {key: _scrub_value(value) for key, value in request.items()}
    data = request.get("data")
    scrubbed["data"] = FILTERED if isinstance(data, str | bytes) and data else _scrub_value(data, fields=True)
    if "query_string" in request:
        scrubbed["query_string"] = _scrub_query(request["query_string"])
    if request.get("cookies"):
        scrubbed["cookies"] = FILTERED
    return scrubbed


def scrub(event: Event, hint: Hint | None = None) -> Event:
    """sentry-sdk's before_send: the event without personal data (the user is kept as an id only)."""
    scrubbed: dict[str, Any] = dict(event)
    user = scrubbed.get("user")
    if isinstance(user, dict):
        scrubbed["user"] = {"id": user["id"]} if "id" in user else {}
    request = scrubbed.get("request")
    if isinstance(request, dict):
        scrubbed["request"] = _scrub_request(request)
    for key in ("exception", "threads", "breadcrumbs", "message", "logentry"):
        if key in scrubbed:
            scrubbed[key] = _scrub_value(scrubbed[key])
    if "extra" in scrubbed:
        scrubbed["extra"] = _scrub_value(scrubbed["extra"], fields=True)
    return scrubbed  # type: ignore[return-value]  # the same keys as the Event it came from


def init(dsn: str, environment: str, release: str | None) -> None:
    """Start reporting to `dsn`: errors of requests, management commands and anything logged at ERROR."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,  # no user e-mail, IP address, cookies or headers from sentry-sdk itself
        before_send=scrub,
        include_local_variables=True,  # scrubbed by `scrub` like the rest
        traces_sample_rate=0.0,  # errors only: no performance data leaves the server
    )


def report(exc: BaseException) -> None:
    """Send an exception that was caught and logged (a no-op without SENTRY_DSN)."""
    sentry_sdk.capture_exception(exc)
