"""Staff: the 使用申請 queue, a booking's page (approve, return, cancel, payment, refund, attendance, key),
the day sheet, booking for a phone caller, recurring bookings, blocks, the 年度 statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kyodo.core import audit, confirm
from kyodo.core.access import staff_member_required
from kyodo.core.dates import fiscal_year
from kyodo.core.doors import act, submit
from kyodo.core.forms import parse_id
from kyodo.core.models import Location
from kyodo.groups.models import Group
from kyodo.rooms import services
from kyodo.rooms.forms import AttendanceForm, BlockForm, PaymentForm, ReasonForm, RecurringForm
from kyodo.rooms.models import Room, RoomBooking, RoomBookingPeriod
from kyodo.rooms.services import stats
from kyodo.rooms.views.confirmations import booking_facts
from kyodo.rooms.views.members import book_flow


@staff_member_required
def queue(request: HttpRequest) -> HttpResponse:
    """使用申請 waiting for a decision, and 仮予約 still waiting for theirs, by deadline."""
    applied = RoomBooking.objects.applied().select_related("room", "group").order_by("date", "pk")
    waiting = (
        RoomBooking.objects.awaiting_application()
        .select_related("room", "group")
        .order_by("application_due", "pk")
    )
    return render(request, "rooms/staff/queue.html", {"applied": applied[:200], "waiting": waiting[:200]})


@staff_member_required
def staff_booking(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        RoomBooking.objects.select_related("room", "location", "group", "requested_by"), pk=pk
    )
    context = {
        "booking": booking,
        "periods": booking.period_list(),
        "payments": booking.payments.all(),
        "history": audit.entries_for(booking).order_by("at"),
        "payment_form": PaymentForm(initial={"amount": booking.outstanding() or None}),
        "attendance_form": AttendanceForm(initial={"attendance": booking.attendance}),
        "done": request.GET.get("done") == "1",
    }
    return render(request, "rooms/staff/booking.html", context)


def _back(pk: int) -> HttpResponse:
    return redirect("rooms:staff_booking", pk)


@staff_member_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    act(
        request,
        lambda: services.approve(request.user, pk),
        lambda b: _("Permitted: permit number %(n)s.") % {"n": b.permit_number},
    )
    return _back(pk)


def _booking(pk: int) -> RoomBooking:
    return get_object_or_404(RoomBooking.objects.select_related("room", "location", "group"), pk=pk)


def _reason_confirmation(
    booking: RoomBooking, form: ReasonForm, *, title: str, consequence: str, button: str, danger: bool
) -> confirm.Confirmation:
    return confirm.Confirmation(
        title=title,
        consequence=consequence,
        button=button,
        back_url=reverse("rooms:staff_booking", args=[booking.pk]),
        facts=booking_facts(booking),
        reference=booking.reference or "",
        form=form,
        danger=danger,
    )


def _return_confirmation(booking: RoomBooking, form: ReasonForm) -> confirm.Confirmation:
    return _reason_confirmation(
        booking, form,
        title=_("Return the use application %(ref)s to the group?") % {"ref": booking.reference},
        consequence=_(
            "The group is told by e-mail, with your reason, and must send the use application again "
            "before its deadline; the periods stay held."
        ),
        button=_("Return to the group"), danger=False,
    )  # fmt: skip


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def return_application(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation with the reason to give (core.confirm); POST: return (the group is mailed)."""
    booking = _booking(pk)
    if confirm.wants_confirmation(request):
        if not booking.is_applied():
            messages.error(request, _("Only a use application waiting for a decision can be returned."))
            return _back(pk)
        return confirm.page(request, _return_confirmation(booking, ReasonForm()))
    form = ReasonForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = submit(
            form, lambda: services.return_application(request.user, pk, form.cleaned_data["reason"])
        )
        if done is not None:
            messages.success(request, _("The application was returned to the group."))
            return _back(pk)
    return confirm.page(request, _return_confirmation(booking, form), status)


def _cancel_confirmation(booking: RoomBooking, form: ReasonForm) -> confirm.Confirmation:
    return _reason_confirmation(
        booking, form,
        title=_("Cancel the booking %(ref)s?") % {"ref": booking.reference},
        consequence=_(
            "The periods are released for others and the group is told by e-mail, with your reason. "
            "This cannot be undone."
        ),
        button=_("Cancel this booking and tell the group"), danger=True,
    )  # fmt: skip


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation with the reason to give (core.confirm); POST: cancel (the group is mailed)."""
    booking = _booking(pk)
    if confirm.wants_confirmation(request):
        if not booking.can_cancel():
            messages.error(request, _("This booking can no longer be cancelled."))
            return _back(pk)
        return confirm.page(request, _cancel_confirmation(booking, ReasonForm()))
    form = ReasonForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = submit(form, lambda: services.cancel(request.user, pk, form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, _("The booking was cancelled; the group was told."))
            return _back(pk)
    return confirm.page(request, _cancel_confirmation(booking, form), status)


@staff_member_required
@require_POST
def payment(request: HttpRequest, pk: int) -> HttpResponse:
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(pk)
    data = form.cleaned_data
    done = act(request, lambda: services.take_payment(request.user, pk, data.get("amount"), data["method"]),
               lambda p: _("Paid: receipt %(n)s.") % {"n": p.receipt_number})  # fmt: skip
    if done:
        latest = get_object_or_404(RoomBooking, pk=pk).payments.order_by("-pk").first()
        if latest is not None:
            return redirect("rooms:receipt", latest.pk)
    return _back(pk)


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def refund(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (core.confirm: what is paid back); POST: refund and issue the 領収書."""
    booking = _booking(pk)
    if confirm.wants_confirmation(request):
        return confirm.page(request, confirm.Confirmation(
            title=_("Refund what was paid for %(ref)s?") % {"ref": booking.reference},
            consequence=_("%(amount)s yen is paid back to the group and recorded with a receipt number.")
            % {"amount": booking.paid()},
            button=_("Refund what was paid"),
            back_url=reverse("rooms:staff_booking", args=[booking.pk]),
            facts=booking_facts(booking),
            reference=booking.reference or "",
            danger=False,
        ))  # fmt: skip
    act(
        request,
        lambda: services.refund(request.user, pk),
        lambda p: _("Refunded: %(n)s.") % {"n": p.receipt_number},
    )
    return _back(pk)


@staff_member_required
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(pk)
    act(
        request,
        lambda: services.record_attendance(request.user, pk, form.cleaned_data["attendance"]),
        _("Attendance recorded."),
    )
    return redirect(
        request.POST.get("next") == "day" and "rooms:day_sheet" or "rooms:staff_booking",
        *([] if request.POST.get("next") == "day" else [pk]),
    )


@staff_member_required
@require_POST
def key(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("action") == "in":
        act(request, lambda: services.key_in(request.user, pk), _("Key returned."))
    else:
        act(request, lambda: services.key_out(request.user, pk), _("Key handed out."))
    return redirect("rooms:day_sheet") if request.POST.get("next") == "day" else _back(pk)


def _location(request: HttpRequest) -> Location | None:
    location_id = parse_id(request.GET.get("location"))
    locations = Location.objects.filter(rooms__isnull=False).distinct().order_by("order", "pk")
    return (locations.filter(pk=location_id).first() if location_id else None) or locations.first()


def _day(request: HttpRequest) -> dt.date:
    try:
        day = dt.date.fromisoformat((request.GET.get("date") or "")[:10])
    except ValueError:
        return services.clock.today()
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else services.clock.today()


@staff_member_required
def day_sheet(request: HttpRequest) -> HttpResponse:
    """Each room and 区分 of a day: who, the person in charge, paid or not, the key, the attendance."""
    location = _location(request)
    day = _day(request)
    rows: list[dict[str, Any]] = []
    if location is not None:
        bookings = {
            (row.room_id, row.period_id): row.booking
            for row in RoomBookingPeriod.objects.active()
            .filter(room__location=location, date=day)
            .select_related("booking", "booking__group")
            .prefetch_related("booking__payments")
        }
        for room in Room.objects.filter(location=location).order_by("order", "pk"):
            for period in services.periods_of(location):
                rows.append({"room": room, "period": period, "booking": bookings.get((room.pk, period.pk))})
    context = {"location": location, "day": day, "rows": rows, "previous": day - dt.timedelta(days=1),
               "next": day + dt.timedelta(days=1), "attendance_form": AttendanceForm()}  # fmt: skip
    return render(request, "rooms/staff/day_sheet.html", context)


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_book(request: HttpRequest) -> HttpResponse:
    """Book for a phone caller (or the center's own use) from the same grid, by the same rules."""
    return book_flow(request, "rooms/staff/book.html", staff=True)


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def recurring(request: HttpRequest) -> HttpResponse:
    rooms = Room.objects.active().select_related("location")
    first = rooms.first()
    periods = services.periods_of(first.location) if first else []
    form = RecurringForm(
        request.POST or None, rooms=rooms, groups=Group.objects.approved().order_by("name"), periods=periods
    )
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "rooms/staff/recurring.html", context)
    if not form.is_valid():
        return render(request, "rooms/staff/recurring.html", context, status=400)
    data = form.cleaned_data
    payload = {"room": data["room"].pk, "group": data["group"].pk if data.get("group") else None,
               "weekday": data["weekday"], "nth": data["nth"], "periods": data["periods"],
               "start": data["start"], "end": data["end"], "purpose": data.get("purpose") or ""}  # fmt: skip
    outcomes, status = submit(form, lambda: services.book_recurring(request.user, payload))
    context["outcomes"] = outcomes
    return render(request, "rooms/staff/recurring.html", context, status=status)


@staff_member_required
@require_http_methods(["GET", "HEAD", "POST"])
def block(request: HttpRequest) -> HttpResponse:
    rooms = Room.objects.active().select_related("location")
    first = rooms.first()
    periods = services.periods_of(first.location) if first else []
    form = BlockForm(request.POST or None, rooms=rooms, periods=periods)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "room": form.cleaned_data["room"].pk}
        result, status = submit(form, lambda: services.block(request.user, data))
        if result is not None:
            messages.success(request, _("The room is blocked."))
            return redirect("rooms:block")
        return render(request, "rooms/staff/block.html", {"form": form}, status=status)
    return render(
        request, "rooms/staff/block.html", {"form": form}, status=400 if request.method == "POST" else 200
    )


@staff_member_required
def statistics(request: HttpRequest) -> HttpResponse:
    location = _location(request)
    today = services.clock.today()
    year_value = parse_id(request.GET.get("year"))
    year = year_value if year_value and 2000 <= year_value <= 2100 else fiscal_year(today)
    figures = stats.year(location, year, until=None) if location else None
    return render(
        request, "rooms/staff/statistics.html", {"figures": figures, "location": location, "year": year}
    )
