"""Members: book a free cell (a review step, then the done page), the 使用申請, my bookings, cancel,
the 使用許可書 and the 領収書 (printable pages and PDF), the .ics."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kyodo.core import confirm, once, review
from kyodo.core.dates import format_date
from kyodo.core.doors import submit
from kyodo.core.forms import parse_id
from kyodo.core.i18n import in_language
from kyodo.groups.models import Group
from kyodo.rooms import emails, pdf, services
from kyodo.rooms.forms import ApplicationForm, BookingForm, ReasonForm
from kyodo.rooms.models import Payment, Room, RoomBooking
from kyodo.rooms.views.confirmations import booking_facts


def booking_form(request: HttpRequest, data: Any = None, staff: bool = False) -> BookingForm:
    rooms = Room.objects.active().select_related("location")
    groups = (
        Group.objects.approved().order_by("name")
        if staff
        else Group.objects.of_member(request.user).approved()
    )
    initial: dict[str, Any] = {}
    room_id = parse_id(request.GET.get("room"))
    room = rooms.filter(pk=room_id).first() if room_id else None
    if room:
        initial["room"] = room.pk
    if request.GET.get("date"):
        initial["date"] = request.GET["date"][:10]
    if request.GET.get("period"):
        initial["periods"] = [request.GET["period"][:20]]
    if not staff and groups.count() == 1:
        initial["group"] = groups.first()
    location = room.location if room else (rooms.first().location if rooms.exists() else None)  # type: ignore[union-attr]
    periods = services.periods_of(location) if location else []
    return BookingForm(
        data, rooms=rooms, groups=groups.order_by("name"), periods=periods, staff=staff, initial=initial
    )


def _review_rows(prepared: services.Prepared) -> list[tuple[str, str]]:
    """What the review page shows of a checked booking: the room, the day, the 区分, the group, the fee."""
    periods = "、".join(f"{in_language(p, 'name')} {p.start:%H:%M}–{p.end:%H:%M}" for p in prepared.periods)
    room = f"{in_language(prepared.room, 'name')} ({in_language(prepared.room.location, 'name')})"
    return [
        (_("Room"), room),
        (_("Date"), format_date(prepared.data.date)),
        (_("Periods"), periods),
        (_("Group"), prepared.group.name if prepared.group else _("The center's own use")),
        (
            _("Fee"),
            _("%(fee)s yen (a fee reduction can be asked in the use application)") % {"fee": prepared.fee},
        ),
    ]


def _book_page(
    request: HttpRequest, template: str, form: BookingForm, staff: bool, status: int = 200, **extra: Any
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "staff": staff, "once_key": once.key_of(request), **extra}
    return render(request, template, context, status=status)


def book_flow(request: HttpRequest, template: str, staff: bool = False) -> HttpResponse:
    """GET: the form from a cell; the review (every rule, nothing written: core.review); the commit books
    once for the form's one-time key (core.once): a repeat shows the booking already made."""
    form = booking_form(request, request.POST or None, staff)
    step = review.step(request, form, commit_values=("send",))
    if step == review.FORM:
        return _book_page(request, template, form, staff, 400 if form.errors else 200)
    key = request.POST.get(once.FIELD)
    if step == review.COMMIT and (earlier := once.earlier(request, key)) is not None:
        return _already(request, earlier, staff)
    data = form.data_for_service()
    prepared, status = submit(form, lambda: services.preview(request.user, data))
    if prepared is None:
        return _book_page(request, template, form, staff, status)
    if step == review.REVIEW:
        checked = review.of(form, rows=_review_rows(prepared))
        checked.notes.append(
            _(
                "This is a provisional booking: the period is held at once, and the use application "
                "must follow within the days the rules give."
            )
        )
        return _book_page(request, template, form, staff, review=checked)
    made, status = submit(
        form,
        lambda: once.run(request, key, "rooms.booking", lambda: services.book(request.user, data)),
    )
    if made is None:
        return _book_page(request, template, form, staff, status)
    if made.repeat or made.obj is None:
        return _already(request, made, staff)
    messages.success(request, _("Booked. Your reference number is %(ref)s.") % {"ref": made.obj.reference})
    return _done(made.obj, staff)


def _already(request: HttpRequest, made: once.Made[Any], staff: bool) -> HttpResponse:
    """A repeat of a booking already made (a double click, a reload): show that one, never a second."""
    messages.info(request, once.ALREADY_RECEIVED)
    if made.obj is None:
        return redirect("rooms:mine")
    return _done(made.obj, staff)


def _done(booking: RoomBooking, staff: bool) -> HttpResponse:
    response = redirect("rooms:staff_booking" if staff else "rooms:booking", booking.pk)
    response["Location"] += "?done=1"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    return book_flow(request, "rooms/book.html")


def visible_booking(request: HttpRequest, pk: int) -> RoomBooking:
    booking = get_object_or_404(
        RoomBooking.objects.visible_to(request.user).select_related("room", "location", "group"), pk=pk
    )
    return booking


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    bookings = (
        RoomBooking.objects.visible_to(request.user)
        .filter(date__gte=services.clock.today())
        .select_related("room", "group")
        .prefetch_related("periods__period")
        .order_by("date", "pk")
    )
    if request.user.is_staff:
        bookings = bookings.filter(requested_by=request.user)
    return render(request, "rooms/mine.html", {"bookings": bookings[:200]})


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = visible_booking(request, pk)
    context = {
        "booking": booking,
        "periods": booking.period_list(),
        "payments": booking.payments.all(),
        "done": request.GET.get("done") == "1",
        "deadline": services.cancel_deadline(booking),
        "today": services.clock.today(),
    }
    return render(request, "rooms/booking.html", context)


@login_required
def booking_ics(request: HttpRequest, pk: int) -> HttpResponse:
    booking = visible_booking(request, pk)
    language = getattr(request, "LANGUAGE_CODE", "ja")
    filename, content, mimetype = emails.ics_file(booking, language)
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """The 使用申請: the form, a review of what will be sent (the fee after 減免), then send."""
    booking = visible_booking(request, pk)
    initial = {"purpose": booking.purpose, "attendees": booking.attendees, "use": booking.use,
               "person_in_charge": booking.person_in_charge, "reduction": booking.reduction,
               "reduction_reason": booking.reduction_reason}  # fmt: skip
    form = ApplicationForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": form, "booking": booking, "periods": booking.period_list()}
    if not booking.awaits_application():
        context["not_waiting"] = True
        return render(request, "rooms/apply.html", context, status=409 if request.method == "POST" else 200)
    step = review.step(request, form, commit_values=("send",))
    if step == review.FORM:
        return render(request, "rooms/apply.html", context, status=400 if form.errors else 200)
    data = {**form.cleaned_data, "terms_accepted": bool(form.cleaned_data.get("terms_accepted"))}
    parsed, status = submit(form, lambda: ApplicationForm.input_class.parse(data))
    if parsed is None:
        return render(request, "rooms/apply.html", context, status=status)
    if step == review.REVIEW:
        checked = review.of(form)
        fee_due = services.reduced(booking.fee, parsed.reduction)
        checked.rows.append((_("Fee due"), _("%(fee)s yen") % {"fee": fee_due}))
        context.update(review=checked, fee_due=fee_due)
        return render(request, "rooms/apply.html", context)
    done, status = submit(form, lambda: services.apply(request.user, booking.pk, parsed))
    if done is None:
        return render(request, "rooms/apply.html", context, status=status)
    messages.success(request, _("Your use application was sent (%(ref)s).") % {"ref": booking.reference})
    return redirect("rooms:booking", booking.pk)


def _cancel_confirmation(booking: RoomBooking, form: ReasonForm) -> confirm.Confirmation:
    deadline = services.cancel_deadline(booking)
    if services.clock.today() > deadline and booking.fee_due:
        consequence = _(
            "The deadline for cancelling without charge was %(d)s: if you cancel now, the fee is kept."
        ) % {"d": format_date(deadline)}
    else:
        consequence = _("You can cancel without charge until %(d)s.") % {"d": format_date(deadline)}
    consequence += " " + _("The periods are released for others. This cannot be undone.")
    return confirm.Confirmation(
        title=_("Cancel the booking %(ref)s?") % {"ref": booking.reference},
        consequence=consequence,
        button=_("Yes, cancel this booking"),
        back_url=reverse("rooms:booking", args=[booking.pk]),
        facts=booking_facts(booking),
        reference=booking.reference or "",
        form=form,
    )


def _reason_form(data: Any = None, required: bool = False) -> ReasonForm:
    form = ReasonForm(data)
    form.fields["reason"].required = required
    return form


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation (core.confirm: what cancelling means, the fee); only its POST cancels."""
    booking = visible_booking(request, pk)
    if confirm.wants_confirmation(request):
        if not booking.can_cancel():
            messages.error(request, _("This booking can no longer be cancelled."))
            return redirect("rooms:booking", booking.pk)
        return confirm.page(request, _cancel_confirmation(booking, _reason_form()))
    form = _reason_form(request.POST)
    status = 400
    if form.is_valid():
        done, status = submit(
            form, lambda: services.cancel(request.user, booking.pk, form.cleaned_data.get("reason", ""))
        )
        if done is not None:
            messages.success(request, _("The booking %(ref)s was cancelled.") % {"ref": booking.reference})
            return redirect("rooms:booking", booking.pk)
    return confirm.page(request, _cancel_confirmation(booking, form), status)


def _permitted(request: HttpRequest, pk: int) -> RoomBooking:
    booking = visible_booking(request, pk)
    if not booking.is_approved() or not booking.permit_number:
        raise Http404
    return booking


@login_required
def permit(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _permitted(request, pk)
    return render(request, "rooms/permit.html", {"booking": booking, "periods": booking.period_list()})


@login_required
def permit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _permitted(request, pk)
    response = HttpResponse(pdf.permit(booking), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="permit-{booking.permit_number}.pdf"'
    return response


def _payment(request: HttpRequest, payment_id: int) -> Payment:
    payment = get_object_or_404(
        Payment.objects.select_related("booking", "booking__room", "booking__group"), pk=payment_id
    )
    if not services.can_view(request.user, payment.booking):
        raise Http404
    return payment


@login_required
def receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = _payment(request, payment_id)
    return render(request, "rooms/receipt.html", {"payment": payment, "booking": payment.booking})


@login_required
def receipt_pdf(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = _payment(request, payment_id)
    response = HttpResponse(pdf.receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{payment.receipt_number}.pdf"'
    return response
