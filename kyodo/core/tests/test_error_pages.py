"""Error pages (issue 12): 400, 403, 404, 500 and a failed CSRF check in the page's language, in the
site's layout, with the center's phone and e-mail — and the 500 page without a database."""

import pytest
from django.db import DatabaseError
from django.test import Client, RequestFactory
from django.utils import translation

from conftest import PERSONAS, make_user
from kyodo.core import errorpages

pytestmark = pytest.mark.django_db


def in_layout(page, location):
    return 'class="site-header"' in page and location.phone in page and location.email in page


@pytest.mark.parametrize("persona", PERSONAS)
def test_404_in_english_in_the_layout_with_the_contact(client_for, persona, location):
    response = client_for(persona).get("/en/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and in_layout(page, location)
    assert "The page was not found" in page and '<html lang="en">' in page


def test_404_in_japanese(client, location):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404 and in_layout(page, location) and '<html lang="ja">' in page
    assert "Not Found" not in page  # never Django's bare page


def test_403_in_the_layout(client, location):
    user = make_user("nogroup@example.jp")  # signed in, but in no group: may not submit events
    client.force_login(user)
    response = client.get("/en/events/new/")
    page = response.content.decode()
    assert response.status_code == 403 and in_layout(page, location)
    assert "You cannot open this page" in page


def test_400_in_the_layout(client, location):
    response = client.get("/en/", HTTP_HOST="evil.example")  # not an allowed host: SuspiciousOperation
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()


def test_csrf_failure_page(location):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/en/consultation/book/", {"name": "x"})
    page = response.content.decode()
    assert response.status_code == 403 and in_layout(page, location)
    assert "This form could not be sent" in page and "Nothing was saved" in page


def test_500_renders_without_a_database(monkeypatch, settings):
    def down():
        raise DatabaseError("the database is down")

    monkeypatch.setattr("kyodo.core.calendar.default_location", down)
    request = RequestFactory().get("/en/")
    with translation.override("en"):
        response = errorpages.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in page
    assert settings.KYODO_CENTER_PHONE in page and settings.KYODO_CENTER_EMAIL in page
    assert 'class="site-header"' in page


def test_500_names_the_location_when_the_database_works(location):
    with translation.override("en"):
        response = errorpages.server_error(RequestFactory().get("/en/"))
    assert location.phone in response.content.decode()
