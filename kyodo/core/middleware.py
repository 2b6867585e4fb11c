import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_null(values):
    return any("\x00" in value for value in values if isinstance(value, str))


def _json_has_null(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_json_has_null(k) or _json_has_null(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_null(v) for v in value)
    return False


class RejectNullCharactersMiddleware:
    """A NUL character in a parameter is never meaningful and PostgreSQL cannot store one: answer 400
    once, here, instead of letting it reach a service (or the database) and fail with a 500.
    Uploaded files are not inspected (an image may well contain NUL bytes)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._is_bad(request):
            message = _("The input contains a character that is not allowed (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def _is_bad(self, request):
        if "\x00" in request.path or any(_has_null(request.GET.getlist(k) + [k]) for k in request.GET):
            return True
        if request.method not in ("POST", "PUT", "PATCH"):
            return False
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return any(_has_null(request.POST.getlist(k) + [k]) for k in request.POST)
        if content_type == "application/json" or request.path.startswith("/api/"):
            body = request.body
            if b"\x00" in body:
                return True
            if b"\\u0000" in body:
                try:
                    return _json_has_null(json.loads(body))
                except ValueError:
                    return False
        return False
