"""Submitting twice never makes two: one-time keys for the forms and the API's Idempotency-Key.

Pages: a booking or request form carries a hidden `once` field (`issue`) with a fresh key. The final
POST runs its use case through `run(request, key, purpose, create)`: inside one transaction the key is
claimed (a unique row, core.models.SubmissionKey), the use case creates, and the row records what it
made. A second POST with the same key — a double click, a reload, back and resubmit — finds the row and
gets `Made(earlier, repeat=True)`: the page shows what was already made ("We have already received this
application") and never books again, nor says that the time "was just taken" by the person's own
booking. Two identical POSTs in parallel make one: the second's claim waits for the first's commit and
then fails on the unique constraint (PostgreSQL), or its transaction starts after it (SQLite IMMEDIATE).

API: `@idempotent("purpose")` under a router's `@router.post` honours an optional `Idempotency-Key`
header the same way, per caller: a repeat with the same key and the same request returns the first
answer (status and body); the same key with a different request is refused with 422. Only successful
answers are recorded, so a request refused (422, 409, 429) can be sent again with its key. If the use
case fails, the claim is rolled back with it (a rate limit's count of a refused attempt too)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.core.models import SubmissionKey
from kyodo.core.net import client_address

M = TypeVar("M", bound=models.Model)

FIELD = "once"  # the hidden field of a form
HEADER = "Idempotency-Key"
KEEP = dt.timedelta(days=7)  # the daily job removes older keys
_VALID = re.compile(r"^[A-Za-z0-9_\-.:]{8,100}$")

ALREADY_RECEIVED = gettext_lazy("We have already received this application.")

# The header as the OpenAPI schema documents it on every operation that honours it.
OPENAPI = {
    "parameters": [
        {
            "in": "header",
            "name": HEADER,
            "required": False,
            "schema": {"type": "string", "minLength": 8, "maxLength": 100, "pattern": _VALID.pattern},
            "description": (
                "Optional. A key you choose (a UUID) for this request. Sending the same request again "
                "with the same key, e.g. after a timeout, returns the first answer (same status and body) "
                "and creates nothing more. The same key with a different body is refused with 422. "
                "Keys are kept for 7 days, per caller."
            ),
        }
    ]
}


def reference_message(made: Any) -> str:
    """The done page's line with the 受付番号 of what was made (a model with a `reference`)."""
    return _("Reference number: %(reference)s") % {"reference": made.reference}


def new_key() -> str:
    return secrets.token_urlsafe(24)


def valid(key: str | None) -> bool:
    return bool(key) and bool(_VALID.match(key or ""))


def _page_scope(request: HttpRequest) -> str:
    """Whose key it is: a signed-in person's; for a signed-out person the key alone, which only their
    own page carries (a random 192-bit value, so public pages need no session just to offer a form)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return "anonymous"


def issue(request: HttpRequest) -> str:
    """A fresh key for a form's hidden `once` field."""
    return new_key()


def key_of(request: HttpRequest) -> str:
    """The key a form posted, or a fresh one (for the form shown again after a refused submit)."""
    key = request.POST.get(FIELD, "")
    return key if valid(key) else issue(request)


@dataclass(frozen=True)
class Made(Generic[M]):
    """What a submit made (`repeat=False`), or what the first submit with its key made (`repeat=True`;
    `obj` is None if that is gone since)."""

    obj: M | None
    repeat: bool


def _made(row: SubmissionKey) -> Any:
    if not row.made_type or row.made_id is None:
        return None
    model = apps.get_model(row.made_type)
    return model._default_manager.filter(pk=row.made_id).first()


def _claim(scope: str, key: str, purpose: str, fingerprint: str = "") -> SubmissionKey | None:
    """Claim the key inside the caller's transaction; None when an earlier submit holds it (its row
    is then read with `_earlier`)."""
    try:
        with transaction.atomic():
            return SubmissionKey.objects.create(
                scope=scope, key=key, purpose=purpose, fingerprint=fingerprint
            )
    except IntegrityError:
        return None


def _earlier(scope: str, key: str) -> SubmissionKey | None:
    return SubmissionKey.objects.filter(scope=scope, key=key).first()


def earlier(request: HttpRequest, key: str | None) -> Made[Any] | None:
    """What an earlier submit with this key made (`Made(..., repeat=True)`), or None. A page asks it
    before its own checks, so a repeat is never told that its own booking took the time."""
    if not valid(key):
        return None
    row = _earlier(_page_scope(request), key or "")
    return Made(_made(row), repeat=True) if row is not None else None


def run(request: HttpRequest, key: str | None, purpose: str, create: Callable[[], M]) -> Made[M]:
    """Run the use case `create` once for this form's key (see the module's notes). Without a valid key
    it simply runs. Domain errors of `create` propagate (the door maps them) and release the key."""
    if not valid(key):
        return Made(create(), repeat=False)
    assert key is not None  # noqa: S101  (narrowed by valid())
    scope = _page_scope(request)
    with transaction.atomic():
        earlier = _earlier(scope, key)
        claim = None if earlier else _claim(scope, key, purpose)
        if claim is None:
            row = earlier or _earlier(scope, key)
            return Made(_made(row) if row else None, repeat=True)
        made = create()
        claim.made_type, claim.made_id, claim.status = made._meta.label_lower, made.pk, 200
        claim.save(update_fields=["made_type", "made_id", "status"])
    return Made(made, repeat=False)


# --- The API ------------------------------------------------------------------------------------------


def _api_scope(request: HttpRequest) -> str:
    caller = getattr(request, "auth", None)
    if not hasattr(caller, "pk"):
        caller = getattr(request, "api_user", None)
    if caller is not None and getattr(caller, "pk", None) is not None:
        return f"user:{caller.pk}"
    return f"ip:{client_address(request)}"


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _key_error(message: str) -> ValidationError:
    return ValidationError({HEADER: [message]})


def _replay(row: SubmissionKey, fingerprint: str) -> Any:
    from ninja import Status  # the API's own answer type

    if row.fingerprint != fingerprint:
        raise _key_error(
            _(
                "This Idempotency-Key was already used for a different request. "
                "Send a new key with a new request."
            )
        )
    return Status(row.status, json.loads(row.body))


def _encoder() -> Any:
    from ninja.responses import NinjaJSONEncoder

    return NinjaJSONEncoder


def idempotent(purpose: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate an API operation that creates something (below `@router.post(..., openapi_extra=
    once.OPENAPI)`) so that it honours the Idempotency-Key header."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(HEADER)
            if key is None:
                return view(request, *args, **kwargs)
            if not valid(key):
                raise _key_error(
                    _("Idempotency-Key must be 8 to 100 letters, digits or - _ . : (a UUID, for example).")
                )
            scope, fingerprint = _api_scope(request), _fingerprint(request)
            with transaction.atomic():
                earlier = _earlier(scope, key)
                claim = None if earlier else _claim(scope, key, purpose, fingerprint)
                if claim is None:
                    row = earlier or _earlier(scope, key)
                    assert row is not None  # noqa: S101  (the claim failed because this row exists)
                    return _replay(row, fingerprint)
                result = view(request, *args, **kwargs)
                status = getattr(result, "status_code", 200)
                value = getattr(result, "value", result)
                if 200 <= status < 300:
                    claim.status, claim.body = status, json.dumps(value, cls=_encoder())
                    claim.save(update_fields=["status", "body"])
                else:
                    transaction.set_rollback(True)
            return result

        return wrapper

    return decorate


def purge(now: dt.datetime | None = None) -> int:
    """Remove keys older than KEEP (the daily job)."""
    deleted, _ = SubmissionKey.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted
