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
from django.urls import reverse

from kyodo.community.models import NewsPost
from kyodo.core.models import Location, User
from kyodo.core.tests.sitemap import html_pages as _html_pages
from kyodo.core.tests.sitemap import object_pages as _object_pages
from kyodo.core.tests.sitemap import site_map as _site_map
from kyodo.groups.models import Group

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


def _admin_paths() -> dict[str, str]:
    paths = {name: reverse(name) for name in ADMIN_PAGES}
    # Inlines with autocomplete (select2), and inlines with the date and time widgets.
    paths["admin:groups_group_change"] = reverse("admin:groups_group_change", args=[Group.objects.first().pk])
    paths["admin:core_location_change"] = reverse(
        "admin:core_location_change", args=[Location.objects.first().pk]
    )
    return paths


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
