"""The JSON API at /api/v1/. Each app contributes `router` from its own `api.py`."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from kyodo.api.auth import REQUIRED
from kyodo.core.discovery import app_modules
from kyodo.core.errors import RateLimited, Unavailable
from kyodo.core.inputs import messages_for
from kyodo.groups.models import Group

ERROR_SCHEMA = "ApiError"
ERROR_COMPONENT = {
    "title": ERROR_SCHEMA,
    "type": "object",
    "description": "Every refusal: `detail` says what to do in the caller's language; `errors` names the "
    "fields in error (422); a 409 may add what it is about (e.g. `next_free`).",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
    "required": ["detail"],
    "additionalProperties": True,
}
ERROR_WORDS = {
    401: "No valid token or session: send Authorization: Bearer <token>.",
    403: "Signed in, but not permitted (not a member of the group, not staff).",
    404: "No such object, or not one you may see.",
    409: "Not possible now (taken, already decided, or busy): nothing was changed.",
    422: "A parameter or a field of the body is missing or wrong.",
    429: "Too many requests: wait the seconds Retry-After gives.",
}
RATE_LIMITED = {("post", "/api/v1/consultations")}  # the anonymous booking counts requests per client


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> set[int]:
    """The refusals an operation can answer with, from what it is: a token or session required → 401 and
    403; an object in the path → 404; a write → 409 (taken, already decided, a lock busy); any input →
    422; the booking counted per client → 429."""
    statuses = set()
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    if schemes & {"BearerToken", "Session"}:
        statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if method in ("post", "put", "patch", "delete"):
        statuses.add(409)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.add(422)
    if (method, path) in RATE_LIMITED:
        statuses.add(429)
    return statuses


class KyodoAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        """ninja's schema, with every refusal each operation can give documented with the one error
        schema, so a generated client can read every answer (not only the 200)."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"].setdefault("schemas", {})[ERROR_SCHEMA] = ERROR_COMPONENT
        reference = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                declared = {int(code) for code in responses if str(code).isdigit() and int(code) >= 400}
                for status in sorted(declared | error_statuses(method, path, operation)):
                    responses[status] = {
                        "description": ERROR_WORDS.get(status, "Refused."),
                        "content": reference,
                    }
        return schema


api = KyodoAPI(
    title="Kyodo API",
    version="1",
    urls_namespace="api",
    description="Equipment lending, consultations and events of the citizen-activity support center.",
)


def _validation_messages(exc):
    if hasattr(exc, "message_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = _validation_messages(exc)
    first = next(iter(errors.values()))[0]
    return api.create_response(request, {"detail": first, "errors": errors}, status=422)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc):
    # The same words as the form and the service give for the same field (core.inputs.messages_for).
    errors = messages_for(exc.errors)
    first = next(iter(errors.values()))[0] if errors else _("Invalid input.")
    return api.create_response(request, {"detail": first, "errors": errors}, status=422)


@api.exception_handler(RateLimited)
def on_rate_limited(request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    if exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Unavailable)
def on_unavailable(request, exc):
    return api.create_response(request, {"detail": exc.message, **exc.details}, status=409)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("Not permitted.")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    detail = _("Send a valid token in the Authorization header: Authorization: Bearer <token>.")
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


class GroupOut(Schema):
    id: int
    name: str
    approved: bool


class MeOut(Schema):
    email: str
    name: str
    is_staff: bool
    is_coordinator: bool
    groups: list[GroupOut]


@api.get("/me", response=MeOut, auth=REQUIRED, tags=["accounts"])
def me(request):
    user = request.auth if hasattr(request.auth, "email") else request.user
    groups = [
        {"id": g.pk, "name": g.name, "approved": g.is_approved}
        for g in Group.objects.of_member(user).order_by("name")
    ]
    return {
        "email": user.email,
        "name": user.name,
        "is_staff": user.is_staff,
        "is_coordinator": user.is_coordinator,
        "groups": groups,
    }


for _module in app_modules("api"):
    if _module.__name__ == __name__:
        continue  # this module: the app named `api` is the one collecting the routers
    api.add_router(getattr(_module, "PREFIX", "/"), _module.router)
