"""The typed inputs of lending's commands: every limit (quantities, lengths, dates) stated once here.

The service validates with them (`RequestInput.parse`), the API takes them as its request bodies, and
the forms read their limits back and delegate each quantity to `LineInput`: the three doors refuse the
same input with the same words (kyodo.core.inputs.messages_for)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field

from kyodo.core.inputs import BoundedDate, Input

MAX_QUANTITY = 20  # of one type or one kit in one line: more is a typing mistake (the rules cap units too)
MAX_LINES = 50
MAX_PURPOSE = 300
MAX_AUDIENCE = 100_000
MAX_REASON = 300


class LineInput(Input):
    """One line of a request: an equipment type or a kit, and how many."""

    equipment: int | None = None
    kit: int | None = None
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)


class RequestInput(Input):
    """A loan request: its lines, dates, purpose and expected audience (the group is the caller's)."""

    items: list[LineInput] = Field(..., min_length=1, max_length=MAX_LINES)
    pickup_date: BoundedDate
    return_date: BoundedDate
    purpose: str = Field(..., max_length=MAX_PURPOSE)
    audience_size: int | None = Field(None, ge=0, le=MAX_AUDIENCE)


class ExtensionInput(Input):
    """A group asks to keep its loan until a later date."""

    new_return_date: BoundedDate
    reason: str = Field("", max_length=MAX_REASON)


def quantity_errors(value: int | None) -> list[str]:
    """The messages LineInput gives for this quantity (none for a blank or 0: the line is left out)."""
    if not value:
        return []
    try:
        LineInput.parse({"quantity": value})
    except ValidationError as exc:
        return list(exc.message_dict.get("quantity", exc.messages))
    return []


def line_data(
    quantity: Any, equipment_type_id: int | None = None, kit_id: int | None = None
) -> dict[str, Any]:
    return {"equipment": equipment_type_id, "kit": kit_id, "quantity": quantity}
