"""Pages: the public booking flow (phone first, no account), the private manage link, the QR code and
flyer, and the staff schedule. Every change goes through services."""

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from kyodo.consultations import confirmations, services
from kyodo.consultations.forms import (
    ActionForm,
    ChoiceForm,
    DetailsForm,
    MoveForm,
    OutcomeForm,
    PersonMoveForm,
    ReassignForm,
    StaffBookingForm,
    StaffNotesForm,
    coordinators,
)
from kyodo.consultations.models import Consultation, ConsultationQuerySet, ConsultationSettings, Topic
from kyodo.consultations.pending import remember_received
from kyodo.consultations.services.mail import calendar_file
from kyodo.consultations.slots import TOKYO
from kyodo.core import confirm, once, qr, review
from kyodo.core.access import staff_member_required
from kyodo.core.doors import retry_after, submit
from kyodo.core.forms import parse_id
from kyodo.core.inputs import in_date_range
from kyodo.core.models import Location, User
from kyodo.core.ratelimit import client_ip


def _location(request: HttpRequest) -> Location:
    try:
        return services.public_location(request.GET.get("location"))
    except ValidationError:
        raise Http404 from None


def _parse_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD date within a sane range, else None (garbage in a URL is never an error page)."""
    try:
        date = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return date if in_date_range(date) else None


def start(request: HttpRequest) -> HttpResponse:
    """/consultation/: choose topic and mode → a day → a time (each step a plain GET page)."""
    location = _location(request)
    # The form's hidden `step` makes an empty 「次へ」 a refused submit (the summary), not the same page again.
    bound = "topic" in request.GET or "mode" in request.GET or "step" in request.GET
    form = ChoiceForm(request.GET if bound else None)
    locations = services.booking_locations()
    context = {
        "location": location,
        "form": form,
        "mode_help": services.MODE_HELP,
        "locations": locations if locations.count() > 1 else [],
    }
    if not bound or not form.is_valid():
        return render(request, "consultations/choose.html", context, status=400 if bound else 200)
    query = {"topic": form.cleaned_data["topic"].pk, "mode": form.cleaned_data["mode"]}
    if request.GET.get("location"):
        query["location"] = location.pk
    context.update(query=urlencode(query), topic=form.cleaned_data["topic"], mode=form.cleaned_data["mode"])
    context["mode_label"] = Consultation.Mode(form.cleaned_data["mode"]).label
    date = _parse_date(request.GET.get("date"))
    if date is None:
        context["months"] = services.booking_months(services.free_times_by_day(location))
        return render(request, "consultations/days.html", context)
    slots = [s for s in services.public_slots(location, date, date) if s.free]
    context.update(date=date, slots=slots)
    return render(request, "consultations/times.html", context, status=200 if slots else 404)


def details(request: HttpRequest) -> HttpResponse:
    """Step 4: the person's details, then the booking."""
    location = _location(request)
    choice = ChoiceForm(request.GET)
    try:
        start_at = services.parse_start(request.GET.get("start"))
    except ValidationError:
        start_at = None
    if not choice.is_valid() or start_at is None:
        messages.error(request, _("Please choose a topic, how to talk and a time."))
        return redirect("consultations:start")
    topic, mode = choice.cleaned_data["topic"], choice.cleaned_data["mode"]
    user = request.user if request.user.is_authenticated else None
    initial = {"name": user.name, "kana": user.kana, "email": user.email, "phone": user.phone} if user else {}
    form = DetailsForm(request.POST if request.method == "POST" else None, initial=initial, mode=mode)
    step = review.step(request, form, unstaged=review.COMMIT)
    status = 400 if form.errors else 200
    shown = None
    if step == review.REVIEW:
        shown = review.of(form, skip=("website", "consent"))
    elif step == review.COMMIT:
        made, status = _book_from(request, form, location, start_at, mode, topic, user)
        if made is not None:
            return _booked(request, made)
    back = urlencode({"topic": topic.pk, "mode": mode, "date": timezone.localdate(start_at).isoformat()})
    context = {
        "form": form,
        "location": location,
        "topic": topic,
        "mode_label": Consultation.Mode(mode).label,
        "start": start_at,
        "end": start_at + dt.timedelta(minutes=services.settings_for(location).length_minutes),
        "back_url": reverse("consultations:start") + "?" + back,
        "taken": status == 409,
        "review": shown,
        "once_key": once.key_of(request),
    }
    return retry_after(form, render(request, "consultations/details.html", context, status=status))


def _book_from(request: HttpRequest, form: DetailsForm, location: Location, start_at: dt.datetime, mode: str,
               topic: Topic, user: User | None) -> tuple[once.Made[Consultation] | None, int]:  # fmt: skip
    """Book from the (valid) details form, once for its one-time key: (what was made, 200), or (None,
    status) with the errors on the form."""
    key = request.POST.get(once.FIELD)
    if (earlier := once.earlier(request, key)) is not None:
        return earlier, 200  # a reload or back-and-resubmit: never a second booking, never "taken"
    return submit(
        form,
        lambda: once.run(
            request, key, "consultations.book",
            lambda: services.book(
                location, start_at, mode, topic, form.cleaned_data,
                user=user, ip=client_ip(request), language=translation.get_language(),
            ),
        ),
    )  # fmt: skip


def _booked(request: HttpRequest, made: once.Made[Consultation]) -> HttpResponse:
    """The page after booking: the 仮受付's page or the booking's own; a repeat says it was already received."""
    consultation = made.obj
    if made.repeat:
        messages.info(request, once.ALREADY_RECEIVED)
    if consultation is None:
        return redirect("consultations:start")
    if consultation.is_pending:
        return remember_received(request, consultation)  # no manage link before the confirmation
    if not made.repeat:
        messages.success(request, _("Your consultation is booked. We sent you an e-mail."))
    return redirect("consultations:manage", consultation.manage_token)


def _by_token(token: str) -> Consultation:
    return get_object_or_404(
        Consultation.objects.select_related("location", "topic", "coordinator").filter(anonymised=False),
        manage_token=token,
    )


# The person's actions from their private link: the use case and what to say when it is done. Confirming
# is not one: only the mailed confirmation token confirms (pending.confirm).
PERSON_ACTIONS = {
    "cancel": (lambda c: services.cancel(c), gettext_lazy("Your consultation was cancelled.")),
}


def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The private link: GET shows the booking and buttons only, so mail scanners change nothing."""
    consultation = _by_token(token)
    form = ActionForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        action = PERSON_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            form.add_error(None, _("Unknown action."))
            status = 400
        else:
            _done, status = submit(form, lambda: action[0](consultation))
            if status == 200:
                messages.success(request, action[1])
                return redirect("consultations:manage", token)
    return render(request, "consultations/manage.html", {"c": consultation, "form": form}, status=status)


def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The person's cancellation from their private link: GET shows what it means, only the POST cancels."""
    consultation = _by_token(token)
    if not consultation.can_cancel():
        messages.error(request, _("This booking can no longer be changed."))
        return redirect("consultations:manage", token)
    form = ActionForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        _done, status = submit(form, lambda: services.cancel(consultation))
        if status == 200:
            messages.success(request, _("Your consultation was cancelled."))
            return redirect("consultations:manage", token)
    return confirm.page(request, confirmations.person_cancel(consultation, form), status)


@require_safe
def manage_ics(request: HttpRequest, token: str) -> HttpResponse:
    """「カレンダーに追加」 on the booking's page: a confirmed booking's .ics (none while held or cancelled)."""
    consultation = _by_token(token)
    if consultation.is_pending or consultation.is_cancelled:
        raise Http404
    response = HttpResponse(calendar_file(consultation), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.reference}.ics"'
    return response


def move(request: HttpRequest, token: str) -> HttpResponse:
    """Choose another day and time for one's own booking; a chosen time (GET ?start=) is shown as
    変更前 → 変更後 first, and only the POST from that page moves it."""
    consultation = _by_token(token)
    if not consultation.can_change():
        messages.error(request, _("This booking can no longer be changed."))
        return redirect("consultations:manage", token)
    form = PersonMoveForm(request.POST if request.method == "POST" else None)
    status = 200
    if not form.is_bound and request.GET.get("start"):
        try:
            chosen = services.parse_start(request.GET["start"])
        except ValidationError:
            chosen = None
        if chosen is not None:
            return confirm.page(request, confirmations.person_move(consultation, chosen))
    if form.is_bound:
        status = 400
        if form.is_valid():
            _done, status = submit(form, lambda: services.move(consultation, form.cleaned_data["start"]))
        if status == 200:
            messages.success(request, _("Your consultation was moved. We sent you an e-mail."))
            return redirect("consultations:manage", token)
    date = _parse_date(request.GET.get("date"))
    context: dict[str, Any] = {"c": consultation, "date": date, "form": form}
    if date is None:
        context["months"] = services.booking_months(
            services.free_times_by_day(consultation.location, exclude=consultation.pk)
        )
    else:
        context["slots"] = [
            s
            for s in services.public_slots(consultation.location, date, date, exclude=consultation.pk)
            if s.free and s.start != consultation.start
        ]
    return render(request, "consultations/move.html", context, status=status)


def privacy(request: HttpRequest) -> HttpResponse:
    try:
        months = services.settings_for(services.public_location()).anonymise_after_months
    except Http404:
        months = ConsultationSettings._meta.get_field("anonymise_after_months").default
    return render(request, "consultations/privacy.html", {"months": months})


def booking_url(language: str) -> str:
    """The absolute URL of the booking page in a language (what the QR code holds)."""
    with translation.override(language):
        return settings.SITE_URL + reverse("consultations:start")


def _qr_language(request: HttpRequest) -> str:
    """?lang=en or ?lang=ja when given, else the page's language: the code on an English page opens the
    English booking page."""
    asked = request.GET.get("lang")
    if asked in ("en", "ja"):
        return asked
    return "en" if translation.get_language() == "en" else "ja"


def qr_svg(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(qr.svg(booking_url(_qr_language(request)), scale=8), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def qr_png(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(qr.png(booking_url(_qr_language(request))), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def flyer(request: HttpRequest) -> HttpResponse:
    """A printable A4 page: what a consultation helps with, the QR code, the URL, phone and e-mail."""
    language = translation.get_language()
    url = booking_url("en" if language == "en" else "ja")
    context = {
        "location": _location(request),
        "url": url,
        "qr": qr.svg_inline(url, scale=6, title=_("QR code: %(url)s") % {"url": url}),
    }
    return render(request, "consultations/flyer.html", context)


# --- Staff ---------------------------------------------------------------------------------------------


def _schedule_rows(request: HttpRequest, first: dt.date, last: dt.date) -> ConsultationQuerySet:
    """The bookings of the schedule: the days shown, the location and coordinator filters, cancelled ones
    only when asked for."""
    rows = Consultation.objects.visible_to(request.user).select_related("location", "topic", "coordinator")
    rows = rows.on_days(first, last)
    if (location_id := parse_id(request.GET.get("location"))) is not None:
        rows = rows.filter(location_id=location_id)
    if (coordinator_id := parse_id(request.GET.get("coordinator"))) is not None:
        rows = rows.filter(coordinator_id=coordinator_id)
    return rows if request.GET.get("cancelled") == "1" else rows.not_cancelled()


@staff_member_required
def schedule(request: HttpRequest) -> HttpResponse:
    """Day or week view of consultations, per location and coordinator."""
    day = _parse_date(request.GET.get("date")) or timezone.localdate()
    view = "week" if request.GET.get("view") == "week" else "day"
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    last = first + dt.timedelta(days=6 if view == "week" else 0)
    rows = list(_schedule_rows(request, first, last))
    days = []
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        day_rows = [r for r in rows if timezone.localdate(r.start) == date]
        days.append((date, sorted(day_rows, key=lambda r: not r.awaits_call)))  # call these back first
    step = dt.timedelta(days=7 if view == "week" else 1)
    context = {
        "days": days,
        "view": view,
        "date": day,
        "prev": day - step,
        "next": day + step,
        "locations": services.booking_locations(),
        "coordinators": coordinators(),
        "location_id": request.GET.get("location", ""),
        "coordinator_id": request.GET.get("coordinator", ""),
        "show_cancelled": request.GET.get("cancelled") == "1",
    }
    return render(request, "consultations/staff/schedule.html", context)


def _start_from(date: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=TOKYO)


def _book_on_behalf(request: HttpRequest, data: dict[str, Any]) -> Consultation:
    return services.book(
        data["location"], _start_from(data["date"], data["time"]), data["mode"], data["topic"], data,
        actor=request.user, coordinator=data["coordinator"], language=translation.get_language(),
    )  # fmt: skip


def _parse_time(value: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat(value or "")
    except ValueError:
        return None


@staff_member_required
def staff_book(request: HttpRequest) -> HttpResponse:
    """Book on someone's behalf (e.g. after a phone call): the day's free times are listed, and tapping
    one fills the form's location, date and time (?location=&date=&time=), so nobody types a time."""
    locations = services.booking_locations()
    day = _parse_date(request.GET.get("date")) or timezone.localdate()
    location_id = parse_id(request.GET.get("location"))
    asked = locations.filter(pk=location_id).first() if location_id is not None else None
    default_location: Location | None = asked or locations.first()
    chosen_time = _parse_time(request.GET.get("time"))
    initial = {"date": day, "location": default_location, "time": chosen_time}
    form = StaffBookingForm(request.POST or None, initial=initial, locations=locations)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            made, status = submit(
                form,
                lambda: once.run(
                    request, request.POST.get(once.FIELD), "consultations.staff_book",
                    lambda: _book_on_behalf(request, form.cleaned_data),
                ),
            )  # fmt: skip
            if made is not None and made.obj is not None:
                if made.repeat:
                    messages.info(request, once.ALREADY_RECEIVED)
                else:
                    messages.success(request, _("The consultation was booked."))
                return redirect("consultations:staff_detail", made.obj.pk)
    cleaned = getattr(form, "cleaned_data", {})
    location: Location | None = cleaned.get("location") or default_location
    date = cleaned.get("date") or day
    slots = services.staff_slots(location, date) if location is not None else []
    chosen = cleaned.get("time") or chosen_time
    context = {
        "form": form,
        "slots": slots,
        "date": date,
        "location": location,
        "locations": locations,
        "chosen": chosen,
        "prev": date - dt.timedelta(days=1),
        "next": date + dt.timedelta(days=1),
        "once_key": once.key_of(request),
    }
    return render(request, "consultations/staff/book.html", context, status=status)


def _staff_booking(request: HttpRequest, pk: int) -> Consultation:
    return get_object_or_404(
        Consultation.objects.visible_to(request.user).select_related("location", "topic", "coordinator"),
        pk=pk,
    )


def _detail(
    request: HttpRequest, consultation: Consultation, status: int = 200, **bound_forms: forms.Form
) -> HttpResponse:
    """The staff page of one booking: each action's form (the one just posted, with its errors)."""
    local = timezone.localtime(consultation.start)
    forms = {
        "notes_form": StaffNotesForm(
            initial={"staff_notes": consultation.staff_notes, "meeting_url": consultation.meeting_url}
        ),
        "reassign_form": ReassignForm(initial={"coordinator": consultation.coordinator_id}),
        "move_form": MoveForm(initial={"date": local.date(), "time": local.time()}),
        "cancel_form": ActionForm(),
        "confirm_form": ActionForm(),
        "outcome_form": ActionForm(),
        **bound_forms,
    }
    context = {
        "c": consultation,
        **forms,
        "can_mark": consultation.can_mark(),
        "can_cancel": consultation.can_cancel(by_staff=True),
        "outcomes": [(value, Consultation.Status(value).label) for value in Consultation.OUTCOMES[:2]],
    }
    return render(request, "consultations/staff/detail.html", context, status=status)


@staff_member_required
@require_safe
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _staff_booking(request, pk))


def _staff_action(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    name: str,
    call: Callable[[Consultation, dict[str, Any]], Consultation],
    done: str | None = None,
) -> HttpResponse:
    """Run one staff action (`call(consultation, cleaned_data)`) for its form; back to the booking,
    saying what was done (`done`, else "Saved.")."""
    consultation = _staff_booking(request, pk)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        _done, status = submit(form, lambda: call(consultation, form.cleaned_data))
        if status == 200:
            messages.success(request, done or _("Saved."))
            return redirect("consultations:staff_detail", consultation.pk)
    return _detail(request, consultation, status, **{name: form})


@staff_member_required
@require_POST
def staff_notes(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request, pk, StaffNotesForm, "notes_form",
        lambda c, data: services.update_staff_fields(c, actor=request.user, **data),
    )  # fmt: skip


@staff_member_required
@require_POST
def staff_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_action(
        request, pk, ReassignForm, "reassign_form",
        lambda c, data: services.reassign(c, data["coordinator"], actor=request.user),
    )  # fmt: skip


@staff_member_required
def staff_move(request: HttpRequest, pk: int) -> HttpResponse:
    """GET (the detail page's move form): 変更前 → 変更後 with the button; POST: move it."""
    if request.method != "POST":
        return _staff_move_confirmation(request, _staff_booking(request, pk))
    return _staff_action(
        request, pk, MoveForm, "move_form",
        lambda c, data: services.move(
            c, _start_from(data["date"], data["time"]), actor=request.user, coordinator=data["coordinator"]
        ),
    )  # fmt: skip


def _staff_move_confirmation(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    form = MoveForm(request.GET)
    if not form.is_valid():
        return _detail(request, consultation, 400, move_form=form)
    data = form.cleaned_data
    start = _start_from(data["date"], data["time"])
    return confirm.page(request, confirmations.staff_move(consultation, start, data["coordinator"]))


@staff_member_required
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what cancelling means, with the button; POST: cancel (the person is mailed)."""
    if request.method != "POST":
        consultation = _staff_booking(request, pk)
        return confirm.page(request, confirmations.staff_cancel(consultation))
    return _staff_action(
        request, pk, ActionForm, "cancel_form", lambda c, data: services.cancel(c, actor=request.user)
    )


@staff_member_required
@require_POST
def staff_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff called back the person of a 仮受付 (a phone number alone) and confirm it."""
    return _staff_action(
        request,
        pk,
        ActionForm,
        "confirm_form",
        lambda c, data: services.confirm_by_staff(c, actor=request.user),
        done=_("The booking is confirmed."),
    )


@staff_member_required
@require_POST
def staff_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that it was held, that nobody came, or (a mistake) that it is booked again."""
    return _staff_action(
        request, pk, OutcomeForm, "outcome_form",
        lambda c, data: services.mark(c, data["outcome"], actor=request.user),
    )  # fmt: skip
