"""A short schemathesis run over every /api/v1 operation, in process, with a valid token.

Fails on any 5xx, or a response that does not match the OpenAPI schema (body, content type). The long
run (1,000+ cases against gunicorn) is part of `make bench`."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from kyodo.core.tokens import issue_token
from kyodo.wsgi import application

CHECKS = ["not_a_server_error", "response_schema_conformance", "content_type_conformance"]


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.checks.update(included_check_names=CHECKS)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Like Django's test client: keep the test's connection (and its transaction) open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def member_token(member_a, member_b, staff, location):
    return issue_token(member_a, "fuzz")[1]


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_without_5xx_and_matches_its_schema(case, member_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {member_token}"})
