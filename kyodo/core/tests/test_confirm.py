"""The one confirmation step (core.confirm, core/confirm.html): what the page shows, that every
destructive action the pages offer goes through it (no one-tap destructive form is left), and the API
token's revocation, the core's own destructive action."""

import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from conftest import PERSONAS
from kyodo.core import confirm, tokens
from kyodo.core.models import ApiToken

pytestmark = pytest.mark.django_db


def _render(**overrides):
    request = RequestFactory().get("/x/")
    request.user = None
    fields = {
        "title": "消しますか", "consequence": "元に戻せません。", "button": "削除する", "back_url": "/back/",
        **overrides,
    }  # fmt: skip
    with translation.override("en"):
        return confirm.page(request, confirm.Confirmation(**fields)).content.decode()


def test_the_page_shows_the_object_the_consequence_a_red_button_and_back(rf):
    html = _render(
        facts=[("Reservation", "#12")], reference="C000012",
        changes=[("When", "10:00", "14:00")], hidden={"start": "2030-01-01T14:00"},
    )  # fmt: skip
    assert "<h1>消しますか</h1>" in html and "元に戻せません。" in html
    assert "C000012" in html and "#12" in html
    assert re.search(r"Before.*After", html, re.S) and "10:00" in html and "→ 14:00" in html
    assert '<button type="submit" class="danger">削除する</button>' in html
    assert 'href="/back/">Back</a>' in html
    assert '<input type="hidden" name="start" value="2030-01-01T14:00">' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert 'name="robots" content="noindex"' in html


def test_a_change_that_destroys_nothing_has_no_red_button():
    html = _render(danger=False)
    assert 'class="danger"' not in html and '<button type="submit">削除する</button>' in html


ONE_TAP = re.compile(r'<form method="post"[^>]*>(?:(?!</form>).)*?<button type="submit" class="danger"', re.S)
DESTRUCTIVE_URL = re.compile(r"action=\"\{% url '[a-z_]+:[a-z_]*(cancel|delete|decline|remove|retire|revoke)")


def test_no_page_destroys_in_one_tap():
    """Every red button and every cancel/delete/decline/remove/retire/revoke action is on the
    confirmation page alone: the other pages link to it."""
    offending = []
    for path in Path("kyodo").rglob("templates/**/*.html"):
        if path.name == "confirm.html" or "email" in path.parts:
            continue
        text = path.read_text()
        if ONE_TAP.search(text) or DESTRUCTIVE_URL.search(text):
            offending.append(str(path))
    assert offending == []


# --- Revoking an API token ------------------------------------------------------------------------------


@pytest.fixture
def token(member_a):
    row, _raw = tokens.issue_token(member_a, "総会の集計スクリプト")
    return row


def test_the_profile_links_to_the_revocation(client_for, token):
    html = client_for("member_a").get("/en/me/developer/").content.decode()
    assert f'href="/en/me/tokens/{token.pk}/revoke/"' in html
    assert f'action="/en/me/tokens/{token.pk}/revoke/"' not in html


def test_revoke_confirmation_changes_nothing_then_the_post_revokes(client_for, token):
    client = client_for("member_a")
    url = f"/en/me/tokens/{token.pk}/revoke/"
    html = client.get(url).content.decode()
    assert "総会の集計スクリプト" in html and token.prefix in html and "Revoke the token" in html
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert client.post(url).status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_revoke_confirmation_per_persona(client_for, token, persona):
    client = client_for(persona)
    url = f"/me/tokens/{token.pk}/revoke/"
    response = client.get(url)
    if persona == "member_a":
        assert response.status_code == 200
        return
    if persona == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:  # even staff do not see or revoke someone else's token here
        assert response.status_code == 404 and "総会の集計スクリプト" not in response.content.decode()
    client.post(url)
    assert ApiToken.objects.filter(pk=token.pk).exists()


# --- Removing an e-mail address -------------------------------------------------------------------------


@pytest.fixture
def second_address(member_a):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=member_a, email=member_a.email, defaults={"primary": True, "verified": True}
    )
    return EmailAddress.objects.create(user=member_a, email="second@example.jp", verified=True)


def test_the_email_page_links_to_the_removal_and_has_no_one_tap_remove(client_for, second_address):
    html = client_for("member_a").get("/en/accounts/email/").content.decode()
    assert f'href="/en/me/email/{second_address.pk}/remove/"' in html
    assert 'name="action_remove"' not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_removal_confirmation_is_only_the_owners_and_changes_nothing(client_for, second_address, persona):
    from allauth.account.models import EmailAddress

    response = client_for(persona).get(f"/en/me/email/{second_address.pk}/remove/")
    if persona == "member_a":
        html = response.content.decode()
        assert response.status_code == 200 and "second@example.jp" in html and "Remove the address" in html
        assert 'name="action_remove"' in html and 'action="/en/accounts/email/"' in html
    elif persona == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404  # someone else's address, staff and admin included
    assert EmailAddress.objects.filter(pk=second_address.pk).exists()


def test_the_confirmation_button_removes_the_address(client_for, second_address):
    from allauth.account.models import EmailAddress

    client = client_for("member_a")
    html = client.get(f"/en/me/email/{second_address.pk}/remove/").content.decode()
    assert 'value="second@example.jp"' in html
    response = client.post("/en/accounts/email/", {"email": "second@example.jp", "action_remove": "1"})
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(pk=second_address.pk).exists()


def test_the_primary_address_cannot_be_removed_from_its_confirmation(client_for, member_a, second_address):
    from allauth.account.models import EmailAddress

    primary = EmailAddress.objects.get(user=member_a, primary=True)
    response = client_for("member_a").get(f"/en/me/email/{primary.pk}/remove/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/email/")
    assert EmailAddress.objects.filter(pk=primary.pk).exists()
