"""Fixed-window rate limits, counted exactly in the database (see core.models.RateLimitWindow).

Each attempt increments its window's row in one statement (an upsert), so parallel requests on any number
of app servers never under-count, and a window lasts exactly its length: the cache's `incr` used before
reset the expiry on every hit. Limits are settings read from the environment
(KYODO_RATE_LIMIT_<NAME>="count/seconds"); KYODO_RATE_LIMITS=off turns every limit off, for load tests
only (never the default). The client's address comes from kyodo.core.net.client_address."""

import datetime as dt
import os

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kyodo.core.models import RateLimitWindow
from kyodo.core.net import client_address as client_ip  # noqa: F401  (callers' name for the one function)

DEFAULTS: dict[str, tuple[int, int]] = {
    # name: (count, seconds)
    "consultation_ip": (10, 3600),
    "consultation_email": (3, 3600),
    "consultation_phone": (3, 3600),  # the number's digits only (consultations.services.checks.phone_key)
    "proposal_ip": (5, 3600),
    "proposal_email": (3, 3600),
}


def limit_for(name: str) -> tuple[int, int]:
    raw = os.environ.get(f"KYODO_RATE_LIMIT_{name.upper()}")
    if raw:
        count, seconds = raw.split("/")
        return int(count), int(seconds)
    return DEFAULTS[name]


def window_start(now: dt.datetime, seconds: int) -> dt.datetime:
    """The start of the fixed window `now` falls in (windows are aligned to the Unix epoch)."""
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp(epoch - epoch % seconds, tz=dt.UTC)


def _increment(name: str, key: str, start: dt.datetime) -> int:
    """Add one to the window's row, creating it at 1, and return the new count — one statement."""
    table = connection.ops.quote_name(RateLimitWindow._meta.db_table)
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {table} ({q('name')}, {q('key')}, {q('window_start')}, {q('count')}) "  # noqa: S608  only quoted table and column names are interpolated; values are parameters
        f"VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({q('name')}, {q('key')}, {q('window_start')}) "
        f"DO UPDATE SET {q('count')} = {table}.{q('count')} + 1 RETURNING {q('count')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, key[:200], connection.ops.adapt_datetimefield_value(start)])
        return int(cursor.fetchone()[0])


def hit(name: str, key: str, now: dt.datetime | None = None) -> bool:
    """Count one attempt for (name, key). Returns False when the limit is exceeded."""
    if not settings.RATE_LIMITS_ON:
        return True
    count, seconds = limit_for(name)
    current = _increment(name, key, window_start(now or timezone.now(), seconds))
    return current <= count


def retry_after(name: str, now: dt.datetime | None = None) -> int:
    """Seconds until the current window of the limit ends (for a 429's Retry-After)."""
    now = now or timezone.now()
    _, seconds = limit_for(name)
    return max(1, int((window_start(now, seconds) + dt.timedelta(seconds=seconds) - now).total_seconds()))


def purge(now: dt.datetime | None = None) -> int:
    """Remove the rows of windows that ended (the longest limit is a day or less)."""
    longest = max(seconds for _, seconds in (limit_for(name) for name in DEFAULTS))
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=max(longest, 86400))
    deleted, _ = RateLimitWindow.objects.filter(window_start__lt=cutoff).delete()
    return deleted
