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
