"""A fixed-window rate limit in the shared cache (the database cache, so every app server sees it).

Limits are settings read from the environment (KYODO_RATE_LIMIT_<NAME>="count/seconds");
KYODO_RATE_LIMITS=off turns them all off for load tests (never the default)."""

import os

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULTS = {
    # name: (count, seconds)
    "consultation_ip": (10, 3600),
    "consultation_email": (3, 3600),
    "proposal_ip": (5, 3600),
    "proposal_email": (3, 3600),
}


def limit_for(name: str) -> tuple[int, int]:
    raw = os.environ.get(f"KYODO_RATE_LIMIT_{name.upper()}")
    if raw:
        count, seconds = raw.split("/")
        return int(count), int(seconds)
    return DEFAULTS[name]


def hit(name: str, key: str) -> bool:
    """Count one attempt for (name, key). Returns False when the limit is exceeded."""
    if not settings.RATE_LIMITS_ON:
        return True
    count, seconds = limit_for(name)
    cache_key = f"rl:{name}:{key}"
    cache.add(cache_key, 0, seconds)
    try:
        current = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        current = 1
    return current <= count


def client_ip(request: HttpRequest) -> str:
    """The client's address; behind the reverse proxy, its X-Forwarded-For (see README)."""
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.KYODO_TRUST_X_FORWARDED_FOR:
        return forwarded.split(",")[-1].strip()
    remote: str = request.META.get("REMOTE_ADDR", "")
    return remote
