"""The current time for every rooms use case: one place, so tests move time there."""

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()


def today() -> dt.date:
    """The current date in Asia/Tokyo."""
    return timezone.localdate(now())
