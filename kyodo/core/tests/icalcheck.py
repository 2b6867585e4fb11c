"""A second reader for the .ics Kyodo writes (icalendar writes them): vobject parses each file, and the
rules libical's checks apply that concern us are asserted line by line, independently of both."""

from __future__ import annotations

import vobject

VTIMEZONE_PROPERTIES = {"TZID", "LAST-MODIFIED", "TZURL"}  # RFC 5545 3.6.5, besides X- properties
VEVENT_REQUIRED = {"UID", "DTSTAMP", "DTSTART"}


def _unfolded(raw: bytes) -> list[str]:
    text = raw.decode("utf-8")
    assert "\n" not in text.replace("\r\n", ""), "every line ends in CRLF"
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75, f"a line longer than 75 octets: {line[:40]}…"
    lines: list[str] = []
    for line in text.split("\r\n"):
        if line.startswith((" ", "\t")) and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return lines


def problems(raw: bytes) -> list[str]:
    """What is wrong with a calendar file ([] when nothing)."""
    vobject.readOne(raw.decode("utf-8"))  # raises on anything it cannot parse
    found: list[str] = []
    stack: list[str] = []
    method = False
    event: set[str] = set()
    for line in _unfolded(raw):
        name = line.split(":", 1)[0].split(";", 1)[0].upper()
        value = line.split(":", 1)[1] if ":" in line else ""
        if name == "BEGIN":
            stack.append(value.upper())
            event = set()
            continue
        if name == "END":
            if stack[-1] == "VEVENT":
                if missing := VEVENT_REQUIRED - event:
                    found.append(f"VEVENT without {sorted(missing)}")
                if method and "ORGANIZER" not in event:
                    found.append("METHOD is set but a VEVENT has no ORGANIZER")
            stack.pop()
            continue
        where = stack[-1] if stack else ""
        if where == "VCALENDAR" and name == "METHOD":
            method = True
        if where == "VTIMEZONE" and name not in VTIMEZONE_PROPERTIES and not name.startswith("X-"):
            found.append(f"{name} is not allowed in VTIMEZONE")
        if where == "VEVENT":
            event.add(name)
            if name == "SEQUENCE" and not value.isdigit():
                found.append(f"SEQUENCE is not a number: {value}")
            if name == "ORGANIZER" and not value.lower().startswith("mailto:"):
                found.append(f"ORGANIZER is not a mailto: address: {value}")
    assert not stack, "every BEGIN has its END"
    return found


def sequences(raw: bytes) -> dict[str, int]:
    """{UID: SEQUENCE} of the file's events, read by vobject."""
    calendar = vobject.readOne(raw.decode("utf-8"))
    return {event.uid.value: int(event.sequence.value) for event in calendar.vevent_list}
