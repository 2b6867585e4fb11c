"""The one access table: for every URL of Kyodo, who may read it (GET, HEAD) and who may change through
it (POST and the other unsafe methods). AccessMiddleware applies it to every request before any view
runs, and a test proves the table names every URL and API operation there is, and nothing else.

The table answers the coarse question (is this person one who may be here at all?). Which object a
person may see — their own group's reservation, the booking whose link they hold — is decided by the
use case in the app's services, as before: MEMBER, MANAGER and HOLDER say who the service lets in."""

import functools
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import Resolver404, resolve, reverse

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class Who(IntEnum):
    """Who may pass, in order: each level also lets through everyone above it, NOBODY excepted."""

    ANYONE = 0
    HOLDER = 1  # anyone, but the service answers only to the holder of the link's token
    SIGNED_IN = 2
    MEMBER = 3  # signed in; the service answers only for the person's own groups
    MANAGER = 4  # signed in; the service lets only the group's managers change it
    STAFF = 5
    ADMIN = 6
    NOBODY = 7  # this URL cannot be changed through (GET only)


@dataclass(frozen=True)
class Rule:
    read: Who
    change: Who = Who.NOBODY


A, H, S, M, G, T, D, N = (
    Who.ANYONE, Who.HOLDER, Who.SIGNED_IN, Who.MEMBER, Who.MANAGER, Who.STAFF, Who.ADMIN, Who.NOBODY,
)  # fmt: skip

PAGES: dict[str, Rule] = {
    # core
    "core:home": Rule(A),
    "core:profile": Rule(S, S),
    "core:email_remove": Rule(S),  # GET: the confirmation; its button posts to allauth's account_email
    "core:developer": Rule(S),  # API tokens, for the people who asked for them (a link on /me/)
    "core:token_create": Rule(S, S),
    "core:token_revoke": Rule(S, S),  # GET: the confirmation; POST: revoke
    "core:locations": Rule(A),
    "core:location_calendar": Rule(A),
    "core:outbox": Rule(T, T),
    "healthz": Rule(A),
    "media": Rule(A),  # uploaded images, routed only with DEBUG (the proxy serves them in production)
    "ops:floor": Rule(A),  # the bench's floor page, routed only with KYODO_BENCH
    # reports
    "reports:dashboard": Rule(T, T),
    "reports:statistics": Rule(T, T),
    "reports:annual": Rule(T, T),
    "reports:workbook": Rule(T, T),
    "reports:table_csv": Rule(T, T),
    # groups
    "groups:directory": Rule(A),
    "groups:public": Rule(A, A),  # its form relays a proposal to the group
    "groups:features": Rule(A),
    "groups:feature": Rule(A, A),  # a call for collaboration takes proposals from anyone
    "groups:register": Rule(S, S),
    "groups:detail": Rule(M),
    "groups:edit": Rule(G, G),
    "groups:invite": Rule(G, G),
    "groups:remove_member": Rule(G, G),  # GET: the confirmation; POST: remove
    "groups:accept_invitation": Rule(H, S),
    "groups:review_list": Rule(T, T),
    "groups:review": Rule(T, T),
    "groups:approve": Rule(N, T),
    "groups:decline": Rule(T, T),  # GET: the confirmation with the reason
    # lending
    "lending:catalog": Rule(A),
    "lending:type_detail": Rule(A),
    "lending:kit_detail": Rule(A),
    "lending:request": Rule(M, M),
    "lending:reservation": Rule(M),
    "lending:reservation_ics": Rule(M),
    "lending:cancel": Rule(M, M),  # GET: the confirmation; POST: cancel
    "lending:extend": Rule(M, M),
    "lending:review_list": Rule(T, T),
    "lending:review": Rule(T),
    "lending:approve": Rule(N, T),
    "lending:decline": Rule(T, T),  # GET: the confirmation with the reason
    "lending:edit": Rule(N, T),
    "lending:staff_cancel": Rule(T, T),  # GET: the confirmation
    "lending:extension_approve": Rule(N, T),
    "lending:extension_decline": Rule(T, T),  # GET: the confirmation
    "lending:counter": Rule(T, T),
    "lending:checkout": Rule(T, T),
    "lending:return": Rule(T, T),
    "lending:labels": Rule(T, T),
    "lending:rules": Rule(T, T),
    "lending:unit_lookup": Rule(T, T),
    "lending:unit": Rule(A, T),  # the page a unit's QR label opens; staff change its status there
    "lending:unit_retire": Rule(T, T),  # GET: the confirmation; POST: retire
    # consultations
    "consultations:start": Rule(A),
    "consultations:details": Rule(A, A),
    "consultations:received": Rule(H),  # the session that made the 仮受付 (no token in the address)
    "consultations:confirm": Rule(H, H),  # holder of the mailed confirmation token
    "consultations:manage": Rule(H, H),
    "consultations:manage_ics": Rule(H),
    "consultations:move": Rule(H, H),  # GET ?start=: 変更前 → 変更後; POST: move
    "consultations:cancel": Rule(H, H),  # GET: the confirmation; POST: cancel
    "consultations:privacy": Rule(A),
    "consultations:qr_svg": Rule(A),
    "consultations:qr_png": Rule(A),
    "consultations:flyer": Rule(A),
    "consultations:schedule": Rule(T, T),
    "consultations:staff_book": Rule(T, T),
    "consultations:staff_detail": Rule(T),
    "consultations:staff_notes": Rule(N, T),
    "consultations:staff_reassign": Rule(N, T),
    "consultations:staff_move": Rule(T, T),  # GET: 変更前 → 変更後
    "consultations:staff_cancel": Rule(T, T),  # GET: the confirmation
    "consultations:staff_confirm": Rule(N, T),
    "consultations:staff_outcome": Rule(N, T),
    # community
    "community:events": Rule(A),
    "community:events_archive": Rule(A),
    "community:event_new": Rule(M, M),
    "community:my_events": Rule(M),
    "community:event_manage": Rule(T, T),
    "community:event": Rule(A),
    "community:event_ics": Rule(A),
    "community:event_edit": Rule(M, M),
    "community:event_delete": Rule(M, M),  # GET: the confirmation; POST: delete
    "community:event_cancel": Rule(M, M),  # GET: the confirmation; POST: mark 中止
    "community:event_publish": Rule(N, T),
    "community:event_return": Rule(N, T),
    "community:events_ics": Rule(A),
    "community:events_csv": Rule(A),
    "community:news": Rule(A),
    "community:news_feed": Rule(A),
    "community:news_post": Rule(A),
    "community:newsletter": Rule(T, T),  # staff put the printed newsletter together
    # rooms
    "rooms:grid": Rule(A),
    "rooms:room": Rule(A),
    "rooms:book": Rule(S, S),  # members of a group (or anyone with an account for rooms open to them)
    "rooms:mine": Rule(S),
    "rooms:booking": Rule(M),
    "rooms:booking_ics": Rule(M),
    "rooms:apply": Rule(M, M),
    "rooms:cancel": Rule(M, M),
    "rooms:permit": Rule(M),
    "rooms:permit_pdf": Rule(M),
    "rooms:receipt": Rule(M),
    "rooms:receipt_pdf": Rule(M),
    "rooms:facilities_csv": Rule(A),
    "rooms:queue": Rule(T),
    "rooms:day_sheet": Rule(T),
    "rooms:staff_book": Rule(T, T),
    "rooms:recurring": Rule(T, T),
    "rooms:block": Rule(T, T),
    "rooms:statistics": Rule(T),
    "rooms:staff_booking": Rule(T),
    "rooms:approve": Rule(N, T),
    "rooms:return": Rule(T, T),  # GET: the confirmation
    "rooms:staff_cancel": Rule(T, T),  # GET: the confirmation
    "rooms:payment": Rule(N, T),
    "rooms:refund": Rule(T, T),  # GET: the confirmation
    "rooms:attendance": Rule(N, T),
    "rooms:key": Rule(N, T),
}

# The JSON API, by operation ("METHOD /path" as in /api/v1/openapi.json). The middleware leaves the API
# to ninja's authentication (a token is only known once ninja has read it); a test holds each
# operation's declared auth to its rule here: ANYONE and HOLDER need none, the others a token or session.
API_PREFIX = "/api/v1"
API: dict[str, Rule] = {
    "GET /api/v1/me": Rule(S),
    "GET /api/v1/equipment": Rule(A),
    "GET /api/v1/equipment/{type_id}": Rule(A),
    "GET /api/v1/equipment/{type_id}/availability": Rule(A),
    "GET /api/v1/kits": Rule(A),
    "GET /api/v1/kits/{kit_id}": Rule(A),
    "GET /api/v1/kits/{kit_id}/availability": Rule(A),
    "POST /api/v1/reservations": Rule(N, M),
    "GET /api/v1/reservations": Rule(M),
    "GET /api/v1/reservations/{reservation_id}": Rule(M),
    "POST /api/v1/reservations/{reservation_id}/cancel": Rule(N, M),
    "GET /api/v1/consultations/topics": Rule(A),
    "GET /api/v1/consultations/slots": Rule(A),
    "POST /api/v1/consultations": Rule(N, A),  # anyone books; a token, if sent, names the booker
    "GET /api/v1/consultations": Rule(T),
    "GET /api/v1/events": Rule(A),  # a token, if sent, also shows the caller's own drafts
    "GET /api/v1/events/{event_id}": Rule(A),
    "GET /api/v1/rooms": Rule(A),
    "GET /api/v1/rooms/{room_id}": Rule(A),
    "GET /api/v1/rooms/{room_id}/availability": Rule(A),
    "POST /api/v1/room-bookings": Rule(N, M),
    "GET /api/v1/room-bookings": Rule(M),
    "GET /api/v1/room-bookings/{booking_id}": Rule(M),
    "POST /api/v1/room-bookings/{booking_id}/cancel": Rule(N, M),
}
API_DOCS = {"api:api-root", "api:openapi-json", "api:openapi-view"}  # the schema and its docs: anyone


def api_rule(method: str, path: str) -> Who:
    """Who may call one API operation (the rule's read side for safe methods, its change side else)."""
    rule = API[f"{method.upper()} {path}"]
    return rule.read if method.upper() in SAFE_METHODS else rule.change


# Whole families that their framework guards itself: allauth's pages (sign-in, sign-up, reset: anyone;
# it sends the signed-out to sign in where needed) and Django's admin (staff; its own login page).
FAMILIES: dict[str, Rule] = {
    "account_": Rule(A, A),
    "admin:": Rule(T, T),
}
OPEN_IN_FAMILIES = {"admin:login", "admin:logout", "admin:jsi18n"}


def rule_for(url_name: str | None) -> Rule | None:
    if url_name in PAGES:
        return PAGES[url_name]
    if url_name in API_DOCS or (url_name or "").startswith("api:"):
        return Rule(A, A)  # each operation's own rule is in API, applied by ninja's auth
    if url_name in OPEN_IN_FAMILIES:
        return Rule(A, A)
    for prefix, rule in FAMILIES.items():
        if url_name and url_name.startswith(prefix):
            return rule
    return None


def allows(who: Who, user: Any) -> bool:
    """May this user pass a door marked `who`? (the object-level answer is the service's)"""
    if who is Who.NOBODY:
        return False
    if who <= Who.HOLDER:
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if who is Who.STAFF:
        return bool(user.is_staff)
    if who is Who.ADMIN:
        return bool(user.is_superuser)
    return True


class AccessMiddleware:
    """Applies the table to every page before its view runs: the signed-out are sent to sign in, the
    signed-in without the right get 403, an unsafe method on a read-only URL 405, an unlisted URL 404.
    The API is left to its own authentication (a token is only known once ninja has read it); the API
    table says what each operation's auth is, and a test holds the two together."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        name = match.view_name if match else None
        if name and name.startswith("api:"):
            return None
        rule = rule_for(name)
        if rule is None:
            raise Http404("not in the access table")
        safe = request.method in SAFE_METHODS
        who = rule.read if safe else rule.change
        if who is Who.NOBODY:
            # Allow names what this URL does take: GET for a page, POST for a staff action.
            return HttpResponseNotAllowed(["POST"] if safe else ["GET", "HEAD"])
        if allows(who, request.user):
            return None
        return self._refuse(request, name or "", who)

    def _refuse(self, request: HttpRequest, name: str, who: Who) -> HttpResponse:
        """The signed-out go to the site's sign-in (/accounts/login/, LOGIN_URL), staff pages included: a
        link in a staff mail opened before signing in never lands on the admin's sign-in. The signed-in
        without the right get 403. Only Django's admin keeps its own sign-in page."""
        if name.startswith("admin:"):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied


def staff_member_required(view: Any) -> Any:
    """Django's decorator of the same name, but the signed-out go to the site's sign-in (LOGIN_URL,
    /accounts/login/) and signed-in non-staff get 403: never the admin's sign-in page."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = request.user
        if user.is_active and user.is_staff:
            return view(request, *args, **kwargs)
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied

    return wrapped


def resolve_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None
