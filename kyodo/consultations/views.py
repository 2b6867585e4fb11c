"""Pages: the public booking flow (phone first, no account), the private manage link, the QR code and
flyer, and the staff schedule. Every change goes through services."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kyodo.consultations import services
from kyodo.consultations.forms import (
    ChoiceForm,
    DetailsForm,
    MoveForm,
    ReassignForm,
    StaffBookingForm,
    StaffNotesForm,
    coordinators,
)
from kyodo.consultations.models import Consultation, ConsultationSettings
from kyodo.consultations.slots import TOKYO
from kyodo.core import qr
from kyodo.core.doors import submit
from kyodo.core.errors import Unavailable
from kyodo.core.forms import parse_id
from kyodo.core.inputs import in_date_range
from kyodo.core.ratelimit import client_ip


def _location(request):
    try:
        return services.public_location(request.GET.get("location"))
    except ValidationError:
        raise Http404 from None


def _parse_date(value):
    """A YYYY-MM-DD date within a sane range, else None (garbage in a URL is never an error page)."""
    try:
        date = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return date if in_date_range(date) else None


def _months(days):
    """[(first of month, [dates])] for the day list."""
    months = []
    for day in days:
        if not months or months[-1][0] != day.replace(day=1):
            months.append((day.replace(day=1), []))
        months[-1][1].append(day)
    return months


def start(request):
    """/consultation/: choose topic and mode → a day → a time (each step a plain GET page)."""
    location = _location(request)
    bound = "topic" in request.GET or "mode" in request.GET
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
        context["months"] = _months(services.bookable_days(location))
        return render(request, "consultations/days.html", context)
    slots = [s for s in services.public_slots(location, date, date) if s.free]
    context.update(date=date, slots=slots)
    return render(request, "consultations/times.html", context, status=200 if slots else 404)


def details(request):
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
    form = DetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if form.is_bound:
        consultation, status = _book_from(request, form, location, start_at, mode, topic, user)
        if consultation is not None:
            return redirect("consultations:manage", consultation.manage_token)
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
    }
    return render(request, "consultations/details.html", context, status=status)


def _book_from(request, form, location, start_at, mode, topic, user):
    """Book from the details form: (the booking, 200), or (None, status) with the errors on the form."""
    if not form.is_valid():
        return None, 400
    consultation, status = submit(
        form,
        lambda: services.book(
            location, start_at, mode, topic, form.cleaned_data,
            user=user, ip=client_ip(request), language=translation.get_language(),
        ),
    )  # fmt: skip
    if consultation is not None:
        if consultation.is_pending:
            messages.success(request, _("Almost done: please open the link we e-mailed you to confirm."))
        else:
            messages.success(request, _("Your consultation is booked. We sent you an e-mail."))
    return consultation, status


def _by_token(token):
    return get_object_or_404(
        Consultation.objects.select_related("location", "topic", "coordinator").filter(anonymised=False),
        manage_token=token,
    )


def manage(request, token):
    """The private link: GET shows the booking and buttons only, so mail scanners change nothing."""
    consultation = _by_token(token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                services.cancel(consultation)
                messages.success(request, _("Your consultation was cancelled."))
            elif action == "confirm":
                services.confirm_email(consultation)
                messages.success(request, _("Thank you. Your consultation is booked."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "consultations/manage.html", {"c": consultation}, status=400)
        except Unavailable as exc:
            messages.error(request, exc.message)
            return render(request, "consultations/manage.html", {"c": consultation}, status=409)
        return redirect("consultations:manage", token)
    return render(request, "consultations/manage.html", {"c": consultation})


def move(request, token):
    """Choose another day and time for one's own booking."""
    consultation = _by_token(token)
    if not consultation.can_change():
        messages.error(request, _("This booking can no longer be changed."))
        return redirect("consultations:manage", token)
    status = 200
    if request.method == "POST":
        try:
            services.move(consultation, request.POST.get("start"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        except Unavailable as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            messages.success(request, _("Your consultation was moved. We sent you an e-mail."))
            return redirect("consultations:manage", token)
    date = _parse_date(request.GET.get("date"))
    context = {"c": consultation, "date": date}
    if date is None:
        context["months"] = _months(services.bookable_days(consultation.location, exclude=consultation.pk))
    else:
        context["slots"] = [
            s
            for s in services.public_slots(consultation.location, date, date, exclude=consultation.pk)
            if s.free and s.start != consultation.start
        ]
    return render(request, "consultations/move.html", context, status=status)


def privacy(request):
    try:
        months = services.settings_for(services.public_location()).anonymise_after_months
    except Http404:
        months = ConsultationSettings._meta.get_field("anonymise_after_months").default
    return render(request, "consultations/privacy.html", {"months": months})


def booking_url(language):
    """The absolute URL of the booking page in a language (what the QR code holds)."""
    with translation.override(language):
        return settings.SITE_URL + reverse("consultations:start")


def _qr_language(request):
    return "en" if request.GET.get("lang") == "en" else "ja"


def qr_svg(request):
    response = HttpResponse(qr.svg(booking_url(_qr_language(request)), scale=8), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def qr_png(request):
    response = HttpResponse(qr.png(booking_url(_qr_language(request))), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def flyer(request):
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


@staff_member_required
def schedule(request):
    """Day or week view of consultations, per location and coordinator."""
    today = timezone.localdate()
    day = _parse_date(request.GET.get("date")) or today
    view = "week" if request.GET.get("view") == "week" else "day"
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    last = first + dt.timedelta(days=6 if view == "week" else 0)
    rows = Consultation.objects.visible_to(request.user).select_related("location", "topic", "coordinator")
    rows = rows.on_days(first, last)
    locations = services.booking_locations()
    location_id = request.GET.get("location", "")
    coordinator_id = request.GET.get("coordinator", "")
    if parse_id(location_id) is not None:
        rows = rows.filter(location_id=parse_id(location_id))
    if parse_id(coordinator_id) is not None:
        rows = rows.filter(coordinator_id=parse_id(coordinator_id))
    if request.GET.get("cancelled") != "1":
        rows = rows.not_cancelled()
    days = []
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        days.append((date, [r for r in rows if timezone.localdate(r.start) == date]))
    step = dt.timedelta(days=7 if view == "week" else 1)
    context = {
        "days": days,
        "view": view,
        "date": day,
        "prev": day - step,
        "next": day + step,
        "locations": locations,
        "coordinators": coordinators(),
        "location_id": location_id,
        "coordinator_id": coordinator_id,
        "show_cancelled": request.GET.get("cancelled") == "1",
    }
    return render(request, "consultations/staff/schedule.html", context)


def _start_from(date, time):
    return dt.datetime.combine(date, time, tzinfo=TOKYO)


def _book_on_behalf(request, data):
    return services.book(
        data["location"], _start_from(data["date"], data["time"]), data["mode"], data["topic"], data,
        actor=request.user, coordinator=data["coordinator"], language=translation.get_language(),
    )  # fmt: skip


@staff_member_required
def staff_book(request):
    """Book on someone's behalf (e.g. after a phone call)."""
    locations = services.booking_locations()
    initial = {
        "date": _parse_date(request.GET.get("date")) or timezone.localdate(),
        "location": locations.first(),
    }
    form = StaffBookingForm(request.POST or None, initial=initial, locations=locations)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            consultation, status = submit(form, lambda: _book_on_behalf(request, form.cleaned_data))
            if consultation is not None:
                messages.success(request, _("The consultation was booked."))
                return redirect("consultations:staff_detail", consultation.pk)
    location = form.cleaned_data.get("location") if form.is_bound and form.is_valid() else locations.first()
    date = (
        form.cleaned_data.get("date") if form.is_bound and hasattr(form, "cleaned_data") else None
    ) or initial["date"]
    slots = []
    if location is not None:
        from kyodo.consultations.slots import slots_for

        slots = slots_for(location, date, date, timezone.now(), ignore_notice=True)
    context = {"form": form, "slots": slots, "date": date}
    return render(request, "consultations/staff/book.html", context, status=status)


@staff_member_required
def staff_detail(request, pk):
    consultation = get_object_or_404(
        Consultation.objects.visible_to(request.user).select_related("location", "topic", "coordinator"),
        pk=pk,
    )
    action = request.POST.get("action") if request.method == "POST" else None
    notes_form = StaffNotesForm(
        request.POST if action == "notes" else None,
        initial={"staff_notes": consultation.staff_notes, "meeting_url": consultation.meeting_url},
    )
    reassign_form = ReassignForm(
        request.POST if action == "reassign" else None, initial={"coordinator": consultation.coordinator_id}
    )
    local = timezone.localtime(consultation.start)
    move_form = MoveForm(
        request.POST if action == "move" else None, initial={"date": local.date(), "time": local.time()}
    )
    status = 200
    if action:
        try:
            done = _staff_action(request, consultation, action, notes_form, reassign_form, move_form)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        except Unavailable as exc:
            messages.error(request, exc.message)
            status = 409
        else:
            if done:
                messages.success(request, _("Saved."))
                return redirect("consultations:staff_detail", consultation.pk)
            status = 400
    context = {
        "c": consultation,
        "notes_form": notes_form,
        "reassign_form": reassign_form,
        "move_form": move_form,
        "can_mark": consultation.can_mark(),
        "can_cancel": consultation.can_cancel(by_staff=True),
    }
    return render(request, "consultations/staff/detail.html", context, status=status)


def _staff_action(request, consultation, action, notes_form, reassign_form, move_form):
    """Run one staff action; False when its form is invalid."""
    actor = request.user
    if action == "notes":
        if not notes_form.is_valid():
            return False
        services.update_staff_fields(consultation, actor=actor, **notes_form.cleaned_data)
    elif action == "reassign":
        if not reassign_form.is_valid():
            return False
        services.reassign(consultation, reassign_form.cleaned_data["coordinator"], actor=actor)
    elif action == "move":
        if not move_form.is_valid():
            return False
        data = move_form.cleaned_data
        services.move(
            consultation,
            _start_from(data["date"], data["time"]),
            actor=actor,
            coordinator=data["coordinator"],
        )
    elif action == "cancel":
        services.cancel(consultation, actor=actor)
    elif action in Consultation.OUTCOMES:
        services.mark(consultation, action, actor=actor)
    else:
        raise ValidationError(_("Unknown action."))
    return True
