"""Replaced and cleared uploads leave no file behind: django-cleanup deletes them after the commit, and the
daily job removes day-old files of the upload folders that no row points to (and nothing else)."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from kyodo.core import media
from kyodo.core.tests.imagefiles import image_bytes
from kyodo.groups.forms import GroupProfileForm
from kyodo.groups.models import Group

pytestmark = pytest.mark.django_db


def _jpeg(name: str = "logo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def _edit(client, group, django_capture_on_commit_callbacks, **changes):
    form = GroupProfileForm(instance=group)
    data = {name: form[name].value() for name in form.fields if name not in ("logo", "fields")}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v not in (None, False)}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/groups/mine/{group.pk}/edit/", {**data, **changes})
    assert response.status_code == 302
    return Group.objects.get(pk=group.pk)


def _age(path: Path, days: float) -> None:
    when = (timezone.now() - dt.timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def test_a_replaced_logo_s_file_is_deleted_after_the_commit(
    client_for, group_a, member_a, settings, django_capture_on_commit_callbacks
):
    client = client_for("member_a")
    first = _edit(client, group_a, django_capture_on_commit_callbacks, logo=_jpeg())
    old_path = Path(first.logo.path)
    assert old_path.exists()
    second = _edit(client, first, django_capture_on_commit_callbacks, logo=_jpeg())
    assert Path(second.logo.path).exists()
    assert not old_path.exists()


def test_a_cleared_logo_s_file_is_deleted_after_the_commit(
    client_for, group_a, member_a, django_capture_on_commit_callbacks
):
    client = client_for("member_a")
    path = Path(_edit(client, group_a, django_capture_on_commit_callbacks, logo=_jpeg()).logo.path)
    cleared = _edit(client, group_a, django_capture_on_commit_callbacks, **{"logo-clear": "on"})
    assert not cleared.logo
    assert not path.exists()


def test_the_upload_folders_are_those_of_the_image_fields():
    assert {"groups/logos", "lending/types", "events", "news"} <= set(media.upload_folders())
    assert "" not in media.upload_folders()


def test_the_daily_job_removes_old_unused_files_of_the_upload_folders_only(group_a, settings):
    root = Path(settings.MEDIA_ROOT)
    group_a.logo.save("kept.jpg", _jpeg())  # a row points to it
    kept = Path(group_a.logo.path)
    orphan = root / "groups/logos/orphan.jpg"
    nested = root / "events/2026/old.png"
    young = root / "news/uploading.jpg"  # an upload whose transaction may still be open
    outside = root / "exports/report.csv"
    loose = root / "readme.txt"
    for path in (orphan, nested, young, outside, loose):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in (kept, orphan, nested, outside, loose):
        _age(path, 2)
    _age(young, 0.5)

    assert media.remove_orphans() == 2
    assert not orphan.exists() and not nested.exists()
    assert kept.exists() and young.exists() and outside.exists() and loose.exists()


def test_the_daily_command_reports_the_removed_files(settings, capsys):
    orphan = Path(settings.MEDIA_ROOT) / "lending/types/gone.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    _age(orphan, 3)
    call_command("daily")
    assert "1 unused uploaded files removed" in capsys.readouterr().out
    assert not orphan.exists()
