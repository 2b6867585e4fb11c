"""Blocks this app adds to the group page, the profile page and the staff home."""

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
