"""Blocks this app adds to the group page, the profile page, the staff home and the staff dashboard."""

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, pgettext

from kyodo.core.sections import Attention, Board, DayColumn, Waiting
from kyodo.groups.services import is_member
from kyodo.lending import services
from kyodo.lending.models import ExtensionRequest, Reservation


def group(request, group):
    """The group's requests and loans, for its members and staff only."""
    user = request.user
    if not (user.is_authenticated and (user.is_staff or is_member(user, group))):
        return []
    reservations = (
        Reservation.objects.filter(group=group).select_related("group").order_by("-pickup_date", "-pk")[:20]
    )
    return [("lending/sections/reservations.html", {"reservations": reservations, "group": group})]


def profile(request):
    if not request.user.is_authenticated:
        return []
    reservations = (
        Reservation.objects.filter(group__memberships__user=request.user)
        .open()
        .select_related("group")
        .order_by("pickup_date", "pk")[:20]
    )
    return [("lending/sections/reservations.html", {"reservations": reservations, "group": None})]


def staff(request):
    if not (request.user.is_authenticated and request.user.is_staff):
        return []
    today = services.today()
    counts = {
        "requested": Reservation.objects.requested().count(),
        "pickups": Reservation.objects.to_pick_up(last=today).count(),
        "returns": Reservation.objects.due_back(today).count(),
        "overdue": Reservation.objects.overdue(today).count(),
        "extensions": ExtensionRequest.objects.pending().count(),
    }
    return [("lending/sections/staff.html", counts)]


def dashboard(request: HttpRequest, board: Board) -> list[Waiting | Attention | DayColumn]:
    """The staff day's loans: requests and extensions waiting, overdue loans, and each day's counter."""
    reservations = Reservation.objects.select_related("group", "location").prefetch_related(
        "items__equipment_type"
    )
    extensions = ExtensionRequest.objects.pending()
    if board.location is not None:
        reservations = reservations.filter(location=board.location)
        extensions = extensions.filter(reservation__location=board.location)
    review = reverse("lending:review_list")
    overdue = [
        (r, (board.today - r.return_date).days)
        for r in reservations.overdue(board.today).order_by("return_date", "pk")
    ]
    parts: list[Waiting | Attention | DayColumn] = [
        Waiting(20, pgettext("dashboard", "loan requests"), reservations.requested().count(), review),
        Waiting(21, pgettext("dashboard", "extension requests"), extensions.count(), review),
        Attention(
            10,
            "lending/dashboard/overdue.html",
            {"overdue": overdue, "late_pickups": reservations.late_pickups(board.today).count()},
        ),
    ]
    pickups = _by_date(reservations.to_pick_up(board.first, board.last), "pickup_date")
    returns = _by_date(reservations.due_back(board.first, board.last), "return_date")
    for date in board.dates:
        query = f"?date={date:%Y-%m-%d}" + (f"&location={board.location.pk}" if board.location else "")
        counter = (gettext("Open the counter for this day"), reverse("lending:counter") + query)
        parts.append(
            DayColumn(
                10, date, pgettext("dashboard", "Pickups due"), "lending/dashboard/pickup.html",
                pickups.get(date, []), link=counter,
            )
        )  # fmt: skip
        parts.append(
            DayColumn(20, date, pgettext("dashboard", "Returns due"), "lending/dashboard/return.html",
                      returns.get(date, []))
        )  # fmt: skip
    return parts


def _by_date(reservations: QuerySet[Reservation], field: str) -> dict[dt.date, list[Reservation]]:
    result: dict[dt.date, list[Reservation]] = {}
    for reservation in reservations.order_by(field, "pk"):
        result.setdefault(getattr(reservation, field), []).append(reservation)
    return result
