"""Staff at the counter: the day's pickups and returns, checkout and return, units, labels and rules."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kyodo.core import calendar, confirm, notify, qr
from kyodo.core.access import staff_member_required
from kyodo.core.doors import submit
from kyodo.core.forms import parse_id
from kyodo.core.models import Location
from kyodo.lending import services
from kyodo.lending.forms import CheckoutForm, CounterForm, RetireForm, RulesForm, UnitStatusForm
from kyodo.lending.models import EquipmentType, Reservation, ReservationUnit, Unit
from kyodo.lending.views.confirmations import unit_facts


def _counter_location(request):
    value = request.GET.get("location", "")
    if value:
        return get_object_or_404(Location, pk=parse_id(value) or 0)
    return calendar.default_location()


@staff_member_required
def counter(request):
    day = services.today()
    form = CounterForm(request.GET or None, initial={"date": day})
    if form.is_valid() and form.cleaned_data.get("date"):
        day = form.cleaned_data["date"]
    location = _counter_location(request)
    base = (
        Reservation.objects.filter(location=location)
        .select_related("group")
        .prefetch_related("items__equipment_type")
    )
    context = {
        "form": form,
        "day": day,
        "is_today": day == services.today(),
        "location": location,
        "locations": Location.objects.all(),
        "pickups": base.to_pick_up(last=day).order_by("pickup_date", "pk"),
        "returns": base.due_back(day).order_by("pk"),
        "overdue": base.overdue(day).order_by("return_date", "pk"),
        "prev_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
    }
    return render(request, "lending/counter.html", context)


def _back_to_counter(reservation):
    return redirect(reverse("lending:counter") + f"?location={reservation.location_id}")


def _accessories(items):
    """The checklist of a checkout: each type's accessories, named with their type, once each."""
    labels = []
    for item in items:
        for line in item.equipment_type.accessory_list():
            label = f"{item.equipment_type.name}: {line}"
            if label not in labels:
                labels.append(label)
    return labels


@staff_member_required
def checkout(request, pk):
    reservation = get_object_or_404(Reservation.objects.select_related("group", "location"), pk=pk)
    items = list(reservation.items.select_related("equipment_type"))
    form = CheckoutForm(request.POST or None, accessories=_accessories(items))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _result, status = submit(
                form,
                lambda: services.checkout(
                    request.user, reservation.pk, form.tag_list(), form.cleaned_data["accessories"]
                ),
            )
            if status == 200:
                messages.success(request, _("Checked out: reservation #%(id)s.") % {"id": reservation.pk})
                return _back_to_counter(reservation)
    context = {"reservation": reservation, "items": items, "form": form}
    return render(request, "lending/checkout.html", context, status=status)


RETURN_NOTE_MAX = 500


def _returned(post, loans):
    """What the return form says of each unit out: the accessories back, damaged or not, the note."""
    return [
        services.ReturnedUnit(
            unit_id=loan.unit_id,
            accessories=post.getlist(f"acc_{loan.pk}"),
            damaged=post.get(f"condition_{loan.pk}") == "damaged",
            note=post.get(f"note_{loan.pk}", ""),
        )
        for loan in loans
    ]


@staff_member_required
def return_loan(request, pk):
    reservation = get_object_or_404(Reservation.objects.select_related("group", "location"), pk=pk)
    loans = list(reservation.units.filter(returned_at__isnull=True).select_related("unit__equipment_type"))
    form = forms.Form(request.POST or None)  # the checklist is read from the POST; it carries the errors
    status = 200
    if request.method == "POST":
        returned = _returned(request.POST, loans)
        too_long = [r for r in returned if len(r.note) > RETURN_NOTE_MAX]
        if too_long:  # refused with a message, never cut silently
            form.add_error(
                None, _("A note may have at most %(limit)s characters.") % {"limit": RETURN_NOTE_MAX}
            )
        short, status = None, 400
        if not too_long:
            short, status = submit(form, lambda: services.return_loan(request.user, reservation.pk, returned))
        if status == 200:
            messages.success(request, _("Returned: reservation #%(id)s.") % {"id": reservation.pk})
            _warn_missing(request, reservation)
            _warn_short(request, short)
            return _back_to_counter(reservation)
    # Nothing is ticked until staff see it back; a refused form keeps what they ticked.
    rows = [
        (loan, [(a, a in request.POST.getlist(f"acc_{loan.pk}")) for a in loan.accessories_expected()])
        for loan in loans
    ]
    context = {"reservation": reservation, "rows": rows, "form": form, "post": request.POST}
    return render(request, "lending/return.html", context, status=status)


def _warn_missing(request, reservation):
    """Staff at the counter are told at once what did not come back (it is also on the reservation and the unit)."""
    missing = [
        f"{loan.unit.asset_tag}: {', '.join(gone)}"
        for loan in reservation.units.select_related("unit").order_by("pk")
        if (gone := loan.missing_accessories())
    ]
    if missing:
        messages.warning(
            request,
            _("Not returned: %(list)s. This is noted on the reservation and on the unit.")
            % {"list": "; ".join(missing)},
        )


def _warn_short(request, short):
    if short:
        messages.warning(
            request,
            _("These reservations are now short of units; please contact the groups: %(list)s")
            % {"list": ", ".join(f"#{r.pk} {r.group.name} ({r.pickup_date:%m/%d})" for r in short)},
        )


def unit_detail(request, unit_id):
    """The page a unit's QR label opens: staff get the staff page (status, history, label); anyone else
    the public card (what it is, the center's contact and hours, the setup guide, and for a member of
    the borrowing group the return date). A retired unit is no public page."""
    unit = get_object_or_404(
        Unit.objects.select_related("equipment_type", "equipment_type__location"), pk=unit_id
    )
    if not request.user.is_staff:
        if unit.status == Unit.Status.RETIRED:
            raise Http404
        return render(request, "lending/unit_public.html", {"card": services.unit_card(unit, request.user)})
    form = UnitStatusForm(request.POST or None, initial={"status": unit.status}, current=unit.status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        short, status = submit(
            form, lambda: services.set_unit_status(request.user, unit.pk, data["status"], data["note"])
        )
        if status == 200:
            messages.success(request, _("The unit's status was saved."))
            _warn_short(request, short)
            return redirect("lending:unit", unit.pk)
    loans = (
        ReservationUnit.objects.filter(unit=unit)
        .select_related("reservation__group", "unit__equipment_type")
        .order_by("-checked_out_at")
    )
    context = {
        "unit": unit,
        "form": form,
        "current": next((loan for loan in loans if loan.returned_at is None), None),
        "history": loans[:30],
        "qr": _qr(unit),
    }
    return render(request, "lending/unit.html", context, status=400 if form.errors else 200)


def _retire_confirmation(unit, form):
    return confirm.Confirmation(
        title=_("Retire this unit?"),
        consequence=_(
            "A retired unit is never lent again and leaves the QR label sheet. Reservations that counted "
            "on it may become short: you will see which, and should contact those groups."
        ),
        button=_("Retire the unit"),
        back_url=reverse("lending:unit", args=[unit.pk]),
        facts=unit_facts(unit),
        form=form,
    )


@staff_member_required
def unit_retire(request, unit_id):
    """GET: the unit and what retiring it means; POST: retire it (through set_unit_status)."""
    unit = get_object_or_404(Unit.objects.select_related("equipment_type"), pk=unit_id)
    if confirm.wants_confirmation(request):
        if unit.is_retired():
            messages.error(request, _("This unit is already retired."))
            return redirect("lending:unit", unit.pk)
        return confirm.page(request, _retire_confirmation(unit, RetireForm()))
    form = RetireForm(request.POST)
    status = 400
    if form.is_valid():
        retired = Unit.Status.RETIRED
        note = form.cleaned_data["note"]
        short, status = submit(form, lambda: services.set_unit_status(request.user, unit.pk, retired, note))
        if status == 200:
            messages.success(request, _("%(tag)s was retired.") % {"tag": unit.asset_tag})
            _warn_short(request, short)
            return redirect("lending:unit", unit.pk)
    return confirm.page(request, _retire_confirmation(unit, form), status)


def _qr(unit):
    return qr.svg_inline(notify.absolute_url(reverse("lending:unit", args=[unit.pk])), title=unit.asset_tag)


@staff_member_required
def unit_lookup(request):
    unit = services.find_unit(request.GET.get("tag", ""))
    if unit is None:
        messages.error(request, _("No unit has the asset tag %(tag)s.") % {"tag": request.GET.get("tag", "")})
        return redirect("lending:counter")
    return redirect("lending:unit", unit.pk)


@staff_member_required
def labels(request):
    units = Unit.objects.not_retired().select_related("equipment_type__location").order_by("asset_tag")
    type_id = parse_id(request.GET.get("type"))
    if type_id is not None:
        units = units.filter(equipment_type_id=type_id)
    labels = [(unit, _qr(unit)) for unit in units]
    return render(request, "lending/labels.html", {"labels": labels, "types": EquipmentType.objects.all()})


@staff_member_required
def rules(request):
    location = _counter_location(request)
    form = RulesForm(request.POST or None, instance=services.rules_for(location))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
        _result, status = submit(form, lambda: services.update_rules(request.user, location, data))
        if status == 200:
            messages.success(request, _("The lending rules were saved."))
            return redirect(reverse("lending:rules") + f"?location={location.pk}")
    context = {"form": form, "location": location, "locations": Location.objects.all()}
    return render(request, "lending/rules.html", context, status=400 if form.errors else 200)
