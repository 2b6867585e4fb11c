"""Staff review a request: one page (GET) and one small POST view per action, each calling one service.

A refused action shows the review page again with the error on that action's form (400, or 409 when
the units are taken); a success goes back to the page with a message."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kyodo.core import audit, confirm
from kyodo.core.access import staff_member_required
from kyodo.core.confirm import unbroken
from kyodo.core.dates import format_date
from kyodo.core.doors import submit
from kyodo.lending import services
from kyodo.lending.forms import DeclineForm, EditForm
from kyodo.lending.models import ExtensionRequest, Reservation
from kyodo.lending.views.confirmations import reservation_facts


class ActionForm(forms.Form):
    """A button without fields (approve, cancel, decide an extension): it carries the action's error."""


@staff_member_required
def review_list(request):
    status = request.GET.get("status", Reservation.Status.REQUESTED)
    if status not in Reservation.Status.values:
        status = Reservation.Status.REQUESTED
    reservations = (
        Reservation.objects.with_status(status)
        .select_related("group", "location")
        .prefetch_related("items__equipment_type")
        .order_by("pickup_date", "pk")
    )
    context = {
        "reservations": reservations[:200],
        "status": status,
        "statuses": Reservation.Status.choices,
        "extensions": ExtensionRequest.objects.pending().select_related("reservation__group"),
    }
    return render(request, "lending/review_list.html", context)


def _reservation(pk):
    return get_object_or_404(Reservation.objects.select_related("group", "location"), pk=pk)


def _items(reservation):
    return list(reservation.items.select_related("equipment_type", "kit"))


def _edit_form(reservation, items, data=None):
    initial = {"pickup_date": reservation.pickup_date, "return_date": reservation.return_date}
    return EditForm(data, items=items, initial=initial)


def _review_page(request, reservation, status=200, **forms_given):
    items = _items(reservation)
    today = services.today()
    context = {
        "reservation": reservation,
        "items": items,
        "free": services.free_besides(reservation, items, today),
        "edit_form": forms_given.get("edit_form") or _edit_form(reservation, items),
        "action_form": forms_given.get("action_form"),
        "extensions": reservation.extensions.all(),
        "history": audit.entries_for(reservation)[:20],
        "group_overdue": Reservation.objects.filter(group=reservation.group)
        .overdue(today)
        .exclude(pk=reservation.pk),
        "units": reservation.units.select_related("unit__equipment_type"),
    }
    return render(request, "lending/review.html", context, status=status)


def _run(request, reservation, form, name, call, success):
    """Validate `form`, then run `call` (one service function); back to the page, or the page with the
    error on the form."""
    status = 400
    if form.is_valid():
        _result, status = submit(form, call)
        if status == 200:
            messages.success(request, success)
            return redirect("lending:review", reservation.pk)
    return _review_page(request, reservation, status, **{name: form})


@staff_member_required
@require_GET
def review(request, pk):
    return _review_page(request, _reservation(pk))


@staff_member_required
@require_POST
def approve(request, pk):
    reservation = _reservation(pk)
    return _run(
        request, reservation, ActionForm({}), "action_form",
        lambda: services.approve(request.user, reservation.pk), _("The request was approved."),
    )  # fmt: skip


def _decline_confirmation(reservation, form):
    return confirm.Confirmation(
        title=_("Decline this request?"),
        consequence=_(
            "The group is told by e-mail, with your reason, and the equipment is released. A declined "
            "request cannot be approved again: the group would have to send a new one."
        ),
        button=_("Decline the request"),
        back_url=reverse("lending:review", args=[reservation.pk]),
        reference=reservation.reference,
        facts=reservation_facts(reservation),
        form=form,
    )


@staff_member_required
def decline(request, pk):
    """GET: the request, what declining does and the reason to give; POST: decline (the group is mailed)."""
    reservation = _reservation(pk)
    if confirm.wants_confirmation(request):
        if not reservation.can_decline():
            messages.error(request, _("Only a request not yet picked up can be declined."))
            return redirect("lending:review", reservation.pk)
        return confirm.page(request, _decline_confirmation(reservation, DeclineForm()))
    form = DeclineForm(request.POST)
    status = 400
    if form.is_valid():
        _result, status = submit(
            form, lambda: services.decline(request.user, reservation.pk, form.cleaned_data["reason"])
        )
        if status == 200:
            messages.success(request, _("The request was declined."))
            return redirect("lending:review", reservation.pk)
    return confirm.page(request, _decline_confirmation(reservation, form), status)


@staff_member_required
@require_POST
def edit(request, pk):
    reservation = _reservation(pk)
    form = _edit_form(reservation, _items(reservation), request.POST)

    def call():
        data = form.cleaned_data
        return services.edit(
            request.user, reservation.pk, data["pickup_date"], data["return_date"], form.quantities()
        )

    return _run(request, reservation, form, "edit_form", call, _("The reservation was changed."))


@staff_member_required
def cancel(request, pk):
    """GET: what cancelling means, with the button; POST: cancel (the group is mailed)."""
    reservation = _reservation(pk)
    if confirm.wants_confirmation(request):
        if not reservation.can_cancel():
            messages.error(request, _("Only a reservation not yet picked up can be cancelled."))
            return redirect("lending:review", reservation.pk)
        return confirm.page(request, confirm.Confirmation(
            title=_("Cancel this reservation?"),
            consequence=_(
                "The group is told by e-mail and the equipment is released for others. This cannot be "
                "undone: the group would have to send a new request."
            ),
            button=_("Cancel the reservation"),
            back_url=reverse("lending:review", args=[reservation.pk]),
            reference=reservation.reference,
            facts=reservation_facts(reservation),
        ))  # fmt: skip
    return _run(
        request, reservation, ActionForm({}), "action_form",
        lambda: services.cancel(request.user, reservation.pk), _("The reservation was cancelled."),
    )  # fmt: skip


def _decide(request, extension_id, approve_it):
    extension = get_object_or_404(ExtensionRequest.objects.only("pk", "reservation_id"), pk=extension_id)
    return _run(
        request, _reservation(extension.reservation_id), ActionForm({}), "action_form",
        lambda: services.decide_extension(request.user, extension.pk, approve_it),
        _("The extension was decided."),
    )  # fmt: skip


@staff_member_required
@require_POST
def approve_extension(request, extension_id):
    return _decide(request, extension_id, True)


@staff_member_required
def decline_extension(request, extension_id):
    """GET: the extension asked for and what declining it means; POST: decline it (the group is mailed)."""
    if confirm.wants_confirmation(request):
        extension = get_object_or_404(ExtensionRequest.objects.select_related("reservation"), pk=extension_id)
        reservation = _reservation(extension.reservation_id)
        return confirm.page(request, confirm.Confirmation(
            title=_("Decline this extension?"),
            consequence=_("The group is told by e-mail that the equipment is due back on the original date."),
            button=_("Decline the extension"),
            back_url=reverse("lending:review", args=[reservation.pk]),
            reference=reservation.reference,
            facts=reservation_facts(reservation),
            changes=[(_("Return"), unbroken(format_date(reservation.return_date)),
                      unbroken(format_date(extension.new_return_date)))],
        ))  # fmt: skip
    return _decide(request, extension_id, False)
