"""The error pages of the whole site (400, 403, 404, 500, a failed CSRF check): in the page's language,
in the site's layout, with the center's phone and e-mail — never Django's bare English page.

The contact comes from the first location; when the database cannot be read (a 500 because it is down)
from the settings KYODO_CENTER_NAME/PHONE/EMAIL, and the 500 page is drawn without the context
processors, which read the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Contact:
    """What the pages' footer and the error pages show of the center (a Location's names)."""

    name: str
    address: str
    phone: str
    email: str

    def localized_name(self) -> str:
        return self.name

    def localized_address(self) -> str:
        return self.address


def center_contact() -> Any:
    """The default location, or the settings' contact when the database cannot be read."""
    try:
        from kyodo.core.calendar import default_location

        location = default_location()
    except DatabaseError:
        location = None
    if location is not None:
        return location
    return Contact(settings.KYODO_CENTER_NAME, "", settings.KYODO_CENTER_PHONE, settings.KYODO_CENTER_EMAIL)


def _page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    context = {"title": title, "message": message, "status": status, "contact": center_contact()}
    return render(request, f"{status}.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 400, _("The request could not be read"),
        _("Please go back to the previous page and try again."),
    )  # fmt: skip


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 403, _("You cannot open this page"),
        _("This page is for other people. If you think you should see it, sign in with your account "
          "or ask the center."),
    )  # fmt: skip


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request, 404, _("The page was not found"),
        _("The address may be mistyped, or the page may have moved or ended."),
    )  # fmt: skip


def server_error(request: HttpRequest) -> HttpResponse:
    """Drawn without the context processors (they read the database, which may be what failed)."""
    contact = center_contact()
    context = {
        "title": _("Sorry, something went wrong on our side"),
        "message": _("Please try again in a few minutes. If it is urgent, please call us."),
        "status": 500,
        "contact": contact,
        "center": contact,
        "request": request,
    }  # fmt: skip
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent from an old page, or with cookies blocked."""
    return _page(
        request, 403, _("This form could not be sent"),
        _("For your safety, a form expires after a while. Nothing was saved. Go back, reload the page "
          "and send the form again. If it happens again, please allow cookies for this site."),
    )  # fmt: skip
