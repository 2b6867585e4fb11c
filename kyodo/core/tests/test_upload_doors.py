"""Uploads through the real doors: a group manager's edit page (the group's logo) and the admin's change
form of an equipment type (its photo). Both go through kyodo.core.images because the model fields are
its ImageField; what is stored is read back from disk as bytes."""

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kyodo.core.tests.imagefiles import JPEG_MAGIC, image_bytes
from kyodo.groups.forms import GroupProfileForm
from kyodo.groups.models import Group
from kyodo.lending.models import EquipmentType

pytestmark = pytest.mark.django_db

MISMATCH = "The file's name or type does not match its content (PNG)."
TOO_LARGE = "The image is too large: at most 1 MB."


def _values(form, data: dict) -> None:
    """An unbound form's current values as POST data (what the browser would send back unchanged)."""
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False or name in ("logo", "photo"):
            continue
        key = form.add_prefix(name)
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(v) for v in value]
        else:
            data[key] = field.prepare_value(value) if hasattr(field, "prepare_value") else value


def _group_door(client_for, group_a, camera):
    group_a.listed = True
    group_a.save()
    data: dict = {}
    _values(GroupProfileForm(instance=group_a), data)
    client = client_for("member_a")
    url = f"/en/groups/mine/{group_a.pk}/edit/"

    def send(upload):
        return client.post(url, {**data, "logo": upload})

    return send, lambda: Group.objects.get(pk=group_a.pk).logo, "groups/logos/"


def _admin_door(client_for, group_a, camera):
    client = client_for("admin")
    url = f"/en/admin/lending/equipmenttype/{camera.pk}/change/"
    page = client.get(url)
    data: dict = {"_save": "Save"}
    _values(page.context["adminform"].form, data)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        _values(formset.management_form, data)
        for form in formset.forms:
            _values(form, data)

    def send(upload):
        return client.post(url, {**data, "photo": upload})

    return send, lambda: EquipmentType.objects.get(pk=camera.pk).photo, "lending/types/"


@pytest.fixture
def camera(location):
    return EquipmentType.objects.create(
        name="WEBカメラ", name_en="Web camera", category="camera", location=location
    )


DOORS = {"group edit page": _group_door, "admin equipment type": _admin_door}


@pytest.fixture(params=list(DOORS))
def door(request, client_for, group_a, camera, member_a):
    return DOORS[request.param](client_for, group_a, camera)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_png_named_pdf_is_refused_with_the_message_and_nothing_is_saved(door, settings):
    send, stored, _folder = door
    response = send(SimpleUploadedFile("logo.pdf", image_bytes("PNG"), content_type="application/pdf"))
    assert response.status_code in (200, 400)  # the form again, not a redirect
    assert MISMATCH in _page_text(response)
    assert not stored()
    assert _stored_files(settings) == []


def test_a_jpeg_with_gps_is_stored_without_exif_under_a_random_jpg_name(door, settings):
    send, stored, folder = door
    response = send(SimpleUploadedFile("IMG_0001.JPG", image_bytes(exif=True), content_type="image/jpeg"))
    assert response.status_code == 302, _page_text(response)[:2000]
    name = stored().name
    assert re.fullmatch(re.escape(folder) + r"[A-Za-z0-9_-]{22}\.jpg", name), name
    content = (Path(settings.MEDIA_ROOT) / name).read_bytes()
    assert content[:3] == JPEG_MAGIC
    assert b"Exif" not in content and b"secret description" not in content
    assert _stored_files(settings) == [Path(settings.MEDIA_ROOT) / name]


def test_a_file_over_the_limit_is_refused_with_the_message(door, settings):
    settings.KYODO_UPLOAD_MAX_BYTES = 1024 * 1024  # stands for the 5 MB default, which a 30 MB file passes
    send, stored, _folder = door
    big = image_bytes() + b"\0" * (1024 * 1024)
    response = send(SimpleUploadedFile("logo.jpg", big, content_type="image/jpeg"))
    assert response.status_code in (200, 400)
    assert TOO_LARGE in _page_text(response)
    assert not stored()
    assert _stored_files(settings) == []


def test_the_refusal_is_in_japanese_on_the_japanese_page(client_for, group_a, camera, member_a):
    client = client_for("member_a")
    data: dict = {}
    _values(GroupProfileForm(instance=group_a), data)
    upload = SimpleUploadedFile("logo.pdf", image_bytes("PNG"), content_type="application/pdf")
    response = client.post(f"/groups/mine/{group_a.pk}/edit/", {**data, "logo": upload})
    assert "ファイル名または種類が内容（PNG）と一致しません。" in _page_text(response)
