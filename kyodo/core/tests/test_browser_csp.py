"""Under the Content-Security-Policy nothing on the site is refused: every page of the site map that needs
no argument, as the public, a member, staff and the admin (the admin's index, a changelist and change
forms too), is visited in Chromium on the demo content, and any violation — in the console or as a
`securitypolicyviolation` event — fails the test. A style or script the policy refuses would otherwise
go unnoticed: the page still loads, only unstyled or without its button working. Chromium's warnings
about the Permissions-Policy header (a feature name it does not know) fail it too."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from kyodo.community.models import Event, NewsPost
from kyodo.core.models import Location, User
from kyodo.groups.models import Feature, Group
from kyodo.lending.models import EquipmentType, Kit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PERSONAS = {
    "public": None,
    "member": "member@example.jp",  # the demo accounts (kyodo/core/demo.py)
    "staff": "staff@example.jp",
    "admin": "admin@example.jp",
}
# Reported by the page to the test through an exposed function, on every page the context opens.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""
ADMIN_PAGES = ["admin:index", "admin:groups_group_changelist"]  # and the change forms in _admin_paths
NOT_PAGES = ("admin:", "api:api-root")  # the admin is visited by ADMIN_PAGES; the API root is JSON


def _url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _site_map() -> dict[str, str]:
    """{url name: path} of every route that takes no argument, the admin's left out."""
    paths = {}
    for name in _url_names():
        if name.startswith(NOT_PAGES):
            continue
        try:
            paths[name] = reverse(name)
        except NoReverseMatch:
            continue  # needs an argument
    return paths


def _admin_paths() -> dict[str, str]:
    paths = {name: reverse(name) for name in ADMIN_PAGES}
    # Inlines with autocomplete (select2), and inlines with the date and time widgets.
    paths["admin:groups_group_change"] = reverse("admin:groups_group_change", args=[Group.objects.first().pk])
    paths["admin:core_location_change"] = reverse(
        "admin:core_location_change", args=[Location.objects.first().pk]
    )
    return paths


def _object_pages() -> dict[str, str]:
    """The public pages of one object each (the demo's first), where member-written text is shown."""
    objects = {
        "core:location_calendar": Location.objects.first(),
        "community:event": Event.objects.published().first(),
        "community:news_post": NewsPost.objects.published().first(),
        "groups:public": Group.objects.filter(status=Group.Status.APPROVED, listed=True).first(),
        "groups:feature": Feature.objects.published().first(),
        "lending:type_detail": EquipmentType.objects.first(),
        "lending:kit_detail": Kit.objects.first(),
    }
    return {name: reverse(name, args=[obj.pk]) for name, obj in objects.items() if obj is not None}


def _html_pages(client: Client, paths: dict[str, str]) -> dict[str, str]:
    """{url name: path} of the HTML pages this persona ends on (after redirects: a page that sends the
    signed-out to sign in gives the sign-in page), each page once; files and refusals left out."""
    pages: dict[str, str] = {}
    for name, path in paths.items():
        response = client.get(path, follow=True)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            final = response.request["PATH_INFO"]
            if final not in pages.values():
                pages[name] = final
    return pages


def _signed_in_page(new_page, live_server, email):
    page = new_page()
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
    return page, client


def _violations(page, pages: dict[str, str]) -> list[str]:
    found: list[str] = []
    current = {"path": ""}
    page.expose_function("cspViolation", lambda text: found.append(f"{current['path']}: {text}"))
    page.context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text or "Permissions-Policy" in text:
            found.append(f"{current['path']}: console: {text[:300]}")

    page.on("console", on_console)
    for path in pages.values():
        current["path"] = path
        page.goto(path)
        page.wait_for_load_state("load")
    return found


def _is_consultations(name: str) -> bool:
    return name.startswith("consultations:")


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())
    # Member-written text with an image from elsewhere: shown as a link, it loads nothing the CSP refuses.
    post = NewsPost.objects.published().first()
    post.body += "\n\n![tracker](https://tracker.example/pixel.png)"
    post.save()


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_page_is_refused_anything_by_the_csp(new_page, live_server, demo, persona):
    page, client = _signed_in_page(new_page, live_server, PERSONAS[persona])
    paths = _site_map() | _object_pages()
    if persona in ("staff", "admin"):
        paths |= _admin_paths()
    pages = {name: path for name, path in _html_pages(client, paths).items() if not _is_consultations(name)}
    assert "core:home" in pages and len(pages) >= 8, pages
    assert _violations(page, pages) == []


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_no_consultation_page_is_refused_anything_by_the_csp(new_page, live_server, demo, persona):
    # The pages of kyodo/consultations (their styles now in core/consultation.css and core/flyer.css).
    page, client = _signed_in_page(new_page, live_server, PERSONAS[persona])
    pages = {name: path for name, path in _html_pages(client, _site_map()).items() if _is_consultations(name)}
    assert pages, "the consultation pages are in the site map"
    assert _violations(page, pages) == []


def test_a_print_button_prints_without_inline_script(new_page, live_server, demo):
    page, _client = _signed_in_page(new_page, live_server, PERSONAS["staff"])
    page.context.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    page.goto(reverse("reports:annual"))
    page.locator("button[data-print]").click()
    assert page.evaluate("window.printed") == 1
