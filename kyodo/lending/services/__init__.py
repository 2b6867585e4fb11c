"""Every lending rule, transaction and lock. Pages, the API, commands and the admin call only these.

One public function per use case, in a module per concept:
- requests: preview, create_request, cancel (the group)
- decisions: approve, decline, edit, free_besides (staff reviewing a request)
- extensions: request_extension, decide_extension
- counter: checkout, return_loan (ReturnedUnit)
- units: set_unit_status, short_reservations, find_unit
- rules: check_rules (the one check of a request, an edit and an extension), update_rules, Line, …
- clock: today (tests move time there)
"""

import datetime as dt

from kyodo.lending.services import clock
from kyodo.lending.services.counter import ReturnedUnit, checkout, return_loan
from kyodo.lending.services.decisions import approve, decline, edit, free_besides
from kyodo.lending.services.extensions import decide_extension, request_extension
from kyodo.lending.services.requests import Borrowers, borrowers, cancel, create_request, preview
from kyodo.lending.services.rules import (
    HORIZON_DAYS,
    RULE_FIELDS,
    Line,
    RulesSummary,
    can_view,
    check_horizon,
    check_rules,
    earliest_pickup,
    ensure_fits,
    hold_end,
    rules_for,
    summaries,
    summary,
    update_rules,
)
from kyodo.lending.services.units import UnitCard, find_unit, set_unit_status, short_reservations, unit_card


def today() -> dt.date:
    """The current date in Asia/Tokyo (clock.today, where tests move time)."""
    return clock.today()


__all__ = [
    "Borrowers",
    "borrowers",
    "HORIZON_DAYS",
    "RULE_FIELDS",
    "Line",
    "ReturnedUnit",
    "RulesSummary",
    "UnitCard",
    "approve",
    "can_view",
    "cancel",
    "check_horizon",
    "check_rules",
    "checkout",
    "create_request",
    "decide_extension",
    "decline",
    "earliest_pickup",
    "edit",
    "ensure_fits",
    "find_unit",
    "free_besides",
    "hold_end",
    "preview",
    "request_extension",
    "return_loan",
    "rules_for",
    "set_unit_status",
    "short_reservations",
    "summaries",
    "summary",
    "today",
    "unit_card",
    "update_rules",
]
