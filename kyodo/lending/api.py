"""The lending API: catalogue and availability (public), reservations (bearer token or session).

Every write goes through kyodo.lending.services; errors map as in kyodo.api.api (422/403/404/409)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kyodo.api.auth import REQUIRED
from kyodo.core import once
from kyodo.core.inputs import BoundedDate
from kyodo.groups.models import Group
from kyodo.lending import availability, services
from kyodo.lending.inputs import RequestInput
from kyodo.lending.models import EquipmentType, Kit, Reservation, ReservationItem

router = Router(tags=["lending"])
MAX_RANGE_DAYS = 366


class EquipmentOut(Schema):
    id: int
    name: str
    name_en: str
    category: str
    location: str
    location_id: int
    units_in_service: int


class EquipmentDetailOut(EquipmentOut):
    description: str
    specs: str
    accessories: list[str]
    setup_guide: str


class EquipmentPage(Schema):
    items: list[EquipmentOut]
    count: int


class KitItemOut(Schema):
    equipment: int
    name: str
    quantity: int


class KitOut(Schema):
    id: int
    name: str
    name_en: str
    use_case: str
    location: str
    location_id: int
    items: list[KitItemOut]


class KitPage(Schema):
    items: list[KitOut]
    count: int


class DayOut(Schema):
    date: dt.date
    free: int


class AvailabilityOut(Schema):
    days: list[DayOut]


class RangeIn(Schema):
    start: BoundedDate
    end: BoundedDate


class ReservationIn(RequestInput):
    """The request's body: the one RequestInput (its limits stated once), and the group it is for."""

    group: int


class ReservationItemOut(Schema):
    equipment: int
    name: str
    quantity: int
    kit: int | None


class ReservationOut(Schema):
    id: int
    reference: str = Field(description="The 受付番号 (reference number) the group quotes to the center.")
    group: int
    group_name: str
    status: str
    pickup_date: dt.date
    return_date: dt.date
    purpose: str
    audience_size: int | None
    decline_reason: str
    items: list[ReservationItemOut]


class ReservationPage(Schema):
    items: list[ReservationOut]
    count: int


class PageIn(Schema):
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


def _equipment(t, detail=False):
    data = {
        "id": t.pk,
        "name": t.name,
        "name_en": t.name_en,
        "category": t.category,
        "location": t.location.name,
        "location_id": t.location_id,
        "units_in_service": t.units_in_service,
    }
    if detail:
        data.update(
            description=t.description,
            specs=t.specs,
            accessories=t.accessory_list(),
            setup_guide=t.setup_guide,
        )
    return data


def _kit(kit):
    return {
        "id": kit.pk,
        "name": kit.name,
        "name_en": kit.name_en,
        "use_case": kit.use_case,
        "location": kit.location.name,
        "location_id": kit.location_id,
        "items": [
            {"equipment": i.equipment_type_id, "name": i.equipment_type.name, "quantity": i.quantity}
            for i in kit.items.all()
        ],
    }


def _reservation(r):
    return {
        "id": r.pk,
        "reference": r.reference,
        "group": r.group_id,
        "group_name": r.group.name,
        "status": r.status,
        "pickup_date": r.pickup_date,
        "return_date": r.return_date,
        "purpose": r.purpose,
        "audience_size": r.audience_size,
        "decline_reason": r.decline_reason,
        "items": [
            {
                "equipment": i.equipment_type_id,
                "name": i.equipment_type.name,
                "quantity": i.quantity,
                "kit": i.kit_id,
            }
            for i in r.items.all()
        ],
    }


def _check_range(query):
    if query.end < query.start:
        raise ValidationError({"end": [_("The end date must be on or after the start date.")]})
    if (query.end - query.start).days >= MAX_RANGE_DAYS:
        raise ValidationError({"end": [_("Please ask for at most %(n)d days.") % {"n": MAX_RANGE_DAYS}]})


def _types():
    return (
        EquipmentType.objects.active()
        .with_units_in_service()
        .select_related("location")
        .order_by("order", "id")
    )


def _kits():
    return (
        Kit.objects.filter(active=True).select_related("location").prefetch_related("items__equipment_type")
    )


@router.get("/equipment", response=EquipmentPage, summary="Equipment types")
def equipment_list(request, page: Query[PageIn]):
    types = _types()
    return {
        "items": [_equipment(t) for t in types[page.offset : page.offset + page.limit]],
        "count": types.count(),
    }


@router.get("/equipment/{type_id}", response=EquipmentDetailOut, summary="One equipment type")
def equipment_detail(request, type_id: int):
    return _equipment(get_object_or_404(_types(), pk=type_id), detail=True)


@router.get("/equipment/{type_id}/availability", response=AvailabilityOut, summary="Free units per open day")
def equipment_availability(request, type_id: int, query: Query[RangeIn]):
    equipment_type = get_object_or_404(EquipmentType.objects.active().select_related("location"), pk=type_id)
    _check_range(query)
    days = availability.type_days(equipment_type, query.start, query.end, services.today())
    return {"days": [{"date": day, "free": free} for day, free in days]}


@router.get("/kits", response=KitPage, summary="Kits")
def kit_list(request, page: Query[PageIn]):
    kits = _kits()
    return {"items": [_kit(k) for k in kits[page.offset : page.offset + page.limit]], "count": kits.count()}


@router.get("/kits/{kit_id}", response=KitOut, summary="One kit")
def kit_detail(request, kit_id: int):
    return _kit(get_object_or_404(_kits(), pk=kit_id))


@router.get("/kits/{kit_id}/availability", response=AvailabilityOut, summary="Whole kits free per open day")
def kit_availability(request, kit_id: int, query: Query[RangeIn]):
    kit = get_object_or_404(Kit.objects.filter(active=True).select_related("location"), pk=kit_id)
    _check_range(query)
    days = availability.kit_days(kit, query.start, query.end, services.today())
    return {"days": [{"date": day, "free": free} for day, free in days]}


def _visible(request):
    return (
        Reservation.objects.visible_to(request.auth)
        .select_related("group")
        .prefetch_related("items__equipment_type")
        .order_by("-created_at", "-pk")
    )


@router.post(
    "/reservations",
    response={201: ReservationOut},
    auth=REQUIRED,
    summary="Request equipment",
    openapi_extra=once.OPENAPI,
)
@once.idempotent("lending.request")
def reservation_create(request, payload: ReservationIn):
    group = Group.objects.filter(pk=payload.group).first()
    if group is None:
        raise ValidationError({"group": [_("There is no group %(id)s.") % {"id": payload.group}]})
    lines = [
        services.Line(quantity=item.quantity, equipment_type_id=item.equipment, kit_id=item.kit)
        for item in payload.items
    ]
    reservation = services.create_request(
        request.auth,
        group,
        lines,
        payload.pickup_date,
        payload.return_date,
        payload.purpose,
        payload.audience_size,
    )
    # The request was just made by this member for this group: no visibility check to repeat, and the
    # items come with their types in one query.
    items = Prefetch("items", queryset=ReservationItem.objects.select_related("equipment_type"))
    created = Reservation.objects.select_related("group").prefetch_related(items).get(pk=reservation.pk)
    return Status(201, _reservation(created))


@router.get("/reservations", response=ReservationPage, auth=REQUIRED, summary="Your groups' reservations")
def reservation_list(request, page: Query[PageIn]):
    reservations = _visible(request)
    return {
        "items": [_reservation(r) for r in reservations[page.offset : page.offset + page.limit]],
        "count": reservations.count(),
    }


@router.get(
    "/reservations/{reservation_id}", response=ReservationOut, auth=REQUIRED, summary="One reservation"
)
def reservation_detail(request, reservation_id: int):
    reservation = _visible(request).filter(pk=reservation_id).first()
    if reservation is None:
        raise Http404
    return _reservation(reservation)


@router.post(
    "/reservations/{reservation_id}/cancel",
    response=ReservationOut,
    auth=REQUIRED,
    summary="Cancel before pickup",
)
def reservation_cancel(request, reservation_id: int):
    if not _visible(request).filter(pk=reservation_id).exists():
        raise Http404
    services.cancel(request.auth, reservation_id)
    return _reservation(_visible(request).get(pk=reservation_id))
