"""Staff block a room for maintenance or the center's own event (a 区分 or the whole day)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kyodo.core import audit
from kyodo.core.errors import Unavailable
from kyodo.core.locking import lock_one
from kyodo.rooms.inputs import BlockInput
from kyodo.rooms.models import Room, RoomBlock, RoomBookingPeriod
from kyodo.rooms.services.booking import resolve_periods, resolve_room
from kyodo.rooms.services.common import require


def block(user: Any, data: BlockInput | Mapping[str, Any]) -> RoomBlock:
    if not (user and user.is_authenticated and user.is_staff):
        raise PermissionDenied(_("Only staff block rooms."))
    data = data if isinstance(data, BlockInput) else BlockInput.parse(data)
    require(data.kind in RoomBlock.Kind.values, _("Unknown kind of block."), "kind")
    room = resolve_room(data.room)
    period = resolve_periods(room.location, [data.period])[0] if data.period else None
    with transaction.atomic():
        lock_one(Room.objects.filter(pk=room.pk))
        held = RoomBookingPeriod.objects.active().filter(room=room, date=data.date)
        if period is not None:
            held = held.filter(period=period)
        if held.exists():
            raise Unavailable(_("A booking holds this room then; cancel it first (with a reason)."))
        result = RoomBlock.objects.create(
            room=room, date=data.date, period=period, kind=data.kind, reason=data.reason, created_by=user
        )
        audit.record(user, "rooms.block", result)
    return result
