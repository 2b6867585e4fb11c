"""Every answer carries a Content-Security-Policy that lets in only the site itself, and a
Permissions-Policy that turns off the browser features Kyodo never uses."""

import pytest

pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize("path", ["/", "/en/", "/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_page_sends_a_csp_of_the_site_only(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_the_csp_allows_nothing_inline_or_from_elsewhere(client):
    header = client.get("/")["Content-Security-Policy"]
    for word in ["'unsafe-inline'", "'unsafe-eval'", "data:", "http:", "https:", "*"]:
        assert word not in header.split(), word


def test_the_api_also_sends_the_headers(client):
    response = client.get("/api/v1/events")
    assert "Content-Security-Policy" in response
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/admin/login/"])
def test_the_permissions_policy_turns_off_sensitive_features(client, path):
    features = dict(item.strip().split("=", 1) for item in client.get(path)["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"]:
        assert features[feature] == "()", feature
