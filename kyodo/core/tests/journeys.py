"""What the browser journeys of issue 12 share: a walk through the site at 375 px that checks each page
it visits (axe, no horizontal scroll), keeps a screenshot of it (var/shots/, not committed), and asserts
the form patterns: the error summary shown, focused and linking to its field; a 受付番号 on the page and
in the mail."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from conftest import PHONE, axe_check
from kyodo.core.models import OutboundEmail

SHOTS = Path(__file__).resolve().parents[3] / "var" / "shots"
PREFIX = {"ja": "", "en": "/en"}
LOCALE = {"ja": "ja-JP", "en": "en-GB"}


@dataclass
class Walk:
    """One person's walk: `see(name)` after every page load."""

    page: object
    journey: str
    language: str
    seen: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)  # (what, HTML) for the Nu checker

    @property
    def prefix(self) -> str:
        return PREFIX[self.language]

    def go(self, path: str, name: str) -> None:
        """Go to a path of the site in the walk's language (a URL, or a path from a mail, as it is)."""
        given = path.startswith(("http", "/en/"))
        self.page.goto(path if given else self.prefix + path)
        self.see(name)

    def click(self, selector: str, name: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.see(name)

    def see(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state()
        self.sources.append((f"{self.journey}-{self.language} {name} {page.url}", page.content()))
        axe_check(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{page.url}: {width}px wide"
        assert page.evaluate("document.documentElement.lang").startswith(self.language), page.url
        SHOTS.mkdir(parents=True, exist_ok=True)
        n = len(self.seen) + 1
        page.screenshot(
            path=str(SHOTS / f"{self.journey}-{self.language}-{n:02d}-{name}.png"), full_page=True
        )
        self.seen.append(page.url)

    def errors_shown(self, *fields: str) -> None:
        """The error summary is there, has the focus, and links to each named field; its first link
        moves the focus to that field."""
        page = self.page
        summary = page.locator("[data-error-summary]")
        assert summary.is_visible(), page.url
        page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
        box = summary.bounding_box()
        assert box is not None and box["y"] < PHONE["height"], page.url  # seen without scrolling
        for name in fields:
            assert summary.locator(f"a[href='#{name}']").count() == 1, (page.url, name)
        if fields:
            summary.locator(f"a[href='#{fields[0]}']").click()
            focused = page.evaluate("document.activeElement.id || document.activeElement.name")
            assert fields[0].removeprefix("id_") in focused, (page.url, focused)


def mail_to(address: str, containing: str = "") -> OutboundEmail:
    """The latest mail to an address (that contains a text)."""
    mails = OutboundEmail.objects.filter(to=[address]).order_by("-id")
    for mail in mails:
        if containing in mail.body:
            return mail
    raise AssertionError(f"no mail to {address} with {containing!r}: {[m.subject for m in mails]}")


def link_in(mail: OutboundEmail, pattern: str) -> str:
    found = re.search(rf"https?://\S+{pattern}", mail.body)
    assert found, (pattern, mail.body)
    return found.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def assert_valid_html(folder: Path, *walks: Walk) -> None:
    """Every page the walks saw is valid HTML for the W3C Nu checker (one Java process for them all)."""
    from kyodo.core.tests.test_html_valid import nu_errors

    files = {}
    for walk in walks:
        for n, (what, html) in enumerate(walk.sources):
            path = folder / f"{walk.journey}-{walk.language}-{n:02d}.html"
            path.write_text(html, encoding="utf-8")
            files[path] = what
    assert files
    errors = nu_errors(files)
    assert not errors, "\n".join(errors)
