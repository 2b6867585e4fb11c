"""The one upload module: only real JPEG/PNG/WebP within the limits, re-encoded without metadata, under a
random name. Outputs are checked by reading the bytes (magic numbers, EXIF markers), not only by Pillow."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kyodo.core.images import ImageFormField, clean_upload
from kyodo.core.tests.imagefiles import image_bytes as _image_bytes


def _upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_jpeg_is_reencoded_without_exif_and_turned_upright():
    stored = clean_upload(_upload(_image_bytes(exif=True)))
    content = stored.read()
    assert content[:3] == b"\xff\xd8\xff"  # a JPEG
    assert b"Exif" not in content and b"secret description" not in content
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (30, 40)  # the orientation was applied, then dropped


def test_the_stored_name_is_random_with_the_format_s_extension():
    first = clean_upload(_upload(_image_bytes("PNG"), "../../etc/logo.PNG", "image/png"))
    second = clean_upload(_upload(_image_bytes("PNG"), "../../etc/logo.PNG", "image/png"))
    assert first.name.endswith(".png") and "/" not in first.name and "logo" not in first.name
    assert first.name != second.name
    assert first.read()[:8] == b"\x89PNG\r\n\x1a\n"


def test_webp_and_palette_png_are_accepted():
    assert clean_upload(_upload(_image_bytes("WEBP"), "a.webp", "image/webp")).name.endswith(".webp")
    assert clean_upload(_upload(_image_bytes("PNG", mode="P"), "a.png", "image/png")).name.endswith(".png")


def test_anything_after_the_image_data_is_gone():
    content = _image_bytes("PNG") + b"<script>alert(1)</script>"
    assert b"<script>" not in clean_upload(_upload(content, "a.png", "image/png")).read()


@pytest.mark.parametrize(
    ("content", "name", "content_type", "code"),
    [
        (_image_bytes("PNG"), "logo.pdf", "application/pdf", "mismatch"),  # a PNG named .pdf
        (_image_bytes("PNG"), "logo.eps", "image/png", "mismatch"),
        (_image_bytes("PNG"), "logo.jpg", "image/jpeg", "mismatch"),  # a PNG claiming to be a JPEG
        (_image_bytes("JPEG"), "photo.jpg", "image/png", "mismatch"),
        (_image_bytes("GIF"), "anim.gif", "image/gif", "format"),
        (b"%PDF-1.4 not an image", "doc.jpg", "image/jpeg", "invalid"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(content, name, content_type, code):
    with pytest.raises(ValidationError) as caught:
        clean_upload(_upload(content, name, content_type))
    assert caught.value.code == code


def test_too_many_bytes_is_refused(settings):
    settings.KYODO_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="1000|0 MB") as caught:
        clean_upload(_upload(b"\xff" * 1001))
    assert caught.value.code == "too_large"


def test_a_pixel_bomb_is_refused_before_it_is_decoded(settings):
    settings.KYODO_UPLOAD_MAX_PIXELS = 100 * 100
    bomb = _image_bytes("PNG", size=(101, 100))
    with pytest.raises(ValidationError) as caught:
        clean_upload(_upload(bomb, "a.png", "image/png"))
    assert caught.value.code == "pixels"
    assert clean_upload(_upload(_image_bytes("PNG", size=(100, 100)), "a.png", "image/png"))


def test_the_form_field_gives_the_reencoded_file():
    field = ImageFormField(required=False)
    cleaned = field.clean(_upload(_image_bytes(exif=True)))
    assert b"Exif" not in cleaned.read()
    assert field.widget.attrs["accept"] == "image/jpeg,image/png,image/webp"
    with pytest.raises(ValidationError):
        field.clean(_upload(_image_bytes("PNG"), "logo.pdf", "application/pdf"))


def test_the_form_field_checks_the_declared_type_before_django_replaces_it():
    with pytest.raises(ValidationError) as caught:
        ImageFormField().clean(_upload(_image_bytes("JPEG"), "photo.jpg", "image/png"))
    assert caught.value.code == "mismatch"


def test_the_form_field_refuses_a_large_file_by_its_size_not_its_content(settings):
    settings.KYODO_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        ImageFormField().clean(_upload(b"not an image at all" * 100))
    assert caught.value.code == "too_large"


def test_a_phone_camera_jpeg_with_a_multi_picture_marker_is_accepted_as_jpeg():
    frames = [Image.new("RGB", (40, 30), "red"), Image.new("RGB", (20, 15), "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="MPO", save_all=True, append_images=frames[1:])
    with Image.open(io.BytesIO(buffer.getvalue())) as probe:
        assert probe.format == "MPO"  # what Pillow reports for such a file
    stored = clean_upload(_upload(buffer.getvalue(), "IMG_0001.JPG", "image/jpeg"))
    assert stored.name.endswith(".jpg") and stored.read()[:3] == b"\xff\xd8\xff"


def test_a_transparent_palette_png_stays_transparent():
    logo = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    logo.paste((200, 30, 30, 255), (2, 2, 8, 8))
    buffer = io.BytesIO()
    logo.quantize(colors=4, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    stored = clean_upload(_upload(buffer.getvalue(), "logo.png", "image/png"))
    with Image.open(io.BytesIO(stored.read())) as image:
        assert image.convert("RGBA").getpixel((0, 0))[3] == 0
        assert image.convert("RGBA").getpixel((5, 5))[:3] == (200, 30, 30)
