"""Today's date for every lending use case: one function, so tests move time in one place."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """The current date in Asia/Tokyo."""
    return timezone.localdate()
