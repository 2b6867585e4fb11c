"""iCalendar (.ics) for anything with a date: loans, consultations, events."""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Timezone, vCalAddress, vText
from icalendar import Event as IcsEvent

from kyodo.core.models import Location
from kyodo.core.text import normalise, one_line


@dataclass
class Entry:
    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = ""  # "", "CONFIRMED", "TENTATIVE" or "CANCELLED"
    sequence: int = 0
    categories: list[str] = field(default_factory=list)


def organizer() -> tuple[str, str]:
    """(name, e-mail) of who sends the invitations: the center (its first location), else the site's
    sender address. RFC 5546 wants an ORGANIZER on every event of a calendar that has a METHOD."""
    center = Location.objects.order_by("order", "id").first()
    if center is not None and center.email:
        return center.localized_name(), center.email
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name or "Kyodo", address


def build(
    entries: Iterable[Entry],
    name: str = "Kyodo",
    method: str | None = None,
    sender: tuple[str, str] | None = None,
) -> bytes:
    """A calendar (bytes) of entries. Dates become all-day events; aware datetimes keep their zone.
    Text is cleaned here too (kyodo.core.text), so a line break stored in a title cannot break the file.
    With a `method` (an invitation in a mail) each event names its ORGANIZER (`sender`, else the center)."""
    if method and sender is None:
        sender = organizer()
    cal = Calendar()
    cal.add("prodid", "-//Kyodo//kyodo//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", one_line(str(name)))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    if method:
        cal.add("method", method)
    for entry in entries:
        event = IcsEvent()
        event.add("uid", f"{entry.uid}@kyodo")
        event.add("summary", one_line(entry.summary))
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", entry.start)
        if entry.end is not None:
            event.add("dtend", entry.end)
        if entry.description:
            event.add("description", normalise(entry.description))
        if entry.location:
            event.add("location", one_line(entry.location))
        if entry.url:
            event.add("url", entry.url)
        if entry.status:
            event.add("status", entry.status)
        if entry.categories:
            event.add("categories", [one_line(c) for c in entry.categories])
        event.add("sequence", entry.sequence)
        if method and sender is not None:
            who = vCalAddress(f"mailto:{sender[1]}")
            who.params["cn"] = vText(one_line(sender[0]))
            event.add("organizer", who)
        cal.add_component(event)
    for position, tzid in enumerate(sorted(cal.get_missing_tzids())):
        zone = _vtimezone(tzid)
        if zone is not None:
            cal.subcomponents.insert(position, zone)  # VTIMEZONE before the events that use it
    ical: bytes = cal.to_ical()
    return ical


@functools.lru_cache(maxsize=8)
def _vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of a zone, built once per process: icalendar works it out from the zone's
    transitions over decades, which took most of a consultation booking's time when done per message."""
    try:
        zone = Timezone.from_tzid(tzid)
    except ValueError:  # a zone icalendar does not know: leave it out, as add_missing_timezones does
        return None
    # icalendar adds a COMMENT ("only works from 1970 to 2038"), which RFC 5545 does not allow in a
    # VTIMEZONE (only TZID, LAST-MODIFIED, TZURL and X- properties; COMMENT belongs in STANDARD/DAYLIGHT).
    for property_name in list(zone):
        if property_name.upper() not in VTIMEZONE_PROPERTIES and not property_name.upper().startswith("X-"):
            del zone[property_name]
    return zone


VTIMEZONE_PROPERTIES = {"TZID", "LAST-MODIFIED", "TZURL"}


METHOD = "PUBLISH"
MIMETYPE = f"text/calendar; method={METHOD}"  # RFC 6047: the mail part says the calendar's METHOD


def attachment(
    entries: Iterable[Entry], filename: str = "invite.ics", name: str = "Kyodo"
) -> tuple[str, bytes, str]:
    """An e-mail attachment tuple for core.notify.send; its Content-Type carries method=PUBLISH."""
    return (filename, build(entries, name=name, method=METHOD), MIMETYPE)
