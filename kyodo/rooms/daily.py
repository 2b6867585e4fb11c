"""The rooms' part of the daily job (`manage.py daily`): lapses, lapse warnings, reminders."""

import datetime as dt

from kyodo.rooms.services import lapse


def run(today: dt.date) -> str:
    return lapse.run(today)
