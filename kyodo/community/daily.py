"""Nightly upkeep: repair directory search keys that a bulk update (bypassing signals) left stale."""

from kyodo.community import search


def run(today):
    changed = search.rebuild()
    return f"community: {changed} directory search key(s) refreshed"
