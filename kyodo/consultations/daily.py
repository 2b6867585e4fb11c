"""The daily job (`manage.py daily`): tomorrow's reminders and anonymising old bookings. Safe to run twice."""

import datetime as dt

from kyodo.consultations import services


def run(today: dt.date) -> str:
    reminders = services.send_reminders(today)
    expired = services.expire_pending()
    anonymised = services.anonymise_old(today)
    return (
        f"{reminders} consultation reminder(s), {expired} unconfirmed booking(s) lapsed, "
        f"{anonymised} old booking(s) anonymised"
    )
