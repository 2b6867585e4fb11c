"""Statistics and exports may read from a read replica (DATABASE_REPLICA_URL), sparing the primary.

Only code that asks for it reads there: `with replica.reading(): ...` marks the current context, and
`ReplicaRouter` sends that context's reads to the `replica` connection when one is configured. Nothing
else changes: bookings, their checks and every write stay on `default`, so a replica's lag never decides
whether something is free. Without DATABASE_REPLICA_URL there is no `replica` alias and every read stays
on `default`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models

REPLICA = "replica"

_reading: ContextVar[bool] = ContextVar("kyodo_reading_from_replica", default=False)


@contextmanager
def reading() -> Iterator[None]:
    """Reads inside this block go to the replica, if there is one (statistics, exports)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


def in_use() -> bool:
    return _reading.get() and settings.KYODO_READ_REPLICA and REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        return REPLICA if in_use() else None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: models.Model, obj2: models.Model, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == "default"  # the replica follows the primary's schema by replication
