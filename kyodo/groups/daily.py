"""Nightly upkeep: repair directory search keys that an update bypassing Group.save() left stale, and
send staff one digest of the new pending registrations."""

import datetime as dt

from django.utils import timezone

from kyodo.groups import services


def run(today: dt.date | None) -> str:
    changed = services.refresh_search_keys()
    listed = services.send_pending_digest(today or timezone.localdate())
    return f"groups: {changed} directory search key(s) refreshed, {listed} new application(s) in the staff digest"
