"""The one access table (kyodo.core.access): it names every URL and API operation there is and nothing
else, the middleware applies it before any view, and each persona meets it on every page without
arguments. Pages with an object in their URL are walked per persona in each app's own tests."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import PERSONAS
from kyodo.api.api import api
from kyodo.community.models import Event
from kyodo.community.tests.helpers import make_event
from kyodo.core import access
from kyodo.core.access import API, FAMILIES, OPEN_IN_FAMILIES, PAGES, Who, allows, api_rule, rule_for
from kyodo.groups.models import Membership
from kyodo.lending.models import EquipmentType, Reservation, ReservationItem

BENCH_ONLY = {"ops:floor", "media"}  # routed only when KYODO_BENCH is on, and with DEBUG


def _url_names(patterns=None, namespace: str | None = None):
    """Every named route, with its namespace, as the resolver knows it."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def test_every_url_has_a_rule():
    missing = sorted(str(name) for name, _ in _url_names() if name is not None and rule_for(name) is None)
    assert missing == []


def test_the_table_names_no_page_that_does_not_exist():
    existing = {name for name, _ in _url_names()}
    assert sorted(set(PAGES) - existing - BENCH_ONLY) == []


def _operations():
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation


def test_the_api_table_names_every_operation_and_nothing_else():
    assert {f"{method} {path}" for method, path, _ in _operations()} == set(API)


def test_each_api_operation_declares_the_auth_its_rule_needs():
    for method, path, operation in _operations():
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        needs_sign_in = api_rule(method, path) >= Who.SIGNED_IN
        assert needs_sign_in == bool(schemes - {"OptionalAuth"}), f"{method} {path}: {schemes}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_meets_the_api_table_on_every_list(api_client_for, persona, personas, location):
    client = api_client_for(persona)
    for method, path, _ in _operations():
        if method != "GET" or "{" in path:
            continue
        response = client.get(path)
        if allows(api_rule(method, path), personas[persona]):
            assert response.status_code not in (401, 403), path
        else:
            assert response.status_code in (401, 403), path


@pytest.mark.parametrize(
    ("who", "persona", "passes"),
    [
        (Who.ANYONE, "anonymous", True),
        (Who.HOLDER, "anonymous", True),
        (Who.SIGNED_IN, "anonymous", False),
        (Who.SIGNED_IN, "member_a", True),
        (Who.MEMBER, "member_b", True),
        (Who.STAFF, "member_a", False),
        (Who.STAFF, "staff", True),
        (Who.ADMIN, "staff", False),
        (Who.ADMIN, "admin", True),
        (Who.NOBODY, "admin", False),
    ],
)
def test_who_passes_a_door(personas, who, persona, passes):
    assert allows(who, personas[persona]) is passes


def test_a_deactivated_account_passes_no_signed_in_door(personas):
    user = personas["member_a"]
    user.is_active = False
    assert not allows(Who.SIGNED_IN, user)


def _plain_pages():
    """Pages whose URL takes no argument (outside the frameworks' own families)."""
    for name, pattern in _url_names():
        if name in PAGES and name not in BENCH_ONLY and not pattern.pattern.converters:
            yield name


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_meets_the_table_on_every_plain_page(client_for, persona, personas, location):
    client = client_for(persona)
    user = personas[persona]
    for name in _plain_pages():
        response = client.get(reverse(name))
        if allows(PAGES[name].read, user):
            assert response.status_code not in (401, 403), name
            assert not (response.status_code == 302 and "login" in response["Location"]), name
        else:
            assert response.status_code in (302, 403), name
            if response.status_code == 302:
                assert "login" in response["Location"] and "next=" in response["Location"], name


def test_a_post_only_action_refuses_get_and_says_post(client_for, personas):
    response = client_for("admin").get(reverse("consultations:staff_confirm", args=[1]))
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_a_read_only_url_refuses_every_other_method(client_for):
    client = client_for("admin")
    read_only = [n for n in _plain_pages() if PAGES[n].change is Who.NOBODY]
    assert read_only
    for name in read_only:
        assert client.post(reverse(name)).status_code == 405, name


def test_an_unlisted_url_is_not_found(monkeypatch, client_for):
    monkeypatch.delitem(access.PAGES, "core:locations")
    assert client_for("admin").get(reverse("core:locations")).status_code == 404


def test_staff_pages_send_the_signed_out_to_the_sites_sign_in_and_refuse_members(client_for):
    """A link in a staff mail, opened before signing in, leads to /accounts/login/, never /admin/login/."""
    response = client_for("anonymous").get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=" + reverse("reports:dashboard")
    assert client_for("member_a").get(reverse("reports:dashboard")).status_code == 403


def test_families_are_guarded_by_their_framework_and_the_admin_sign_in_is_open(db):
    assert rule_for("account_login") == FAMILIES["account_"]
    assert rule_for("api:openapi-json") is not None
    assert rule_for("admin:index").read is Who.STAFF
    assert all(rule_for(name).read is Who.ANYONE for name in OPEN_IN_FAMILIES)
    assert Client().get(reverse("admin:login")).status_code == 200


# --- Pages about one group's objects: the other group's member is turned away, nothing changes ---------


@pytest.fixture
def group_a_objects(group_a, member_a, location):
    camera = EquipmentType.objects.create(name="WEBカメラ", category="camera", location=location)
    today = dt.date.today()
    reservation = Reservation.objects.create(
        group=group_a, location=location, pickup_date=today + dt.timedelta(days=10),
        return_date=today + dt.timedelta(days=12), hold_until=today + dt.timedelta(days=12),
        purpose="総会", status=Reservation.Status.REQUESTED,
    )  # fmt: skip
    ReservationItem.objects.create(reservation=reservation, equipment_type=camera, quantity=1)
    event = make_event(title="A町会の下書き", group=group_a, state="draft")
    membership = Membership.objects.get(group=group_a, user=member_a)
    return {"group": group_a, "reservation": reservation, "event": event, "membership": membership}


OBJECT_PAGES = [
    # (URL name, how to get its argument from group A's objects, method)
    ("groups:detail", lambda o: [o["group"].pk], "get"),
    ("groups:edit", lambda o: [o["group"].pk], "get"),
    ("groups:edit", lambda o: [o["group"].pk], "post"),
    ("groups:invite", lambda o: [o["group"].pk], "post"),
    ("groups:remove_member", lambda o: [o["group"].pk, o["membership"].pk], "post"),
    ("lending:reservation", lambda o: [o["reservation"].pk], "get"),
    ("lending:cancel", lambda o: [o["reservation"].pk], "post"),
    ("lending:extend", lambda o: [o["reservation"].pk], "post"),
    ("community:event", lambda o: [o["event"].pk], "get"),
    ("community:event_edit", lambda o: [o["event"].pk], "get"),
    ("community:event_edit", lambda o: [o["event"].pk], "post"),
    ("community:event_delete", lambda o: [o["event"].pk], "post"),
    # the confirmation pages of destructive actions (their GET shows the object)
    ("groups:remove_member", lambda o: [o["group"].pk, o["membership"].pk], "get"),
    ("lending:cancel", lambda o: [o["reservation"].pk], "get"),
    ("community:event_delete", lambda o: [o["event"].pk], "get"),
    ("community:event_cancel", lambda o: [o["event"].pk], "get"),
    ("community:event_cancel", lambda o: [o["event"].pk], "post"),
]


@pytest.mark.parametrize(
    ("name", "args", "method"), OBJECT_PAGES, ids=[f"{n}-{m}" for n, _, m in OBJECT_PAGES]
)
def test_another_group_s_member_gets_nothing_of_group_a(client_for, group_a_objects, name, args, method):
    url = reverse(name, args=args(group_a_objects))
    client = client_for("member_b")
    response = (
        client.get(url)
        if method == "get"
        else client.post(url, {"email": "x@example.jp", "name": "乗っ取り"})
    )
    assert response.status_code in (403, 404, 405), (name, method, response.status_code)
    assert "A町会の下書き" not in response.content.decode()
    assert (
        Reservation.objects.get(pk=group_a_objects["reservation"].pk).status == Reservation.Status.REQUESTED
    )
    assert Event.objects.filter(pk=group_a_objects["event"].pk).exists()
    assert Membership.objects.filter(pk=group_a_objects["membership"].pk).exists()
    assert (
        group_a_objects["group"].name
        == type(group_a_objects["group"]).objects.get(pk=group_a_objects["group"].pk).name
    )


@pytest.mark.parametrize(("name", "args"), [(n, a) for n, a, m in OBJECT_PAGES if m == "get"])
def test_group_a_s_own_member_reads_them(client_for, group_a_objects, name, args):
    assert client_for("member_a").get(reverse(name, args=args(group_a_objects))).status_code == 200
