"""The one error mapping of the HTML doors (pages). The API has its own handler set in kyodo.api.api.

Services raise domain errors (see core.errors); a view never writes its own `except` blocks for them:
- `submit(form, call)` runs a use case for a form: a ValidationError becomes the form's errors (400),
  Unavailable the form's top error (409), RateLimited too (429). The view re-renders with that status
  (`retry_after(form, response)` adds a RateLimited's Retry-After).
- `act(request, call, success_message)` runs a use case for a POST that goes back to a page: errors and
  success become messages; the view redirects.
- `DomainErrorMiddleware` catches what a view let through: Unavailable/Busy → a 409 page, RateLimited →
  a 429 page with Retry-After, ValidationError → a 400 page. PermissionDenied (403) and Http404 (404) are
  Django's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kyodo.core.errors import RateLimited, Unavailable
from kyodo.core.forms import add_service_errors

T = TypeVar("T")

# What a use case refuses with: each door turns them into its status and words (see core.errors).
DOMAIN_ERRORS = (ValidationError, Unavailable, RateLimited)


def message_of(exc: ValidationError | Unavailable | RateLimited) -> str:
    """A domain error in words, the same on every door (a page's message, an admin action's message)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return exc.message


def submit(form: forms.BaseForm, call: Callable[[], T]) -> tuple[T | None, int]:
    """Run `call` (a use case) for `form`. Returns (result, 200), or (None, status) with the error on the form."""
    try:
        return call(), 200
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None, 400
    except Unavailable as exc:
        form.add_error(None, exc.message)
        return None, 409
    except RateLimited as exc:
        form.add_error(None, exc.message)
        setattr(form, "retry_after", exc.retry_after)  # noqa: B010  (the view's Retry-After: see retry_after)
        return None, 429


def retry_after(form: forms.BaseForm, response: HttpResponse) -> HttpResponse:
    """Give a page re-rendered after a RateLimited (`submit` → 429) its Retry-After header."""
    seconds = getattr(form, "retry_after", None)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response


def act(request: HttpRequest, call: Callable[[], T], success_message: str | Callable[[T], str]) -> bool:
    """Run `call` for a POST that redirects back; the outcome becomes a message. True when it succeeded.

    `success_message` may be a function of the use case's result, for a message naming what was done."""
    try:
        result = call()
    except DOMAIN_ERRORS as exc:
        messages.error(request, message_of(exc))
    else:
        message = success_message(result) if callable(success_message) else success_message
        if message:
            messages.success(request, message)
        return True
    return False


def error_page(
    request: HttpRequest, status: int, message: str, retry_after: int | None = None
) -> HttpResponse:
    titles = {
        400: _("Please check what you entered"),
        409: _("This is no longer available"),
        429: _("Too many attempts"),
    }
    response = render(
        request,
        "core/error.html",
        {"title": titles.get(status, _("Something went wrong")), "message": message},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


class DomainErrorMiddleware:
    """Map a domain error that a page did not handle to its status, with a page in the user's language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, Unavailable):
            return error_page(request, 409, exc.message)
        if isinstance(exc, RateLimited):
            return error_page(request, 429, exc.message, exc.retry_after)
        if isinstance(exc, ValidationError):
            return error_page(request, 400, message_of(exc))
        return None
