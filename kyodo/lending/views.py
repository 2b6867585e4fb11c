import datetime as dt

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo.core import audit, calendar, notify, paging, qr
from kyodo.core.doors import act, submit
from kyodo.core.errors import Unavailable
from kyodo.core.forms import add_service_errors, parse_id
from kyodo.core.inputs import in_date_range
from kyodo.core.models import Location
from kyodo.groups.models import Group
from kyodo.lending import availability, services
from kyodo.lending.forms import (
    CatalogFilterForm,
    CheckoutForm,
    CounterForm,
    DeclineForm,
    EditForm,
    ExtensionForm,
    RequestForm,
    RulesForm,
    UnitStatusForm,
)
from kyodo.lending.models import EquipmentType, ExtensionRequest, Kit, Reservation, ReservationUnit, Unit

# --- Public catalogue -------------------------------------------------------------------------------


def catalog(request):
    form = CatalogFilterForm(request.GET or None)
    types = EquipmentType.objects.active().with_units_in_service().select_related("location")
    kits = Kit.objects.filter(active=True).prefetch_related("items__equipment_type")
    free = kit_counts = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("category"):
            types = types.filter(category=data["category"])
            kits = kits.filter(items__equipment_type__category=data["category"]).distinct()
        if data.get("start"):
            types = list(types)
            kits = list(kits)
            today = services.today()
            all_type_ids = {t.pk for t in types} | {i.equipment_type_id for k in kits for i in k.items.all()}
            per_day = availability.free_by_day(all_type_ids, data["start"], data["end"], today)
            free = {tid: max(min(days.values()), 0) for tid, days in per_day.items()}
            types = [t for t in types if free.get(t.pk, 0) > 0]
            kit_counts = {}
            for kit in kits:
                items = list(kit.items.all())
                counts = availability.kit_free(items, per_day) if items else {}
                kit_counts[kit.pk] = min(counts.values(), default=0) if items else 0
            kits = [k for k in kits if kit_counts[k.pk] > 0]
    status = 400 if form.errors else 200
    # 500 types at the scale: pages of 24 cards, so the page costs the same with 5 types or 500.
    page = paging.page_of(types, 24, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "types": page.object_list,
        "kits": kits,
        "free": free,
        "kit_counts": kit_counts,
        "query": paging.query_without_page(request),
    }
    return render(request, "lending/catalog.html", context, status=status)


def _month(request):
    today = services.today()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first = dt.date(year, month, 1)
    except (TypeError, ValueError):
        first = today.replace(day=1)
    if not in_date_range(first):
        raise Http404
    return first


def _month_context(location, first, per_day_free):
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return {
        "month": first,
        "weeks": availability.month_calendar(location, first.year, first.month, per_day_free),
        "prev_month": (first - dt.timedelta(days=1)).replace(day=1),
        "next_month": last + dt.timedelta(days=1),
    }


def type_detail(request, type_id):
    equipment_type = get_object_or_404(
        EquipmentType.objects.active().with_units_in_service().select_related("location"), pk=type_id
    )
    first = _month(request)
    today = services.today()
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    horizon = today + dt.timedelta(days=120)
    # From today: the calendar shows no count on past days, and reading them cost a scan of every
    # reservation of the month so far.
    end = max(last, horizon)
    free = availability.free_by_day([equipment_type.pk], today, end, today)[equipment_type.pk]
    open_days = _bookable_days(equipment_type.location, today, horizon)
    context = {
        "type": equipment_type,
        "kits": Kit.objects.filter(active=True, items__equipment_type=equipment_type).distinct(),
        "next_free": availability.next_free_date([(day, free[day]) for day in open_days]),
        "today": today,
        **_month_context(equipment_type.location, first, free),
    }
    return render(request, "lending/type_detail.html", context)


def _bookable_days(location, today, horizon):
    """Open days a request made today could start on: "next free date" must be a date one can pick."""
    earliest = services.earliest_pickup(location, services.rules_for(location), today) or horizon
    return calendar.open_days(location, earliest, horizon)


def kit_detail(request, kit_id):
    kit = get_object_or_404(Kit.objects.filter(active=True).select_related("location"), pk=kit_id)
    items = list(kit.items.select_related("equipment_type"))
    first = _month(request)
    today = services.today()
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    horizon = today + dt.timedelta(days=120)
    end = max(last, horizon)  # from today, as for a type
    per_type = availability.free_by_day({i.equipment_type_id for i in items}, today, end, today)
    free = availability.kit_free(items, per_type) if items else {}
    open_days = _bookable_days(kit.location, today, horizon)
    context = {
        "kit": kit,
        "items": items,
        "next_free": availability.next_free_date([(day, free.get(day, 0)) for day in open_days]),
        "today": today,
        **_month_context(kit.location, first, free),
    }
    return render(request, "lending/kit_detail.html", context)


# --- Members: request, see, cancel, extend ---------------------------------------------------------


def _initial_quantities(request):
    initial = {}
    for key in ("type", "kit"):
        value = request.GET.get(key, "")
        if value.isdigit():
            initial[f"{key}_{value}"] = 1
    return initial


@login_required
def request_equipment(request):
    groups = Group.objects.of_member(request.user).approved().order_by("name")
    if not groups.exists():
        return render(request, "lending/request.html", {"no_group": True})
    form = RequestForm(request.POST or None, groups=groups, initial=_initial_quantities(request))
    summary = fits = None
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "lending/request.html", {"form": form}, status=400)
        data = form.cleaned_data
        try:
            summary = services.preview(data["group"], form.lines(), data["pickup_date"], data["return_date"])
            fits = all(needed <= free for _t, needed, free in summary)
            if fits and request.POST.get("action") == "send":
                reservation = services.create_request(
                    request.user, data["group"], form.lines(), data["pickup_date"], data["return_date"],
                    data["purpose"], data.get("audience_size"),
                )  # fmt: skip
                messages.success(request, _("Your request was sent. The equipment is held for you."))
                return redirect("lending:reservation", reservation.pk)
            if not fits:
                form.add_error(None, _("Some items are not free on these dates; see the table below."))
                status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
            summary, fits, status = None, None, 400
        except Unavailable as exc:  # taken by someone else between the check and the send
            form.add_error(None, exc.message)
            fits, status = False, 409
    context = {"form": form, "fits": fits, "summary": summary}
    return render(request, "lending/request.html", context, status=status)


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
@require_POST
def cancel(request, pk):
    reservation = _visible_reservation(request, pk)
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


# --- Staff: review -------------------------------------------------------------------------------------


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
    extensions = ExtensionRequest.objects.pending().select_related("reservation__group")
    context = {
        "reservations": reservations[:200],
        "status": status,
        "statuses": Reservation.Status.choices,
        "extensions": extensions,
    }
    return render(request, "lending/review_list.html", context)


@staff_member_required
def review(request, pk):
    reservation = get_object_or_404(Reservation.objects.select_related("group", "location"), pk=pk)
    items = list(reservation.items.select_related("equipment_type", "kit"))
    action = request.POST.get("action")
    decline_form = DeclineForm(request.POST if action == "decline" else None)
    edit_form = EditForm(
        request.POST if action == "edit" else None,
        items=items,
        initial={"pickup_date": reservation.pickup_date, "return_date": reservation.return_date},
    )
    status = 200
    if request.method == "POST":
        try:
            if action == "approve":
                services.approve(request.user, reservation.pk)
                messages.success(request, _("The request was approved."))
                return redirect("lending:review", reservation.pk)
            if action == "decline" and decline_form.is_valid():
                services.decline(request.user, reservation.pk, decline_form.cleaned_data["reason"])
                messages.success(request, _("The request was declined."))
                return redirect("lending:review", reservation.pk)
            if action == "edit" and edit_form.is_valid():
                data = edit_form.cleaned_data
                services.edit(
                    request.user,
                    reservation.pk,
                    data["pickup_date"],
                    data["return_date"],
                    edit_form.quantities(),
                )
                messages.success(request, _("The reservation was changed."))
                return redirect("lending:review", reservation.pk)
            if action in ("extension_approve", "extension_decline"):
                extension_id = request.POST.get("extension", "")
                if not extension_id.isdigit():
                    raise Http404
                services.decide_extension(request.user, int(extension_id), action == "extension_approve")
                messages.success(request, _("The extension was decided."))
                return redirect("lending:review", reservation.pk)
            if action == "cancel":
                services.cancel(request.user, reservation.pk)
                messages.success(request, _("The reservation was cancelled."))
                return redirect("lending:review", reservation.pk)
            status = 400
        except ValidationError as exc:
            if action in ("edit", "decline"):
                add_service_errors(edit_form if action == "edit" else decline_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
            status = 400
        except Unavailable as exc:
            messages.error(request, exc.message)
            status = 409
    today = services.today()
    needs = {}
    for item in items:
        needs[item.equipment_type_id] = needs.get(item.equipment_type_id, 0) + item.quantity
    per_day = availability.free_by_day(
        needs.keys(),
        reservation.pickup_date,
        reservation.hold_until,
        today,
        exclude_reservation_id=reservation.pk,
    )
    free = {tid: min(days.values(), default=0) for tid, days in per_day.items()}
    context = {
        "reservation": reservation,
        "items": items,
        "free": [(item, max(free.get(item.equipment_type_id, 0), 0)) for item in items],
        "decline_form": decline_form,
        "edit_form": edit_form,
        "extensions": reservation.extensions.all(),
        "history": audit.entries_for(reservation)[:20],
        "group_overdue": Reservation.objects.filter(group=reservation.group)
        .overdue(today)
        .exclude(pk=reservation.pk),
        "units": reservation.units.select_related("unit"),
    }
    return render(request, "lending/review.html", context, status=status)


# --- Staff: counter ------------------------------------------------------------------------------------


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


@staff_member_required
def checkout(request, pk):
    reservation = get_object_or_404(Reservation.objects.select_related("group", "location"), pk=pk)
    items = list(reservation.items.select_related("equipment_type"))
    accessories = []
    for item in items:
        for line in item.equipment_type.accessory_list():
            label = f"{item.equipment_type.name}: {line}"
            if label not in accessories:
                accessories.append(label)
    form = CheckoutForm(request.POST or None, accessories=accessories)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.checkout(
                    request.user, reservation.pk, form.tag_list(), form.cleaned_data["accessories"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            except Unavailable as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("Checked out: reservation #%(id)s.") % {"id": reservation.pk})
                return redirect(reverse("lending:counter") + f"?location={reservation.location_id}")
        else:
            status = 400
    context = {"reservation": reservation, "items": items, "form": form}
    return render(request, "lending/checkout.html", context, status=status)


@staff_member_required
def return_loan(request, pk):
    reservation = get_object_or_404(Reservation.objects.select_related("group", "location"), pk=pk)
    loans = list(reservation.units.filter(returned_at__isnull=True).select_related("unit__equipment_type"))
    errors = []
    status = 200
    if request.method == "POST":
        returned = [
            services.ReturnedUnit(
                unit_id=loan.unit_id,
                accessories=request.POST.getlist(f"acc_{loan.pk}"),
                damaged=request.POST.get(f"condition_{loan.pk}") == "damaged",
                note=request.POST.get(f"note_{loan.pk}", "")[:500],
            )
            for loan in loans
        ]
        try:
            short = services.return_loan(request.user, reservation.pk, returned)
        except ValidationError as exc:
            errors = exc.messages
            status = 400
        else:
            messages.success(request, _("Returned: reservation #%(id)s.") % {"id": reservation.pk})
            _warn_short(request, short)
            return redirect(reverse("lending:counter") + f"?location={reservation.location_id}")
    rows = [(loan, loan.unit.equipment_type.accessory_list()) for loan in loans]
    context = {"reservation": reservation, "rows": rows, "errors": errors, "post": request.POST}
    return render(request, "lending/return.html", context, status=status)


def _warn_short(request, short):
    if short:
        messages.warning(
            request,
            _("These reservations are now short of units; please contact the groups: %(list)s")
            % {"list": ", ".join(f"#{r.pk} {r.group.name} ({r.pickup_date:%m/%d})" for r in short)},
        )


# --- Staff: units and labels ---------------------------------------------------------------------------


@staff_member_required
def unit_detail(request, unit_id):
    unit = get_object_or_404(
        Unit.objects.select_related("equipment_type", "equipment_type__location"), pk=unit_id
    )
    form = UnitStatusForm(request.POST or None, initial={"status": unit.status})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            short = services.set_unit_status(
                request.user, unit.pk, form.cleaned_data["status"], form.cleaned_data["note"]
            )
            messages.success(request, _("The unit's status was saved."))
            _warn_short(request, short)
            return redirect("lending:unit", unit.pk)
        status = 400
    loans = (
        ReservationUnit.objects.filter(unit=unit)
        .select_related("reservation__group")
        .order_by("-checked_out_at")
    )
    context = {
        "unit": unit,
        "form": form,
        "current": next((loan for loan in loans if loan.returned_at is None), None),
        "history": loans[:30],
        "qr": qr.svg_inline(
            notify.absolute_url(reverse("lending:unit", args=[unit.pk])), title=unit.asset_tag
        ),
    }
    return render(request, "lending/unit.html", context, status=status)


@staff_member_required
def unit_lookup(request):
    unit = services.find_unit(request.GET.get("tag", ""))
    if unit is None:
        messages.error(request, _("No unit has the asset tag %(tag)s.") % {"tag": request.GET.get("tag", "")})
        return redirect("lending:counter")
    return redirect("lending:unit", unit.pk)


@staff_member_required
def labels(request):
    units = Unit.objects.not_retired().select_related("equipment_type").order_by("asset_tag")
    type_id = parse_id(request.GET.get("type"))
    if type_id is not None:
        units = units.filter(equipment_type_id=type_id)
    labels = [
        (
            unit,
            qr.svg_inline(notify.absolute_url(reverse("lending:unit", args=[unit.pk])), title=unit.asset_tag),
        )
        for unit in units
    ]
    return render(request, "lending/labels.html", {"labels": labels, "types": EquipmentType.objects.all()})


@staff_member_required
def rules(request):
    location = _counter_location(request)
    current = services.rules_for(location)
    form = RulesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
        try:
            services.update_rules(request.user, location, data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The lending rules were saved."))
            return redirect(reverse("lending:rules") + f"?location={location.pk}")
    context = {"form": form, "location": location, "locations": Location.objects.all()}
    return render(request, "lending/rules.html", context, status=400 if form.errors else 200)
