"""What the confirmation pages of rooms show (core.confirm): one booking's facts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kyodo.core.confirm import unbroken
from kyodo.core.dates import format_date
from kyodo.core.i18n import in_language
from kyodo.rooms.models import RoomBooking


def booking_facts(booking: RoomBooking) -> list[tuple[str, Any]]:
    """The rows naming one booking: the room, the day and its 区分, the group, the fee."""
    periods = "、".join(
        f"{in_language(p, 'name')} {p.start:%H:%M}–{p.end:%H:%M}" for p in booking.period_list()
    )
    group = booking.group.name if booking.group else _("The center's own use") if booking.for_center else "—"
    return [
        (_("Status"), booking.get_status_display()),
        (_("Room"), f"{in_language(booking.room, 'name')} ({in_language(booking.location, 'name')})"),
        (_("Date"), unbroken(format_date(booking.date))),
        (_("Periods"), periods),
        (_("Group"), group),
        (_("Fee"), _("%(fee)s yen") % {"fee": booking.fee_due}),
    ]
