"""The one way a use case locks what it takes (pretix's shape: lock, re-check, write, commit).

`lock(queryset)` takes row locks on exactly the rows it is given, in primary-key order so that two
requests locking overlapping rows never deadlock. It refuses to run outside `transaction.atomic()`: a
lock outside a transaction is released at once and protects nothing. On PostgreSQL it waits at most
KYODO_LOCK_TIMEOUT_MS (a few seconds); past that the caller gets `Busy` ("please retry", a 409), never a
hang or a 500. On SQLite the transaction itself is the lock (IMMEDIATE transactions take the database's
write lock at BEGIN, waiting up to the connection's busy timeout), so the rows are simply read.
"""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, models, transaction

from kyodo.core.errors import Busy

M = TypeVar("M", bound=models.Model)


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("core.locking.lock must run inside transaction.atomic()")


def _set_timeout() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET LOCAL lasts until the end of this transaction only.
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.KYODO_LOCK_TIMEOUT_MS)}")


def _is_lock_timeout(exc: OperationalError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "55P03" or "lock timeout" in str(exc)


def lock(queryset: models.QuerySet[M]) -> list[M]:
    """Lock and return the rows of `queryset`, in pk order. Call inside transaction.atomic()."""
    _require_transaction()
    _set_timeout()
    try:
        return list(queryset.select_for_update().order_by("pk"))
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise Busy() from exc
        raise


def lock_one(queryset: models.QuerySet[M]) -> M | None:
    """Lock and return the first row of `queryset` (or None). Call inside transaction.atomic()."""
    _require_transaction()
    _set_timeout()
    try:
        return queryset.select_for_update().order_by("pk").first()
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise Busy() from exc
        raise
