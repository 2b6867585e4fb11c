"""A client generated from /api/v1/openapi.json (openapi-python-client, as a third party would) reads every
answer: each refusal an operation can give (401, 403, 404, 409, 422, 429) is documented with the one
error schema, date parameters are dates, and an anonymous POST gets 401, not a CSRF 403."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from kyodo.api.api import ERROR_SCHEMA
from kyodo.core.tokens import issue_token
from kyodo.wsgi import application

pytestmark = pytest.mark.django_db
ERROR_REF = f"#/components/schemas/{ERROR_SCHEMA}"


def _generator() -> str:
    beside = Path(sys.executable).with_name("openapi-python-client")  # installed in the same venv
    found = str(beside) if beside.exists() else shutil.which("openapi-python-client")
    assert found, "openapi-python-client is a test dependency (pyproject [test])"
    return found


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def test_every_operation_documents_its_refusals_with_the_error_schema(schema):
    expected = {
        ("get", "/api/v1/me"): {401, 403},
        ("post", "/api/v1/reservations"): {401, 403, 409, 422},
        ("post", "/api/v1/reservations/{reservation_id}/cancel"): {401, 403, 404, 409, 422},
        ("get", "/api/v1/equipment/{type_id}"): {404, 422},
        ("post", "/api/v1/consultations"): {409, 422, 429},
        ("get", "/api/v1/consultations"): {401, 403, 422},
        ("get", "/api/v1/events"): {422},
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            refusals = {
                int(code): answer for code, answer in operation["responses"].items() if int(code) >= 400
            }
            for answer in refusals.values():
                assert answer["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, (method, path)
            if (method, path) in expected:
                assert set(refusals) == expected[(method, path)], (method, path)
            for parameter in operation.get("parameters", []):
                if parameter["name"] in ("start", "end"):
                    types = parameter["schema"].get("anyOf", [parameter["schema"]])
                    dates = [t for t in types if t.get("type") == "string" and t.get("format") == "date"]
                    assert dates, (method, path, parameter)
    assert schema["components"]["schemas"][ERROR_SCHEMA]["required"] == ["detail"]


def test_an_anonymous_post_gets_401_not_a_csrf_403(db):
    strict = Client(enforce_csrf_checks=True)  # as a script without a token or session would call
    response = strict.post("/api/v1/reservations", data={}, content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.fixture
def generated(schema, tmp_path):
    """The client package openapi-python-client writes from the schema, imported."""
    (tmp_path / "schema.json").write_text(json.dumps(schema))
    (tmp_path / "config.yaml").write_text("post_hooks: []\n")  # no formatter run on the generated code
    out = tmp_path / "kyodo_client"
    result = subprocess.run(
        [_generator(), "generate", "--path", str(tmp_path / "schema.json"), "--output-path", str(out),
         "--meta", "none", "--config", str(tmp_path / "config.yaml")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("kyodo_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n == "kyodo_client" or n.startswith("kyodo_client.")]:
            del sys.modules[name]


@pytest.fixture
def wsgi_calls():
    """Like Django's test client: the test's connection (and its transaction) stays open across requests.
    Asked for after the fixtures that use the test client, which connects the signals again after each call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _through_wsgi():
    return {"transport": httpx.WSGITransport(app=application)}


def test_a_generated_client_reads_every_answer(generated, personas, group_a, location, wsgi_calls):
    from kyodo_client import AuthenticatedClient
    from kyodo_client import Client as AnonymousClient
    from kyodo_client.api.accounts import kyodo_api_api_me as me
    from kyodo_client.api.events import kyodo_community_api_get_event as get_event
    from kyodo_client.api.events import kyodo_community_api_list_events as list_events
    from kyodo_client.api.lending import kyodo_lending_api_equipment_detail as equipment_detail
    from kyodo_client.api.lending import kyodo_lending_api_reservation_create as create
    from kyodo_client.models import ApiError, LineInput, MeOut, ReservationIn

    base = "http://testserver"
    anonymous = AnonymousClient(base_url=base, raise_on_unexpected_status=True, httpx_args=_through_wsgi())
    body = ReservationIn(
        items=[LineInput(equipment=1, quantity=1)], pickup_date=dt.date(2030, 1, 8),
        return_date=dt.date(2030, 1, 9), purpose="総会", group=group_a.pk,
    )  # fmt: skip

    refused = create.sync_detailed(client=anonymous, body=body)  # no token, no session: 401, readable
    assert refused.status_code == 401 and isinstance(refused.parsed, ApiError)
    assert "Bearer" in refused.parsed.detail

    missing = equipment_detail.sync_detailed(client=anonymous, type_id=999_999)
    assert missing.status_code == 404 and isinstance(missing.parsed, ApiError)
    assert get_event.sync_detailed(client=anonymous, event_id=999_999).status_code == 404

    backwards = list_events.sync_detailed(
        client=anonymous, start=dt.date(2030, 2, 1), end=dt.date(2030, 1, 1)
    )
    assert backwards.status_code == 422 and isinstance(backwards.parsed, ApiError)
    assert "end" in backwards.parsed.errors.additional_properties

    token = issue_token(personas["member_a"], "client")[1]
    member = AuthenticatedClient(
        base_url=base, token=token, raise_on_unexpected_status=True, httpx_args=_through_wsgi()
    )
    mine = me.sync(client=member)
    assert isinstance(mine, MeOut) and mine.email == personas["member_a"].email
    unknown_type = create.sync_detailed(client=member, body=body)  # equipment 1 does not exist here
    assert unknown_type.status_code in (404, 409, 422) and isinstance(unknown_type.parsed, ApiError)
    wrong = AuthenticatedClient(
        base_url=base, token="kyd_wrong", raise_on_unexpected_status=True, httpx_args=_through_wsgi()
    )
    assert me.sync_detailed(client=wrong).status_code == 401
