"""Lending pages, one module per audience; urls.py names each view through this package."""

from kyodo.lending.views import review as staff_review
from kyodo.lending.views.catalogue import catalog, kit_detail, type_detail
from kyodo.lending.views.counter import (
    checkout,
    counter,
    labels,
    return_loan,
    rules,
    unit_detail,
    unit_lookup,
    unit_retire,
)
from kyodo.lending.views.members import cancel, extend, request_equipment, reservation_detail, reservation_ics
from kyodo.lending.views.review import review_list

__all__ = [
    "cancel",
    "catalog",
    "checkout",
    "counter",
    "extend",
    "kit_detail",
    "labels",
    "request_equipment",
    "reservation_detail",
    "reservation_ics",
    "return_loan",
    "review_list",
    "rules",
    "staff_review",
    "type_detail",
    "unit_detail",
    "unit_lookup",
    "unit_retire",
]
