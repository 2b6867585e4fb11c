"""Rate limits at their edges: the count itself is allowed, windows align to the epoch, settings parse."""

import datetime as dt

import pytest

from kyodo.core import ratelimit
from kyodo.core.models import RateLimitWindow

T0 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def limits_on(settings, monkeypatch):
    settings.RATE_LIMITS_ON = True
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_IP", "2/60")


def test_the_defaults_and_an_override_from_the_environment(monkeypatch):
    monkeypatch.delenv("KYODO_RATE_LIMIT_CONSULTATION_EMAIL", raising=False)
    assert ratelimit.limit_for("consultation_email") == (3, 3600)
    assert ratelimit.limit_for("consultation_ip") == ratelimit.DEFAULTS["consultation_ip"]
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_EMAIL", "7/120")
    assert ratelimit.limit_for("consultation_email") == (7, 120)
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_EMAIL", "")
    assert ratelimit.limit_for("consultation_email") == (3, 3600)


def test_a_limit_of_one_allows_exactly_one(db, settings, monkeypatch):
    settings.RATE_LIMITS_ON = True
    monkeypatch.setenv("KYODO_RATE_LIMIT_PROPOSAL_EMAIL", "1/3600")
    assert ratelimit.hit("proposal_email", "a@example.jp", now=T0)
    assert not ratelimit.hit("proposal_email", "a@example.jp", now=T0)


def test_windows_are_aligned_to_the_epoch():
    assert ratelimit.window_start(T0 + dt.timedelta(seconds=59), 60) == T0
    assert ratelimit.window_start(T0 + dt.timedelta(seconds=60), 60) == T0 + dt.timedelta(minutes=1)
    assert ratelimit.window_start(T0, 60) == T0
    assert ratelimit.window_start(T0 - dt.timedelta(seconds=1), 3600) == T0 - dt.timedelta(hours=1)
    assert ratelimit.window_start(T0 + dt.timedelta(minutes=59), 3600) == T0


def test_the_window_turns_on_its_last_second(db, limits_on):
    assert ratelimit.hit("consultation_ip", "k", now=T0)
    assert ratelimit.hit("consultation_ip", "k", now=T0 + dt.timedelta(seconds=59))
    assert not ratelimit.hit("consultation_ip", "k", now=T0 + dt.timedelta(seconds=59, microseconds=999))
    assert ratelimit.hit("consultation_ip", "k", now=T0 + dt.timedelta(seconds=60))
    assert RateLimitWindow.objects.get(window_start=T0).count == 3


def test_a_long_key_is_cut_to_the_column(db, limits_on):
    key = "x" * 300
    assert ratelimit.hit("consultation_ip", key, now=T0)
    assert ratelimit.hit("consultation_ip", key + "y", now=T0)  # the same first 200 characters
    assert not ratelimit.hit("consultation_ip", key, now=T0)
    assert RateLimitWindow.objects.get().key == "x" * 200


def test_retry_after_is_at_least_one_second(limits_on):
    assert ratelimit.retry_after("consultation_ip", now=T0) == 60
    assert ratelimit.retry_after("consultation_ip", now=T0 + dt.timedelta(seconds=59)) == 1
    assert ratelimit.retry_after("consultation_ip", now=T0 + dt.timedelta(seconds=59, milliseconds=999)) == 1
    assert ratelimit.retry_after("consultation_ip", now=T0 + dt.timedelta(seconds=30)) == 30


def test_purge_keeps_a_day_at_least_and_the_longest_limit(db, limits_on, monkeypatch):
    for age in (dt.timedelta(days=1, seconds=1), dt.timedelta(days=1), dt.timedelta(hours=23)):
        RateLimitWindow.objects.create(name="consultation_ip", key=str(age), window_start=T0 - age, count=1)
    assert ratelimit.purge(now=T0) == 1  # older than a day: gone; exactly a day old: kept
    monkeypatch.setenv("KYODO_RATE_LIMIT_PROPOSAL_IP", "5/172800")  # a two-day limit keeps two days
    RateLimitWindow.objects.create(
        name="proposal_ip", key="old", window_start=T0 - dt.timedelta(days=1, hours=12), count=1
    )
    assert ratelimit.purge(now=T0) == 0
    assert ratelimit.purge(now=T0 + dt.timedelta(days=1)) == 1  # only what is older than two days


def test_the_default_limits(monkeypatch):
    """The limits Kyodo ships with, each per hour: 10 bookings per address, 3 per e-mail or phone number,
    5 proposals per address and 3 per e-mail (a change to one is a decision, not an accident)."""
    for name in ratelimit.DEFAULTS:
        monkeypatch.delenv(f"KYODO_RATE_LIMIT_{name.upper()}", raising=False)
    assert {name: ratelimit.limit_for(name) for name in ratelimit.DEFAULTS} == {
        "consultation_ip": (10, 3600),
        "consultation_email": (3, 3600),
        "consultation_phone": (3, 3600),
        "proposal_ip": (5, 3600),
        "proposal_email": (3, 3600),
    }
