"""The client's address: X-Forwarded-For only from a trusted proxy, counted from the right."""

import ipaddress

import pytest
from allauth.account.adapter import get_adapter
from django.test import RequestFactory

from kyodo.core.net import client_address, parse_networks

rf = RequestFactory()


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **meta)


@pytest.fixture
def behind_nginx(settings):
    settings.KYODO_TRUSTED_PROXIES = parse_networks("127.0.0.1, 10.0.0.0/8")


def test_with_no_trusted_proxy_the_header_is_ignored(settings):
    settings.KYODO_TRUSTED_PROXIES = ()
    assert client_address(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_a_header_from_an_untrusted_peer_is_ignored(behind_nginx):
    assert client_address(_request("198.51.100.7", "203.0.113.1")) == "198.51.100.7"


def test_behind_the_proxy_the_client_is_the_rightmost_untrusted_hop(behind_nginx):
    # The client wrote "1.1.1.1" itself; nginx appended the address it really saw.
    assert client_address(_request("127.0.0.1", "1.1.1.1, 203.0.113.5")) == "203.0.113.5"


def test_trusted_hops_are_skipped_from_the_right(behind_nginx):
    assert client_address(_request("127.0.0.1", "1.1.1.1, 203.0.113.5, 10.1.2.3")) == "203.0.113.5"


def test_a_proxy_with_no_header_is_the_client(behind_nginx):
    assert client_address(_request("127.0.0.1")) == "127.0.0.1"


def test_a_malformed_header_falls_back_to_the_peer(behind_nginx):
    assert client_address(_request("127.0.0.1", "1.1.1.1, not-an-address")) == "127.0.0.1"


def test_ipv6_networks(settings):
    settings.KYODO_TRUSTED_PROXIES = parse_networks("::1, fd00::/8")
    assert client_address(_request("::1", "2001:db8::5, fd00::1")) == "2001:db8::5"


def test_a_bad_entry_is_named():
    with pytest.raises(ValueError, match="'10.0.0.300'"):
        parse_networks("127.0.0.1, 10.0.0.300")
    assert parse_networks(" 127.0.0.1 ,, ") == (ipaddress.ip_network("127.0.0.1/32"),)


def test_sign_in_throttle_counts_the_same_address(behind_nginx):
    request = _request("127.0.0.1", "203.0.113.5")
    assert get_adapter(request).get_client_ip(request) == "203.0.113.5"
