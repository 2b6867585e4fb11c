"""Lending mail, each in its recipient's language and with an .ics of the pickup and return."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kyodo.core import audit, ics, notify
from kyodo.core.mail import Addressee, names_by_email
from kyodo.core.models import User
from kyodo.core.notify import Rendered
from kyodo.groups.models import Group
from kyodo.lending.models import ExtensionRequest, Reservation, ReservationItem

# (an address or the addresses of one language, the language the message is written in)
Recipient = tuple[str | list[str], str]


def group_recipients(group: Group) -> list[Recipient]:
    """[(email, language)]: whoever receives the group's mail (Group.mail_recipients)."""
    return list(group.mail_recipients())


def staff_recipients() -> list[Recipient]:
    """Staff get the same notice: one message per language to all of them, not one per person (a loan
    request used to render and queue a message for every staff member)."""
    by_language: dict[str, list[str]] = {}
    for user in User.objects.filter(is_staff=True, is_active=True).order_by("email"):
        by_language.setdefault(notify.language_of(user), []).append(user.email)
    return [(emails, language) for language, emails in by_language.items()]


def reservation_url(reservation: Reservation, staff: bool = False) -> str:
    name = "lending:review" if staff else "lending:reservation"
    return notify.absolute_url(reverse(name, args=[reservation.pk]))


def calendar_sequence(reservation: Reservation) -> int:
    """The .ics SEQUENCE of a reservation's pickup and return: 0 as requested, raised by every change
    since (approval, a date or quantity edit, an extension, cancellation, checkout, return), each of
    which the audit log records before its mail goes out. Calendar apps replace their copy only when
    SEQUENCE grows, so an approved or moved loan no longer stays at its first version."""
    return audit.entries_for(reservation).count()


def ics_attachment(reservation: Reservation, language: str) -> tuple[str, bytes, str]:
    if reservation.is_declined() or reservation.is_cancelled():
        status = "CANCELLED"
    elif reservation.is_requested():
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    sequence = calendar_sequence(reservation)
    with translation.override(language):
        where = reservation.location.localized_name(language)
        url = reservation_url(reservation)
        entries = [
            ics.Entry(
                uid=f"lending-{reservation.pk}-pickup",
                summary=_("Equipment pickup (reservation #%(id)s)") % {"id": reservation.pk},
                start=reservation.pickup_date,
                location=where,
                url=url,
                status=status,
                sequence=sequence,
            ),
            ics.Entry(
                uid=f"lending-{reservation.pk}-return",
                summary=_("Equipment return (reservation #%(id)s)") % {"id": reservation.pk},
                start=reservation.return_date,
                location=where,
                url=url,
                status=status,
                sequence=sequence,
            ),
        ]
        return ics.attachment(entries, filename=f"reservation-{reservation.pk}.ics", name=_("Equipment loan"))


def _addressee(email: str | list[str], reservation: Reservation, names: dict[str, str]) -> Addressee:
    """Staff's notice goes to all of them at once (a list, see staff_recipients): 「センタースタッフ各位」;
    the group's mail to one address: the person of the group when the address is an account's."""
    if not isinstance(email, str):
        return Addressee(staff=True)
    return Addressee(name=names.get(email.lower(), ""), organisation=reservation.group.name)


def _send(
    template: str,
    recipients: Sequence[Recipient],
    context: dict[str, Any],
    reservation: Reservation,
    dedupe_prefix: str | None = None,
    with_ics: bool = True,
    items: list[ReservationItem] | None = None,
) -> int:
    """Queue one message per recipient; returns how many were queued (a dedupe key already used: none).

    The message is the same for everyone who reads the same language: it is rendered once per language
    (and its .ics made once), then queued for each recipient, who sees only their own address."""
    queued = 0
    # Read once, not once per recipient: a group and the staff can be a dozen addresses.
    if items is None:
        items = list(reservation.items.select_related("equipment_type", "kit"))
    calendars: dict[str, tuple[str, bytes, str]] = {}
    rendered: Rendered = {}
    names = names_by_email(email for email, _language in recipients if isinstance(email, str))
    for email, language in recipients:
        address = email if isinstance(email, str) else ",".join(email)
        key = f"{dedupe_prefix}:{address.lower()}" if dedupe_prefix else None
        if with_ics and language not in calendars:
            calendars[language] = ics_attachment(reservation, language)
        attachments = [calendars[language]] if with_ics else []
        queued += (
            notify.send(
                template,
                email,
                {**context, "reservation": reservation, "items": items},
                language=language,
                attachments=attachments,
                dedupe_key=key,
                rendered=rendered,
                addressee=_addressee(email, reservation, names),
                location=reservation.location,
            )
            is not None
        )
    return queued


def request_received(reservation: Reservation) -> None:
    items = list(reservation.items.select_related("equipment_type", "kit"))
    _send(
        "lending/email/request_received",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
        items=items,
    )
    _send(
        "lending/email/request_received_staff",
        staff_recipients(),
        {"url": reservation_url(reservation, staff=True)},
        reservation,
        with_ics=False,
        items=items,
    )


def decided(reservation: Reservation) -> None:
    template = "lending/email/approved" if reservation.is_approved() else "lending/email/declined"
    _send(template, group_recipients(reservation.group), {"url": reservation_url(reservation)}, reservation)


def changed(reservation: Reservation, changes: Any) -> None:
    """Staff changed the dates or quantities: the group is told what changed (before → after), with the
    new .ics."""
    _send(
        "lending/email/changed",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation), "changes": changes},
        reservation,
    )


def cancelled(reservation: Reservation) -> None:
    _send(
        "lending/email/cancelled",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
    )


def extension_requested(extension: ExtensionRequest) -> None:
    reservation = extension.reservation
    _send(
        "lending/email/extension_requested",
        staff_recipients(),
        {"extension": extension, "url": reservation_url(reservation, staff=True)},
        reservation,
        with_ics=False,
    )


def extension_decided(extension: ExtensionRequest) -> None:
    reservation = extension.reservation
    _send(
        "lending/email/extension_decided",
        group_recipients(reservation.group),
        {"extension": extension, "url": reservation_url(reservation)},
        reservation,
    )


def pickup_reminder(reservation: Reservation) -> int:
    return _send(
        "lending/email/pickup_reminder",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
        dedupe_prefix=f"lending:pickup:{reservation.pk}:{reservation.pickup_date}",
    )


def return_reminder(reservation: Reservation) -> int:
    return _send(
        "lending/email/return_reminder",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
        dedupe_prefix=f"lending:return:{reservation.pk}:{reservation.return_date}",
    )


def overdue(reservation: Reservation) -> int:
    return _send(
        "lending/email/overdue",
        group_recipients(reservation.group) + staff_recipients(),
        {"url": reservation_url(reservation)},
        reservation,
        dedupe_prefix=f"lending:overdue:{reservation.pk}:{reservation.return_date}",
    )
