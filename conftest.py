"""Shared fixtures: the five personas every page is tested for, and a location with a calendar.

anonymous, member_a (member of approved group_a), member_b (member of approved group_b),
staff (staff and coordinator), admin (superuser)
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """Make the folders the run needs, as `make run` does: the settings create nothing on disk themselves.

    The SQLite test database's folder, and STATIC_ROOT, which WhiteNoise warns about when it is missing."""
    from django.conf import settings  # after pytest-django has configured the settings

    test_name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and test_name:
        Path(test_name).parent.mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


PASSWORD = "test-pass-1234"
PERSONAS = ["anonymous", "member_a", "member_b", "staff", "admin"]


@pytest.fixture(autouse=True)
def _settings_for_tests(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # pytest-django swaps EMAIL_BACKEND for locmem; keep ours so every message goes through the outbox.
    settings.EMAIL_BACKEND = "kyodo.core.mail.OutboxBackend"
    settings.KYODO_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KYODO_DELIVER_ON_COMMIT = False
    settings.KYODO_MAIL_DIR = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(email, **flags):
    from allauth.account.models import EmailAddress

    from kyodo.core.models import User

    user = User.objects.create_user(email=email, password=PASSWORD, name=email.split("@")[0], **flags)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_location(name="テストセンター"):
    """A location open Tuesday–Sunday 9:00–21:00; Monday is its regular closed day."""
    from kyodo.core.models import Location, OpeningHours

    loc, created = Location.objects.get_or_create(
        name=name,
        defaults={
            "name_en": "Test Center",
            "address": "金沢市テスト町1",
            "phone": "076-000-0000",
            "email": "center@example.jp",
        },
    )
    if created:
        for weekday in range(1, 7):
            OpeningHours.objects.create(location=loc, weekday=weekday, opens=dt.time(9), closes=dt.time(21))
    return loc


@pytest.fixture
def location(db):
    return make_location()


@pytest.fixture
def group_a(db):
    from kyodo.groups.models import Group

    return Group.objects.create(
        name="A町会",
        kana="えーちょうかい",
        representative="A代表",
        contact_email="a@example.jp",
        status="approved",
        listed=True,  # listing is the group's choice (off by default); the sample groups chose it
    )


@pytest.fixture
def group_b(db):
    from kyodo.groups.models import Group

    return Group.objects.create(
        name="Bサークル",
        kana="びーさーくる",
        representative="B代表",
        contact_email="b@example.jp",
        status="approved",
        listed=True,
    )


@pytest.fixture
def member_a(group_a):
    from kyodo.groups.models import Membership

    user = make_user("member-a@example.jp")
    Membership.objects.create(group=group_a, user=user, role="manager")
    return user


@pytest.fixture
def member_b(group_b):
    from kyodo.groups.models import Membership

    user = make_user("member-b@example.jp")
    Membership.objects.create(group=group_b, user=user, role="manager")
    return user


@pytest.fixture
def staff(db):
    return make_user("staff@example.jp", is_staff=True, is_coordinator=True)


@pytest.fixture
def admin_user(db):
    return make_user("admin@example.jp", is_staff=True, is_superuser=True)


@pytest.fixture
def personas(db, location, member_a, member_b, staff, admin_user):
    """{persona name: user or None}."""
    return {
        "anonymous": None,
        "member_a": member_a,
        "member_b": member_b,
        "staff": staff,
        "admin": admin_user,
    }


@pytest.fixture
def client_for(personas):
    """client_for("member_a") → a Django test client signed in as that persona."""
    from django.test import Client

    def make(name):
        client = Client()
        if personas[name] is not None:
            client.force_login(personas[name])
        return client

    return make


@pytest.fixture
def api_client_for(personas):
    """api_client_for("staff") → a test client sending that persona's Bearer token (anonymous: none)."""
    from django.test import Client

    from kyodo.core.tokens import issue_token

    def make(name):
        user = personas[name]
        if user is None:
            return Client()
        _row, raw = issue_token(user, "test")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


# --- Browser tests: Playwright driving the system Chromium, with an axe scan ------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for the browser tests under CI (apt-get install chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """new_page(viewport=PHONE) → a page whose relative URLs go to the live test server."""
    contexts = []

    def make(viewport=PHONE, locale="ja-JP"):
        context = chromium.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def axe_check(page):
    """Fail on serious or critical accessibility violations of the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )


def browser_login(page, email, password=PASSWORD, prefix=""):
    page.goto(f"{prefix}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
