import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kyodo.groups.models import Membership
from kyodo.ops import integrity


def _plant_orphan_membership(user):
    """Insert a membership of a group that does not exist, with the foreign key checks off."""
    table = Membership._meta.db_table
    sql = f"INSERT INTO {table} (group_id, user_id, role, joined_at) VALUES (987654, %s, 'member', %s)"
    from django.utils import timezone

    if connection.vendor == "sqlite":
        with connection.constraint_checks_disabled(), connection.cursor() as cursor:
            cursor.execute(sql, [user.pk, timezone.now()])
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            cursor.execute(sql, [user.pk, timezone.now()])
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")


@pytest.mark.django_db(transaction=True)
def test_clean_database_passes(member_a, member_b, capsys):
    call_command("check_integrity")
    assert "all checks passed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_planted_orphan_is_found_and_fails_the_command(member_a, capsys):
    _plant_orphan_membership(member_a)
    try:
        problems = dict(integrity.run_all())["orphan rows"]
        assert problems == ["groups_membership.group_id: 1 row(s) point at no groups_group row"]
        with pytest.raises(CommandError, match="1 integrity check"):
            call_command("check_integrity")
        assert "FAIL orphan rows" in capsys.readouterr().out
    finally:
        Membership.objects.filter(group_id=987654).delete()


# --- the domain checks, on a tiny seeded database ---------------------------------------------------
import datetime as dt  # noqa: E402

from kyodo.consultations.models import Consultation  # noqa: E402
from kyodo.lending.models import Reservation, ReservationUnit, Unit  # noqa: E402
from kyodo.ops import seed  # noqa: E402


@pytest.fixture
def seeded(db):
    seed.Generator(seed.scaled(0.001), seed=4, today=dt.date(2026, 6, 1)).run()
    assert Reservation.objects.count() == seed.scaled(0.001)["reservations"]


def _problems(name):
    return dict(integrity.run_all())[name]


def _drop_pg_constraint(table, name):
    """PostgreSQL's exclusion constraints would refuse the planted row; DDL rolls back with the test."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the seed's deferred checks first
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")


def test_seeded_data_passes_every_check(seeded):
    assert all(not problems for _name, problems in integrity.run_all()), integrity.run_all()


def test_reservation_without_items_is_found(seeded):
    victim = Reservation.objects.order_by("pk").first()
    victim.items.all().delete()
    assert _problems("reservations without items") == [f"reservation #{victim.pk} has no items"]


def test_item_out_of_step_with_its_reservation_is_found(seeded):
    """A bulk update that skips Reservation.save would leave the items' copies behind: found."""
    victim = Reservation.objects.order_by("pk").first()
    Reservation.objects.filter(pk=victim.pk).update(hold_until=victim.hold_until + dt.timedelta(days=3))
    item = victim.items.get()
    assert _problems("items out of step with their reservation") == [
        f"reserved item #{item.pk} disagrees with reservation #{victim.pk}"
    ]
    Reservation.objects.get(pk=victim.pk).save()  # saving the reservation brings them back in step
    assert _problems("items out of step with their reservation") == []


def test_unit_lent_twice_is_found(seeded):
    _drop_pg_constraint("lending_reservationunit", "lending_unit_periods_do_not_overlap")
    loan = ReservationUnit.objects.order_by("pk").first()
    other = Reservation.objects.exclude(units__unit=loan.unit).order_by("pk").first()
    ReservationUnit.objects.create(reservation=other, unit=loan.unit, start=loan.start, end=loan.end,
                                   returned_at=loan.returned_at or loan.checked_out_at)  # fmt: skip
    problems = _problems("units lent twice")
    assert len(problems) == 1 and f"unit {loan.unit_id}:" in problems[0]


def test_type_held_beyond_its_units_is_found(seeded):
    Unit.objects.update(status=Unit.Status.UNDER_REPAIR)
    assert _problems("types held beyond units in service")


def test_coordinator_booked_twice_is_found(seeded):
    _drop_pg_constraint("consultations_consultation", "consultation_no_overlap")
    first = Consultation.objects.filter(status="held").order_by("pk").first()
    first.pk, first.manage_token = None, "planted-duplicate"
    first.save()
    problems = _problems("coordinators booked twice")
    assert len(problems) == 1 and f"consultation {first.pk} " in problems[0]
