"""Rooms mail at each step (仮予約, 使用申請 received, 許可, returned, lapse warning, lapsed, cancelled,
reminder the day before use), each in its recipient's language with the 受付番号 and an .ics, in the
center's voice (core.mail.compose through notify.send): 「○○ 様」 and the booking's location's signature."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.core import ics, notify
from kyodo.core.mail import Addressee, names_by_email
from kyodo.core.models import User
from kyodo.core.notify import Rendered
from kyodo.rooms.models import RoomBooking

Recipient = tuple[str | list[str], str]


def booking_recipients(booking: RoomBooking) -> list[Recipient]:
    if booking.group is not None:
        return list(booking.group.mail_recipients())
    user = booking.requested_by
    if user is not None and not booking.for_center:
        return [(user.email, notify.language_of(user))]
    return []


def staff_recipients() -> list[Recipient]:
    by_language: dict[str, list[str]] = {}
    for user in User.objects.filter(is_staff=True, is_active=True).order_by("email"):
        by_language.setdefault(notify.language_of(user), []).append(user.email)
    return [(emails, language) for language, emails in by_language.items()]


def booking_url(booking: RoomBooking, staff: bool = False) -> str:
    name = "rooms:staff_booking" if staff else "rooms:booking"
    return notify.absolute_url(reverse(name, args=[booking.pk]))


def _times(booking: RoomBooking) -> tuple[dt.datetime | dt.date, dt.datetime | None]:
    starts, ends = booking.starts(), booking.ends()
    if starts is None or ends is None:
        return booking.date, None
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(booking.date, starts, tzinfo=zone),
        dt.datetime.combine(booking.date, ends, tzinfo=zone),
    )


def ics_status(booking: RoomBooking) -> str:
    if not booking.is_active():
        return "CANCELLED"
    return "CONFIRMED" if booking.is_approved() else "TENTATIVE"


def ics_entry(booking: RoomBooking, language: str) -> ics.Entry:
    with translation.override(language):
        start, end = _times(booking)
        return ics.Entry(
            uid=f"rooms-{booking.pk}",
            summary=_("%(room)s (booking %(reference)s)")
            % {"room": booking.room.localized_name(language), "reference": booking.reference},
            start=start,
            end=end,
            location=booking.location.localized_name(language),
            url=booking_url(booking),
            status=ics_status(booking),
            sequence=int(booking.updated_at.timestamp()) % 100_000 if booking.updated_at else 0,
        )


def ics_file(booking: RoomBooking, language: str) -> tuple[str, bytes, str]:
    with translation.override(language):
        return ics.attachment(
            [ics_entry(booking, language)], filename=f"{booking.reference}.ics", name=_("Room booking")
        )


def _addressee(email: str | list[str], booking: RoomBooking, names: dict[str, str]) -> Addressee:
    """Staff's notice goes to all of them at once (a list, see staff_recipients): 「センタースタッフ各位」;
    the group's mail to one address: the person of the group when the address is an account's."""
    if not isinstance(email, str):
        return Addressee(staff=True)
    organisation = booking.group.name if booking.group is not None else ""
    return Addressee(name=names.get(email.lower(), ""), organisation=organisation)


def _send(
    template: str,
    recipients: Sequence[Recipient],
    booking: RoomBooking,
    dedupe_prefix: str | None = None,
    staff: bool = False,
    with_ics: bool = True,
) -> int:
    queued = 0
    calendars: dict[str, tuple[str, bytes, str]] = {}
    rendered: Rendered = {}
    context = {"booking": booking, "periods": booking.period_list(), "url": booking_url(booking, staff)}
    names = names_by_email(email for email, _language in recipients if isinstance(email, str))
    for email, language in recipients:
        address = email if isinstance(email, str) else ",".join(email)
        key = f"{dedupe_prefix}:{address.lower()}" if dedupe_prefix else None
        if with_ics and language not in calendars:
            calendars[language] = ics_file(booking, language)
        attachments = [calendars[language]] if with_ics else []
        queued += (
            notify.send(
                f"rooms/email/{template}",
                email,
                context,
                language=language,
                attachments=attachments,
                dedupe_key=key,
                rendered=rendered,
                addressee=_addressee(email, booking, names),
                location=booking.location,
            )
            is not None
        )
    return queued


def provisional(booking: RoomBooking) -> None:
    _send("provisional", booking_recipients(booking), booking)


def applied(booking: RoomBooking) -> None:
    _send("applied", booking_recipients(booking), booking)
    _send("applied_staff", staff_recipients(), booking, staff=True, with_ics=False)


def approved(booking: RoomBooking) -> None:
    _send("approved", booking_recipients(booking), booking)


def returned(booking: RoomBooking) -> None:
    _send("returned", booking_recipients(booking), booking)


def cancelled(booking: RoomBooking) -> None:
    _send("cancelled", booking_recipients(booking), booking)
    _send("cancelled_staff", staff_recipients(), booking, staff=True, with_ics=False)


def lapsed(booking: RoomBooking) -> None:
    _send("lapsed", booking_recipients(booking), booking)


def lapse_warning(booking: RoomBooking) -> int:
    return _send(
        "lapse_warning",
        booking_recipients(booking),
        booking,
        dedupe_prefix=f"rooms:lapsewarn:{booking.pk}:{booking.application_due}",
    )


def reminder(booking: RoomBooking) -> int:
    return _send(
        "reminder",
        booking_recipients(booking),
        booking,
        dedupe_prefix=f"rooms:remind:{booking.pk}:{booking.date}",
    )
