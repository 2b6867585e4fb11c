"""Several app servers: the statistics read from a read replica through the router, and the Redis cache.

The replica is a second connection (the `replica` alias, a mirror of the test database in
kyodo/settings_test.py): the year's figures must be read through it and through nothing else, while
bookings and every write stay on `default`. The Redis tests run where a Redis server answers on
127.0.0.1:6379 (this machine has one, so CI runs them) and are skipped with that reason elsewhere."""

import os
import socket
import subprocess
import sys

import pytest
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kyodo.core import replica
from kyodo.core.models import Location
from kyodo.reports import stats

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


needs_redis = pytest.mark.skipif(not _redis_answers(), reason="no Redis server answers on 127.0.0.1:6379")


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_statistics_are_read_from_the_replica_and_nothing_from_the_primary(client, staff, location, settings):
    settings.KYODO_READ_REPLICA = True
    client.force_login(staff)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        with replica.reading():
            report = stats.year_report(2026, Location.objects.get(pk=location.pk))
    assert report.fiscal_year == 2026 and len(report.months) == 12
    assert len(on_replica.captured_queries) > 0
    with CaptureQueriesContext(connections["default"]) as on_default:
        with replica.reading():
            stats.year_report(2026)
    assert on_default.captured_queries == []


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_statistics_page_uses_the_replica_when_one_is_configured(client, staff, location, settings):
    client.force_login(staff)
    url = reverse("reports:statistics")
    settings.KYODO_READ_REPLICA = False
    with CaptureQueriesContext(connections["replica"]) as without:
        assert client.get(url).status_code == 200
    assert without.captured_queries == []
    settings.KYODO_READ_REPLICA = True
    with CaptureQueriesContext(connections["replica"]) as with_replica:
        assert client.get(url).status_code == 200
    assert len(with_replica.captured_queries) > 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_writes_and_reads_outside_the_block_stay_on_the_primary(location, settings):
    settings.KYODO_READ_REPLICA = True
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        with replica.reading():
            Location.objects.filter(pk=location.pk).update(name="更新")  # a write inside the block
        assert Location.objects.get(pk=location.pk).name == "更新"  # a read outside it
    assert on_replica.captured_queries == []


def _settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "kyodo.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_database_cache_is_the_default_and_cache_url_switches_to_redis():
    default = _settings_in_subprocess({"CACHE_URL": ""}, "settings.CACHES['default']['BACKEND']")
    assert default.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"
    redis = _settings_in_subprocess({"CACHE_URL": REDIS_URL}, "settings.CACHES['default']")
    assert "django.core.cache.backends.redis.RedisCache" in redis.stdout
    assert REDIS_URL in redis.stdout


def test_a_cache_url_that_is_not_redis_stops_start_up_naming_it():
    bad = _settings_in_subprocess({"CACHE_URL": "memcached://127.0.0.1:11211"}, "1")
    assert bad.returncode != 0
    assert "CACHE_URL" in bad.stderr and "memcached://" in bad.stderr


@needs_redis
def test_two_app_servers_share_one_redis_cache():
    # Two servers are two processes with their own cache clients on one Redis: a count one makes
    # (a sign-in throttle, a rate limit) is seen and raised by the other.
    first = RedisCache(REDIS_URL, {})
    second = RedisCache(REDIS_URL, {})
    key = f"kyodo-test-{os.getpid()}"
    first.delete(key)
    first.set(key, 1, timeout=30)
    assert second.incr(key) == 2
    assert first.get(key) == 2
    first.delete(key)
    assert second.get(key) is None
