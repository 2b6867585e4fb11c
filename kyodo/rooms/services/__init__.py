"""Every rooms rule, transaction and lock. Pages, the API, commands and the admin call only these.

- window: the booking window (opens on the 1st of M−N at opens_at, closes N open days before)
- availability: the 空き状況 per room, day and 区分
- booking: book (the 仮予約, under the room's lock), limits, capacity, terms, uses
- application: apply (the 使用申請, with 減免)
- decisions: approve (使用許可書 number), return_application
- cancellation: cancel (group up to the day, fee kept after the deadline; staff with a reason)
- fees: fee per room × 区分 × category, reductions
- payments: take_payment (領収書), refund
- counter: attendance, key out/in
- blocks: block a room (maintenance, the center's event)
- recurring: book_recurring, with a report per date
- lapse: the daily job (lapse, warnings, reminders)
- stats: the 年度 figures
- clock: now/today (tests move time there)
"""

from kyodo.rooms.services import clock
from kyodo.rooms.services.application import apply
from kyodo.rooms.services.availability import MAX_DAYS, STATES, Cell, room_days
from kyodo.rooms.services.blocks import block
from kyodo.rooms.services.booking import Prepared, book, preview, resolve_periods
from kyodo.rooms.services.cancellation import cancel, cancel_deadline
from kyodo.rooms.services.common import can_view
from kyodo.rooms.services.counter import key_in, key_out, record_attendance
from kyodo.rooms.services.decisions import approve, return_application
from kyodo.rooms.services.fees import fee_for, reduced
from kyodo.rooms.services.payments import refund, take_payment
from kyodo.rooms.services.recurring import Outcome, book_recurring
from kyodo.rooms.services.window import opens_at, periods_of, settings_for, window_at

__all__ = [
    "MAX_DAYS",
    "STATES",
    "Cell",
    "Outcome",
    "Prepared",
    "apply",
    "approve",
    "block",
    "book",
    "book_recurring",
    "can_view",
    "cancel",
    "cancel_deadline",
    "clock",
    "fee_for",
    "key_in",
    "key_out",
    "opens_at",
    "periods_of",
    "preview",
    "record_attendance",
    "reduced",
    "refund",
    "resolve_periods",
    "return_application",
    "room_days",
    "settings_for",
    "take_payment",
    "window_at",
]
