import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.community.models import Event
from kyodo.groups.models import Group
from kyodo.ops import seed
from kyodo.ops.tables import table_fingerprints


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_every_row(tmp_path):
    seed.Generator(seed.scaled(0.001), seed=2, today=dt.date(2026, 6, 1)).run()
    before = table_fingerprints()
    target = tmp_path / "kyodo.backup"
    call_command("backup", str(target))
    assert target.stat().st_size > 0

    # Damage after the backup: a deleted and a changed row.
    Event.objects.order_by("pk").first().delete()
    Group.objects.update(name="changed")
    assert table_fingerprints() != before

    call_command("restore", str(target))
    after = table_fingerprints()
    assert after == before
    assert after["groups_group"][0] == seed.scaled(0.001)["groups"]


@pytest.mark.django_db
def test_restore_refuses_a_missing_or_bad_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nothing"))
    bad = tmp_path / "bad.backup"
    bad.write_text("not a database")
    with pytest.raises(CommandError):
        call_command("restore", str(bad))
