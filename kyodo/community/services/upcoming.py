"""The list of upcoming events, read a page at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.utils import timezone

from kyodo.community.models import Event, EventQuerySet, not_over


class UpcomingEvents:
    """Published events not over yet, in date order, sliced like a queryset: upcoming[20:41].

    "Ends today or later, or postponed to a date ahead" is an OR that no index can order, so one query
    made the database read and sort every upcoming event for each page (53 ms a page with 20,000 events
    in the bench). The list is read in two parts instead: events already under way (started before
    today and not over: few, found through the end-date and postponed-to indexes) and events starting
    today or later, read in the order of the (state, start date) index and stopped after the page. The
    order is the same as one ORDER BY start date, start time, id over both. Always two queries, so the
    page makes the same queries on an empty database as on a full one."""

    def __init__(self, events: EventQuerySet | None = None, today: dt.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.given = events if events is not None else Event.objects.all()
        self.events = self.given.published()

    def running(self) -> list[Event]:
        """Events that started before today and are not over, or were postponed to a date ahead, in
        the database's date order. Few rows, read through the (state, end date, start date) and (state,
        postponed to) indexes: the query has no ORDER BY and no range on the start date, either of which
        makes SQLite walk the (state, start date) index through every past event instead."""
        today, published = self.today, Event.State.PUBLISHED
        rows = self.given.filter(not_over(today, state=published)).exclude(start_date__gte=today).order_by()
        # Sorted as ORDER BY start_date, start_time, id sorts on this database: a NULL time comes last on
        # PostgreSQL and first on SQLite, and the events starting from today come in that order too.
        nulls_last = connection.features.nulls_order_largest

        def key(event: Event) -> tuple[Any, ...]:
            if event.start_time is None:
                return (event.start_date, (1,) if nulls_last else (-1,), event.pk)
            return (event.start_date, (0, event.start_time), event.pk)

        return sorted(rows, key=key)

    def __getitem__(self, part: slice) -> list[Event]:
        if not isinstance(part, slice) or part.step is not None:
            raise TypeError("UpcomingEvents takes a slice without a step")
        start, stop = part.start or 0, part.stop
        running = list(self.running())
        later = self.events.filter(start_date__gte=self.today)
        skip = max(start - len(running), 0)
        wanted = None if stop is None else max(stop - start, 0)
        later = later[skip:] if wanted is None else later[skip : skip + wanted]
        rows = running[start:stop] + list(later)
        return rows if wanted is None else rows[:wanted]
