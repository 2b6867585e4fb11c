"""Domain errors, raised by the services and mapped the same way by every door.

ValidationError → 400 on a page (errors on the form) and 422 in the API; PermissionDenied → 403;
Http404 → 404; Unavailable (and Busy) → 409; RateLimited → 429. Pages map them in `core.doors`, the API
in `kyodo.api.api`; a service never chooses a status code."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class Unavailable(Exception):
    """What was asked for is taken (a unit, a slot): answer 409 with this message."""

    def __init__(self, message: Any, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.details = details or {}


class Busy(Unavailable):
    """Someone else holds what this request must lock, for longer than the lock timeout: try again."""

    def __init__(self, message: Any = None) -> None:
        super().__init__(message or _("Many people are booking right now. Please try again in a moment."))


class RateLimited(Exception):
    """Too many attempts from one address, e-mail address or phone number: answer 429 with this message.

    `retry_after` (seconds), when known, becomes the Retry-After header."""

    def __init__(self, message: Any, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.retry_after = retry_after
