"""Rooms pages, one module per audience; urls.py names each view through this package."""

from kyodo.rooms.views.members import (
    apply,
    book,
    booking_detail,
    booking_ics,
    cancel,
    mine,
    permit,
    permit_pdf,
    receipt,
    receipt_pdf,
)
from kyodo.rooms.views.public import facilities_csv, grid, room_detail
from kyodo.rooms.views.staff import (
    approve,
    attendance,
    block,
    day_sheet,
    key,
    payment,
    queue,
    recurring,
    refund,
    return_application,
    staff_book,
    staff_booking,
    staff_cancel,
    statistics,
)

__all__ = [
    "apply", "approve", "attendance", "block", "book", "booking_detail", "booking_ics", "cancel",
    "day_sheet", "facilities_csv", "grid", "key", "mine", "payment", "permit", "permit_pdf", "queue",
    "receipt", "receipt_pdf", "recurring", "refund", "return_application", "room_detail", "staff_book",
    "staff_booking", "staff_cancel", "statistics",
]  # fmt: skip
