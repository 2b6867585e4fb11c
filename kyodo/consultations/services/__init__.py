"""Every rule of consultation booking, one use case per function. Pages, the API, commands and the admin
call only these (through this package, which re-exports the public use cases).

- offer: what can be booked (topics, locations, settings, free slots, bookable days)
- checks: the checks of every door's input, rate limits, who is acting
- holding: how a write takes a coordinator's time (lock, re-check, pick, save)
- booking: book, confirm a 仮受付 (from the mailed token, or by staff after calling back)
- changes: move, cancel, reassign, record the outcome, staff notes
- mail: the booking's mail and .ics
- reminders: the daily reminders and lapsing 仮受付
- retention: anonymising old bookings
"""

from kyodo.consultations.services.booking import book, confirm_by_staff, confirm_email, confirmation_for
from kyodo.consultations.services.changes import cancel, mark, move, reassign, update_staff_fields
from kyodo.consultations.services.checks import (
    clean_choice,
    clean_person,
    kana_required,
    parse_start,
    phone_required,
)
from kyodo.consultations.services.mail import manage_path, manage_url
from kyodo.consultations.services.offer import (
    MODE_HELP,
    active_topics,
    bookable_days,
    booking_locations,
    booking_months,
    free_times_by_day,
    public_location,
    public_slots,
    settings_for,
    staff_slots,
)
from kyodo.consultations.services.reminders import expire_pending, send_reminders
from kyodo.consultations.services.retention import anonymise_old, months_before
from kyodo.core.errors import RateLimited, Unavailable

__all__ = [
    "MODE_HELP",
    "RateLimited",
    "Unavailable",
    "active_topics",
    "anonymise_old",
    "book",
    "bookable_days",
    "booking_locations",
    "booking_months",
    "cancel",
    "clean_choice",
    "clean_person",
    "confirm_by_staff",
    "confirm_email",
    "confirmation_for",
    "expire_pending",
    "free_times_by_day",
    "kana_required",
    "manage_path",
    "manage_url",
    "mark",
    "months_before",
    "move",
    "parse_start",
    "phone_required",
    "public_location",
    "public_slots",
    "reassign",
    "send_reminders",
    "settings_for",
    "staff_slots",
    "update_staff_fields",
]
