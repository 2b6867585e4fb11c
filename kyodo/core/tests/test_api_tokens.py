import pytest
from django.core.management import call_command
from django.test import Client

from conftest import PERSONAS
from kyodo.api.api import api
from kyodo.api.auth import Session
from kyodo.core.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", PERSONAS)
def test_me(api_client_for, personas, group_a, persona):
    response = api_client_for(persona).get("/api/v1/me")
    if persona == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    user = personas[persona]
    assert body["email"] == user.email and body["is_staff"] == user.is_staff
    expected = [{"id": group_a.pk, "name": group_a.name, "approved": True}] if persona == "member_a" else []
    assert body["groups"] == expected if persona != "member_b" else body["groups"][0]["name"] == "Bサークル"


def test_bad_token_is_401(client, personas):
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer kyd_nope"}).status_code == 401


def test_profile_creates_shows_once_and_revokes_tokens(client_for, personas):
    client = client_for("member_a")
    client.post("/me/tokens/", {"name": "script"})
    html = client.get("/me/developer/").content.decode()
    token = html.split('id="new-token">')[1].split("<")[0]
    assert client.get("/me/developer/").content.decode().count(token) == 0  # shown only once
    row = ApiToken.objects.get()
    assert row.key_hash == ApiToken.hash(token) and token not in row.key_hash
    bearer = Client(headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/v1/me").status_code == 200
    # member_b cannot revoke member_a's token
    assert client_for("member_b").post(f"/me/tokens/{row.pk}/revoke/").status_code == 404
    client.post(f"/me/tokens/{row.pk}/revoke/")
    assert bearer.get("/api/v1/me").status_code == 401


def test_issue_token_command_prints_the_token_last(capsys, personas):
    call_command("issue_token", personas["staff"].email)
    token = capsys.readouterr().out.split()[-1]
    assert ApiToken.objects.get().key_hash == ApiToken.hash(token)


def test_openapi_is_published(client, db):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "Kyodo API"
    assert client.get("/api/v1/docs").status_code == 200


def test_last_used_is_written_at_most_every_five_minutes(client, personas, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    from kyodo.core import tokens

    row, raw = tokens.issue_token(personas["member_a"], "cli")
    now = timezone.now()
    monkeypatch.setattr(tokens.timezone, "now", lambda: now)
    assert tokens.user_for_token(raw) == personas["member_a"]
    row.refresh_from_db()
    assert row.last_used_at == now
    monkeypatch.setattr(tokens.timezone, "now", lambda: now + dt.timedelta(minutes=4))
    tokens.user_for_token(raw)
    row.refresh_from_db()
    assert row.last_used_at == now  # a read a few minutes later writes nothing
    monkeypatch.setattr(tokens.timezone, "now", lambda: now + dt.timedelta(minutes=6))
    tokens.user_for_token(raw)
    row.refresh_from_db()
    assert row.last_used_at == now + dt.timedelta(minutes=6)


def _session_operations():
    """(method, path) of every API operation that accepts the signed-in session."""
    api.get_openapi_schema()  # binds the routers
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if any(isinstance(auth, Session) for auth in operation.auth_callbacks or []):
                    url = f"/api/v1{prefix.rstrip('/')}{path}".replace("{reservation_id}", "1")
                    found += [(method, url) for method in operation.methods]
    return found


def test_every_session_write_is_among_the_operations_checked():
    writes = [(m, u) for m, u in _session_operations() if m != "GET"]
    assert ("POST", "/api/v1/reservations") in writes and ("POST", "/api/v1/reservations/1/cancel") in writes


@pytest.mark.parametrize(("method", "url"), _session_operations())
def test_a_call_with_neither_token_nor_cookie_is_401_naming_the_authorization_header(db, method, url):
    client = Client(enforce_csrf_checks=True)  # as a script's HTTP library: no CSRF exemption
    response = client.generic(method, url, "{}", content_type="application/json")
    assert response.status_code == 401, response.content
    assert "Authorization" in response.json()["detail"] and response["WWW-Authenticate"] == "Bearer"


def test_a_signed_in_session_without_the_csrf_token_is_still_refused(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["member_a"])
    response = client.post("/api/v1/reservations", "{}", content_type="application/json")
    assert response.status_code == 403
