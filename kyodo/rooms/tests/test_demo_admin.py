import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyodo.core.models import OutboundEmail, User
from kyodo.rooms.models import Room, RoomBooking
from kyodo.rooms.services import lapse


@pytest.fixture
def real_clock(monkeypatch):
    """The demo runs at the real today (the rooms' clock fixture is overridden here)."""
    from django.utils import timezone as tz

    from kyodo.rooms.services import clock as module

    monkeypatch.setattr(module, "now", tz.now)
    monkeypatch.setattr(module, "today", tz.localdate)


def test_the_demo_has_two_rooms_and_bookings_in_each_state(db, real_clock):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))  # idempotent
    assert set(Room.objects.values_list("name", flat=True)) == {
        "交流ホール（サンプル）",
        "会議室（サンプル）",
    }
    statuses = set(RoomBooking.objects.values_list("status", flat=True))
    # A holiday or the year-end around today may skip one scenario; most states are always there.
    assert len(statuses & {"provisional", "applied", "approved", "cancelled"}) >= 3, statuses
    today = timezone.localdate()
    lapsing = list(
        RoomBooking.objects.awaiting_application().filter(application_due=today).values_list("pk", flat=True)
    )
    assert lapsing
    assert [b.pk for b in lapse.lapse_due(today + dt.timedelta(days=1))] == lapsing
    assert not OutboundEmail.objects.filter(template__startswith="rooms/email/provisional").exists()


@pytest.mark.parametrize(
    "persona,expected", [("anonymous", 302), ("member_a", 302), ("staff", 200), ("admin", 200)]
)
def test_staff_keep_rooms_in_the_admin(client_for, persona, expected, hall, member_a, group_a, make_booking):
    from kyodo.rooms.tests.conftest import d

    booking = make_booking(member_a, hall, d(3), group=group_a)
    assert not User.objects.filter(user_permissions__isnull=False).exists()
    for path in ["room/", f"room/{hall.pk}/change/", "period/", "roomsettings/", "roombooking/",
                 f"roombooking/{booking.pk}/change/", "roomblock/", "payment/"]:  # fmt: skip
        assert client_for(persona).get(f"/admin/rooms/{path}").status_code == expected, path


def test_the_admin_approves_through_the_service(client_for, hall, member_a, group_a, make_booking, staff):
    from kyodo.rooms.tests.conftest import d

    applied = make_booking(member_a, hall, d(3), group=group_a, status="applied")
    provisional = make_booking(member_a, hall, d(4), group=group_a)
    client_for("staff").post(
        "/admin/rooms/roombooking/",
        {"action": "approve_selected", "_selected_action": [applied.pk, provisional.pk]},
        follow=True,
    )
    applied.refresh_from_db()
    provisional.refresh_from_db()
    assert applied.is_approved() and applied.permit_number and provisional.is_provisional()
