"""Members: request equipment, see a reservation, cancel it, ask to keep it longer."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo.core import confirm, once, review
from kyodo.core.doors import act, submit
from kyodo.core.inputs import in_date_range
from kyodo.groups.models import Group
from kyodo.lending import emails, services
from kyodo.lending.forms import ExtensionForm, RequestForm
from kyodo.lending.models import Reservation
from kyodo.lending.views.confirmations import reservation_facts


def _initial(request):
    """What a link prefills (a free day on a type's or kit's calendar): ?type= or ?kit= (quantity 1),
    ?pickup= and ?return= (dates; a wrong one is left out, never an error page)."""
    initial: dict[str, int | dt.date] = {}
    for key in ("type", "kit"):
        value = request.GET.get(key, "")
        if value.isdigit() and len(value) < 10:
            initial[f"{key}_{value}"] = 1
    for key, field in (("pickup", "pickup_date"), ("return", "return_date")):
        try:
            day = dt.date.fromisoformat(request.GET.get(key, ""))
        except ValueError:
            continue
        if in_date_range(day):
            initial[field] = day
    return initial


def _request_page(request, form, summary=None, fits=None, status=200, review_of=None):
    location = form.chosen_location()
    today = services.today()
    rules = [services.summary(location, today)] if location else services.summaries(today)
    context = {
        "form": form, "fits": fits, "summary": summary, "rules_summaries": rules, "review": review_of,
        "once_key": once.key_of(request),
    }  # fmt: skip
    return render(request, "lending/request.html", context, status=status)


def _review_rows(form):
    """The review page's rows: the group, each item asked for with its quantity, the dates, the purpose."""
    data = form.cleaned_data
    rows = [(str(form.fields["group"].label), str(data["group"]))]
    for bound in form.kit_fields() + form.type_fields():
        if data.get(bound.name):
            rows.append((str(bound.label), _("%(count)s pcs.") % {"count": data[bound.name]}))
    return rows + [
        (str(form[name].label), review.display(form[name]))
        for name in ("pickup_date", "return_date", "purpose", "audience_size")
        if data.get(name) not in (None, "")
    ]


@login_required
def request_equipment(request):
    """Check (a preview: every rule, nothing written), review (確認画面, nothing written) or send; a refused
    rule shows on the form. Sending twice (a double click, back and resubmit) makes one request."""
    who = services.borrowers(request.user)
    if not who.approved:
        context = {"no_group": True, "pending_groups": who.pending}
        return render(request, "lending/request.html", context)
    groups = Group.objects.filter(pk__in=[g.pk for g in who.approved]).order_by("name")
    form = RequestForm(request.POST or None, groups=groups, initial=_initial(request))
    step = review.step(request, form, commit_values=("send",))
    if step == review.FORM:
        return _request_page(request, form, status=400 if form.errors else 200)
    data = form.cleaned_data
    dates = (data["pickup_date"], data["return_date"])
    key = request.POST.get(once.FIELD)
    if step == review.COMMIT and (earlier := once.earlier(request, key)) is not None:
        return _already(request, earlier)
    summary, status = submit(form, lambda: services.preview(data["group"], form.lines(), *dates))
    if summary is None:
        return _request_page(request, form, status=status)
    if not all(needed <= free for _t, needed, free in summary):
        if step == review.COMMIT and (earlier := once.earlier(request, key)) is not None:
            return _already(request, earlier)  # the twin of a double click made it meanwhile
        form.add_error(None, _("Some items are not free on these dates; see the free counts in the table."))
        return _request_page(request, form, summary, False, 409)
    if request.POST.get("action") == "check":
        return _request_page(request, form, summary, True)
    if step == review.REVIEW:
        return _request_page(request, form, summary, True, review_of=review.of(form, rows=_review_rows(form)))
    made, status = submit(
        form,
        lambda: once.run(
            request, key, "lending.request",
            lambda: services.create_request(
                request.user, data["group"], form.lines(), *dates, data["purpose"], data.get("audience_size")
            ),
        ),
    )  # fmt: skip
    if made is None:  # a rule (400), or taken by someone else since the check (409)
        return _request_page(request, form, summary if status == 409 else None, False, status)
    if made.repeat or made.obj is None:
        return _already(request, made)
    messages.success(request, _("Your request was sent. The equipment is held for you."))
    messages.info(request, once.reference_message(made.obj))
    return redirect("lending:reservation", made.obj.pk)


def _already(request, made):
    """A repeat of a request already made: show that one, never a second."""
    messages.info(request, once.ALREADY_RECEIVED)
    if made.obj is None:
        return redirect("core:profile")
    return redirect("lending:reservation", made.obj.pk)


def _visible_reservation(request, pk):
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Reservation.objects.visible_to(request.user).select_related("group", "location"), pk=pk
    )


def _detail_page(request, reservation, extension_form=None, status=200):
    context = {
        "reservation": reservation,
        "items": reservation.items.select_related("equipment_type", "kit"),
        "units": reservation.units.select_related("unit", "unit__equipment_type"),
        "extensions": reservation.extensions.all(),
        "extension_form": extension_form or ExtensionForm(),
        "can_cancel": reservation.can_cancel(),
        "can_extend": reservation.can_extend(),
        "overdue": reservation.is_overdue(services.today()),
    }
    return render(request, "lending/reservation.html", context, status=status)


@login_required
def reservation_detail(request, pk):
    return _detail_page(request, _visible_reservation(request, pk))


@login_required
def reservation_ics(request, pk):
    """「カレンダーに追加」: the pickup and the return of one's own reservation."""
    reservation = _visible_reservation(request, pk)
    _name, body, _type = emails.ics_attachment(reservation, translation.get_language())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reservation-{reservation.reference}.ics"'
    return response


@login_required
def cancel(request, pk):
    """GET: what cancelling means, with the button; POST (from that page, or the API's twin): cancel."""
    reservation = _visible_reservation(request, pk)
    if confirm.wants_confirmation(request):
        if not reservation.can_cancel():
            messages.error(request, _("Only a reservation not yet picked up can be cancelled."))
            return redirect("lending:reservation", reservation.pk)
        return confirm.page(request, confirm.Confirmation(
            title=_("Cancel this reservation?"),
            consequence=_(
                "The equipment is released for other groups. This cannot be undone: to borrow it again, "
                "send a new request."
            ),
            button=_("Cancel the reservation"),
            back_url=reverse("lending:reservation", args=[reservation.pk]),
            reference=reservation.reference,
            facts=reservation_facts(reservation),
        ))  # fmt: skip
    act(request, lambda: services.cancel(request.user, reservation.pk), _("The reservation was cancelled."))
    return redirect("lending:reservation", reservation.pk)


@login_required
@require_POST
def extend(request, pk):
    """The group asks for a later return date; a refused rule shows on the form (400), nothing is saved."""
    reservation = _visible_reservation(request, pk)
    form = ExtensionForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        _result, status = submit(
            form,
            lambda: services.request_extension(
                request.user, reservation.pk, data["new_return_date"], data["reason"]
            ),
        )
        if status == 200:
            messages.success(request, _("Your extension request was sent to staff."))
            return redirect("lending:reservation", reservation.pk)
    return _detail_page(request, reservation, form, status)
