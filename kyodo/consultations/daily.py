"""The daily job (`manage.py daily`): tomorrow's reminders and anonymising old bookings. Safe to run twice."""

from kyodo.consultations import services


def run(today):
    reminders = services.send_reminders(today)
    anonymised = services.anonymise_old(today)
    return f"{reminders} consultation reminder(s), {anonymised} old booking(s) anonymised"
