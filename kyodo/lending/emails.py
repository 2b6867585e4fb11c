"""Lending mail, each in its recipient's language and with an .ics of the pickup and return."""

from django.urls import reverse
from django.utils import translation

from kyodo.core import ics, notify
from kyodo.core.models import User


def group_recipients(group):
    """[(email, language)]: whoever receives the group's mail (Group.mail_recipients)."""
    return group.mail_recipients()


def staff_recipients():
    """Staff get the same notice: one message per language to all of them, not one per person (a loan
    request used to render and queue a message for every staff member)."""
    by_language = {}
    for user in User.objects.filter(is_staff=True, is_active=True).order_by("email"):
        by_language.setdefault(notify.language_of(user), []).append(user.email)
    return [(emails, language) for language, emails in by_language.items()]


def reservation_url(reservation, staff=False):
    name = "lending:review" if staff else "lending:reservation"
    return notify.absolute_url(reverse(name, args=[reservation.pk]))


def ics_attachment(reservation, language):
    from django.utils.translation import gettext as _

    if reservation.is_declined() or reservation.is_cancelled():
        status = "CANCELLED"
    elif reservation.is_requested():
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
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
            ),
            ics.Entry(
                uid=f"lending-{reservation.pk}-return",
                summary=_("Equipment return (reservation #%(id)s)") % {"id": reservation.pk},
                start=reservation.return_date,
                location=where,
                url=url,
                status=status,
            ),
        ]
        return ics.attachment(entries, filename=f"reservation-{reservation.pk}.ics", name=_("Equipment loan"))


def _send(template, recipients, context, reservation, dedupe_prefix=None, with_ics=True, items=None):
    """Queue one message per recipient; returns how many were queued (a dedupe key already used: none).

    The message is the same for everyone who reads the same language: it is rendered once per language
    (and its .ics made once), then queued for each recipient, who sees only their own address."""
    queued = 0
    # Read once, not once per recipient: a group and the staff can be a dozen addresses.
    if items is None:
        items = list(reservation.items.select_related("equipment_type", "kit"))
    calendars, rendered = {}, {}
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
            )
            is not None
        )
    return queued


def request_received(reservation):
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


def decided(reservation):
    template = "lending/email/approved" if reservation.is_approved() else "lending/email/declined"
    _send(template, group_recipients(reservation.group), {"url": reservation_url(reservation)}, reservation)


def cancelled(reservation):
    _send(
        "lending/email/cancelled",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
    )


def extension_requested(extension):
    reservation = extension.reservation
    _send(
        "lending/email/extension_requested",
        staff_recipients(),
        {"extension": extension, "url": reservation_url(reservation, staff=True)},
        reservation,
        with_ics=False,
    )


def extension_decided(extension):
    reservation = extension.reservation
    _send(
        "lending/email/extension_decided",
        group_recipients(reservation.group),
        {"extension": extension, "url": reservation_url(reservation)},
        reservation,
    )


def pickup_reminder(reservation):
    return _send(
        "lending/email/pickup_reminder",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
        dedupe_prefix=f"lending:pickup:{reservation.pk}:{reservation.pickup_date}",
    )


def return_reminder(reservation):
    return _send(
        "lending/email/return_reminder",
        group_recipients(reservation.group),
        {"url": reservation_url(reservation)},
        reservation,
        dedupe_prefix=f"lending:return:{reservation.pk}:{reservation.return_date}",
    )


def overdue(reservation):
    return _send(
        "lending/email/overdue",
        group_recipients(reservation.group) + staff_recipients(),
        {"url": reservation_url(reservation)},
        reservation,
        dedupe_prefix=f"lending:overdue:{reservation.pk}:{reservation.return_date}",
    )
