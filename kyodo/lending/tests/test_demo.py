import pytest

from kyodo.lending import services
from kyodo.lending.models import EquipmentType, Kit, Reservation, Unit

pytestmark = pytest.mark.django_db


def load_all():
    from kyodo.core import demo as core_demo
    from kyodo.groups import demo as groups_demo
    from kyodo.lending import demo

    core_demo.load()
    groups_demo.load()
    demo.load()


def test_demo_loads_twice_with_both_kits_and_an_overdue_loan_elsewhere():
    from django.utils import timezone

    from kyodo.groups.models import Group

    load_all()
    load_all()
    today = timezone.localdate()
    assert EquipmentType.objects.count() == 7
    assert Unit.objects.filter(equipment_type__name="WEBカメラ（サンプル）").count() == 3
    assert set(Kit.objects.values_list("name", flat=True)) == {"オンライン総会セット", "配信セット"}
    assert Reservation.objects.count() == 4
    assert {r.status for r in Reservation.objects.all()} == {
        "requested",
        "approved",
        "checked_out",
        "returned",
    }
    overdue = Reservation.objects.overdue(today).get()
    assert overdue.group.name == "サンプル学生サークル（デモ）"
    member_group = Group.objects.get(name="サンプル町会（デモ）")
    assert not Reservation.objects.filter(group=member_group).overdue(today).exists()
    # The demo member may request a kit two weeks from now.
    member = member_group.memberships.first().user
    kit = Kit.objects.get(name="オンライン総会セット")
    from kyodo.core import calendar

    pickup = calendar.add_open_days(kit.location, today, 12)
    ret = calendar.add_open_days(kit.location, pickup, 1)
    services.preview(member_group, [services.Line(1, kit_id=kit.pk)], pickup, ret, day=today)
    assert member.email == "member@example.jp"


@pytest.mark.parametrize("today", ["2027-01-05", "2027-05-04", "2026-12-30", "2027-03-22"])
def test_demo_loads_on_any_day_of_the_year(today):
    import datetime as dt

    from kyodo.core import demo as core_demo
    from kyodo.groups import demo as groups_demo
    from kyodo.lending import demo

    core_demo.load()
    groups_demo.load()
    demo.load(today=dt.date.fromisoformat(today))
    assert Kit.objects.count() == 2 and Unit.objects.count() == 14
