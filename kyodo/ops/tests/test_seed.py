import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kyodo.community.models import Event, NewsPost
from kyodo.consultations.models import Consultation
from kyodo.core.models import Location, OpeningHours, User
from kyodo.groups.models import Group, Membership
from kyodo.lending.models import EquipmentType, Reservation, ReservationItem, Unit
from kyodo.ops import seed
from kyodo.ops.tables import table_fingerprints

TODAY = dt.date(2026, 6, 1)
TINY = ["--scale", "0.002", "--today", TODAY.isoformat()]
SEEDED_TABLES = ["core_location", "core_openinghours", "core_user", "account_emailaddress", "groups_group",
                 "groups_group_fields", "groups_membership", "lending_equipmenttype", "lending_unit",
                 "lending_reservation", "lending_reservationitem", "lending_reservationunit",
                 "consultations_coordinatorhours", "consultations_consultation", "community_event",
                 "community_newspost"]  # fmt: skip


def test_scaled_counts_and_overrides():
    counts = seed.scaled(0.01, users=7)
    assert counts["groups"] == 50 and counts["reservations"] == 10_000 and counts["users"] == 7
    assert seed.scaled(0.00001)["locations"] == 1  # never zero


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_tiny_seed_counts_and_determinism(capsys):
    call_command("seed_scale", "--seed", "5", *TINY)
    out = capsys.readouterr().out
    counts = seed.scaled(0.002)
    assert Location.objects.count() == counts["locations"]
    assert OpeningHours.objects.count() == 6 * counts["locations"]
    assert User.objects.count() == counts["users"]
    assert Group.objects.count() == counts["groups"]
    # every generated member is in exactly one group, every group has at least one member
    assert Membership.objects.values("user").distinct().count() == Membership.objects.count()
    assert not Group.objects.filter(memberships__isnull=True).exists()
    assert Reservation.objects.count() == counts["reservations"]
    assert ReservationItem.objects.count() == counts["reservations"]
    assert Consultation.objects.count() == counts["consultations"]
    assert Event.objects.count() == counts["events"] and NewsPost.objects.count() == counts["news"]
    assert (
        EquipmentType.objects.count() == counts["equipment_types"] and Unit.objects.count() == counts["units"]
    )
    today = TODAY
    assert Reservation.objects.filter(status="returned", return_date__lt=today).exists()
    assert Reservation.objects.filter(pickup_date__gt=today, status__in=["requested", "approved"]).exists()
    assert "rows/s" in out and "lending_reservation" in out
    if connection.vendor == "postgresql":  # statistics gathered: the planner sees the rows just loaded
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'lending_reservation'")
            assert cursor.fetchone()[0] == counts["reservations"]
    first = table_fingerprints(tables=SEEDED_TABLES)

    call_command("seed_scale", "--seed", "5", "--flush", *TINY)
    assert table_fingerprints(tables=SEEDED_TABLES) == first

    call_command("seed_scale", "--seed", "6", "--flush", *TINY)
    assert table_fingerprints(tables=SEEDED_TABLES) != first


@pytest.mark.django_db
def test_refuses_a_database_with_users(member_a):
    with pytest.raises(CommandError, match="--flush"):
        call_command("seed_scale", *TINY)


@pytest.mark.django_db
def test_generated_accounts_can_sign_in():
    seed.Generator(seed.scaled(0.001), seed=1, today=TODAY).run()
    user = User.objects.get(email="user000005@scale.example.jp")
    assert user.check_password(seed.PASSWORD)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.filter(is_staff=True, is_coordinator=True).exists()
