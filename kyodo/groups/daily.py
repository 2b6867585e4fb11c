"""Nightly upkeep: repair directory search keys that an update bypassing Group.save() left stale."""

import datetime as dt

from kyodo.groups import services


def run(today: dt.date | None) -> str:
    changed = services.refresh_search_keys()
    return f"groups: {changed} directory search key(s) refreshed"
