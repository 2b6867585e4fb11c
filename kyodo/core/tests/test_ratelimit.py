"""Rate limits count exactly: a fixed window whose length does not move with each hit, and parallel
attempts on real connections (file SQLite or PostgreSQL) each counted once."""

import datetime as dt
import threading

import pytest
from django.db import connection

from kyodo.core import ratelimit
from kyodo.core.models import RateLimitWindow

T0 = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)  # on an hour boundary


@pytest.fixture
def limits_on(settings, monkeypatch):
    settings.RATE_LIMITS_ON = True
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_IP", "3/3600")


def test_the_attempt_past_the_limit_is_refused(db, limits_on):
    assert [ratelimit.hit("consultation_ip", "198.51.100.7", now=T0) for _ in range(4)] == [True] * 3 + [
        False
    ]


def test_other_keys_and_other_limits_count_apart(db, limits_on):
    for _ in range(3):
        ratelimit.hit("consultation_ip", "198.51.100.7", now=T0)
    assert ratelimit.hit("consultation_ip", "198.51.100.8", now=T0)
    assert ratelimit.hit("proposal_ip", "198.51.100.7", now=T0)


def test_a_window_ends_on_time_however_often_it_is_hit(db, limits_on):
    """The cache's incr used to push the expiry on every hit; a fixed window ends when it ends."""
    for minute in (0, 20, 40):
        assert ratelimit.hit("consultation_ip", "198.51.100.7", now=T0 + dt.timedelta(minutes=minute))
    assert not ratelimit.hit("consultation_ip", "198.51.100.7", now=T0 + dt.timedelta(minutes=59, seconds=59))
    assert ratelimit.hit("consultation_ip", "198.51.100.7", now=T0 + dt.timedelta(hours=1))


def test_retry_after_is_the_rest_of_the_window(limits_on):
    assert ratelimit.retry_after("consultation_ip", now=T0 + dt.timedelta(minutes=45)) == 15 * 60


def test_off_turns_every_limit_off(db, settings):
    settings.RATE_LIMITS_ON = False
    assert all(ratelimit.hit("consultation_ip", "198.51.100.7", now=T0) for _ in range(20))
    assert not RateLimitWindow.objects.exists()


def test_the_daily_job_removes_ended_windows_only(db, limits_on):
    ratelimit.hit("consultation_ip", "old", now=T0 - dt.timedelta(days=2))
    ratelimit.hit("consultation_ip", "new", now=T0)
    assert ratelimit.purge(now=T0) == 1
    assert list(RateLimitWindow.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_are_each_counted_once(limits_on, monkeypatch):
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_IP", "5/3600")
    clients = 16
    barrier = threading.Barrier(clients)
    results: list[bool | None] = [None] * clients

    def attempt(i: int) -> None:
        try:
            barrier.wait()
            results[i] = ratelimit.hit("consultation_ip", "203.0.113.9", now=T0)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results, key=bool) == [False] * 11 + [True] * 5
    assert RateLimitWindow.objects.get(key="203.0.113.9").count == clients
