"""Lending fixtures: a fixed 'today' (Tuesday 2027-06-01, a month without holidays), two types, a kit."""

import datetime as dt

import pytest

TODAY = dt.date(2027, 6, 1)  # Tuesday; the test location is closed on Mondays (7, 14, 21, 28 June)


def d(day, month=6):
    return dt.date(2027, month, day)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    from kyodo.lending import services

    monkeypatch.setattr(services.clock, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def camera(location):
    from kyodo.lending.models import EquipmentType, Unit

    kind = EquipmentType.objects.create(
        name="WEBカメラ（サンプル）",
        name_en="Web camera (sample)",
        category="camera",
        location=location,
        accessories="USBケーブル\nクリップ",
        setup_guide="1. **USB** につなぐ\n2. Zoomでカメラを選ぶ",
    )
    for n in range(1, 4):
        Unit.objects.create(equipment_type=kind, asset_tag=f"CAM-00{n}", serial=f"S{n}")
    return kind


@pytest.fixture
def mic(location):
    from kyodo.lending.models import EquipmentType, Unit

    kind = EquipmentType.objects.create(
        name="マイクスピーカー（サンプル）", name_en="Mic speaker (sample)", category="audio", location=location,
        accessories="USBケーブル",
    )  # fmt: skip
    for n in range(1, 3):
        Unit.objects.create(equipment_type=kind, asset_tag=f"MIC-00{n}")
    return kind


@pytest.fixture
def kit(camera, mic, location):
    from kyodo.lending.models import Kit, KitItem

    kit = Kit.objects.create(
        name="オンライン総会セット", name_en="Online general meeting kit", location=location,
        use_case="町会の総会をオンラインで開催したい",
    )  # fmt: skip
    KitItem.objects.create(kit=kit, equipment_type=camera, quantity=1)
    KitItem.objects.create(kit=kit, equipment_type=mic, quantity=1)
    return kit


@pytest.fixture
def reserve(db):
    """reserve(user, group, {type: qty}, pickup, return, status="requested") through the services."""
    from kyodo.lending import services
    from kyodo.lending.models import Reservation, ReservationUnit

    def make(user, group, needs, pickup, return_date, status="requested", staff_user=None):
        lines = [services.Line(quantity=q, equipment_type_id=t.pk) for t, q in needs.items()]
        reservation = services.create_request(user, group, lines, pickup, return_date, "総会", 30, day=TODAY)
        if status == "requested":
            return reservation
        services.approve(staff_user, reservation.pk, day=TODAY)
        if status == "approved":
            return Reservation.objects.get(pk=reservation.pk)
        if status == "checked_out":
            units = []
            for t, q in needs.items():
                out = ReservationUnit.objects.filter(returned_at__isnull=True).values("unit_id")
                units += list(t.units.filter(status="in_service").exclude(pk__in=out)[:q])
            services.checkout(staff_user, reservation.pk, [u.asset_tag for u in units], day=pickup)
            return Reservation.objects.get(pk=reservation.pk)
        raise ValueError(status)

    return make
