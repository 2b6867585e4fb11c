"""What the confirmation pages of lending show (core.confirm): a reservation's or a unit's facts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kyodo.core.confirm import unbroken
from kyodo.core.dates import format_date
from kyodo.core.i18n import in_language
from kyodo.lending.models import Reservation, Unit


def reservation_facts(reservation: Reservation) -> list[tuple[str, Any]]:
    """The rows naming one reservation: who, when, what."""
    items = reservation.items.select_related("equipment_type", "kit")
    what = "\n".join(f"{in_language(i.equipment_type, 'name')} × {i.quantity}" for i in items)
    return [
        (_("Reservation"), f"#{reservation.pk}"),
        (_("Group"), reservation.group.name),
        (_("Pickup"), unbroken(format_date(reservation.pickup_date))),
        (_("Return"), unbroken(format_date(reservation.return_date))),
        (_("Items"), what or "—"),
        (_("Purpose"), reservation.purpose),
    ]


def unit_facts(unit: Unit) -> list[tuple[str, Any]]:
    return [
        (_("Asset tag"), unit.asset_tag),
        (pgettext("equipment types", "Equipment"), in_language(unit.equipment_type, "name")),
        (_("Status"), unit.get_status_display()),
    ]
