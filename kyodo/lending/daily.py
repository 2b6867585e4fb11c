"""The daily job: pickup and return reminders for tomorrow, overdue notices. Safe to run twice:
each message carries a dedupe key, so a second run sends nothing again."""

import datetime as dt

from kyodo.lending import emails
from kyodo.lending.models import Reservation


def run(today):
    tomorrow = today + dt.timedelta(days=1)
    pickups = Reservation.objects.to_pick_up(tomorrow, tomorrow)
    returns = Reservation.objects.due_back(tomorrow)
    overdue = Reservation.objects.overdue(today)
    related = ("group", "location")
    sent = {"pickup": 0, "return": 0, "overdue": 0}
    for reservation in pickups.select_related(*related):
        sent["pickup"] += emails.pickup_reminder(reservation)
    for reservation in returns.select_related(*related):
        sent["return"] += emails.return_reminder(reservation)
    for reservation in overdue.select_related(*related):
        sent["overdue"] += emails.overdue(reservation)
    return "messages queued: {pickup} pickup reminder(s), {return} return reminder(s), {overdue} overdue notice(s)".format(
        **sent
    )
