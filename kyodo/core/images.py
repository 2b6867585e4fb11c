"""The one upload module: every image field of Kyodo (logos, photos, event and news images) passes it.

An upload is kept only if it is really a JPEG, PNG or WebP: the format Pillow detects must be one of
them and must match both the file name's extension and the declared content type. It must be at most
KYODO_UPLOAD_MAX_BYTES and KYODO_UPLOAD_MAX_PIXELS (a 17 KB file can decode to 144 megapixels). It is
then re-encoded from its pixels — orientation applied, EXIF (GPS position included), comments and
anything after the image data gone — and stored under a random name with the stored format's
extension, so a file can never be served as anything but the image it is."""

import io
import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → (stored extension, content type, the extensions a name may carry)
FORMATS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "JPEG": (".jpg", "image/jpeg", (".jpg", ".jpeg")),
    "PNG": (".png", "image/png", (".png",)),
    "WEBP": (".webp", "image/webp", (".webp",)),
}
ACCEPT = "image/jpeg,image/png,image/webp"
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 85, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 85},
}


def _extension(name: str) -> str:
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def _refuse(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def check(upload: UploadedFile) -> str:
    """The Pillow format of an acceptable upload; ValidationError (in the user's language) otherwise."""
    if upload.size is not None and upload.size > settings.KYODO_UPLOAD_MAX_BYTES:
        megabytes = settings.KYODO_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise _refuse(_("The image is too large: at most %(mb)s MB.") % {"mb": megabytes}, "too_large")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            # A camera's JPEG with a multi-picture marker (most phones) is reported as MPO: it is a JPEG,
            # and only its first picture is kept.
            detected = "JPEG" if image.format == "MPO" else image.format or ""
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise _refuse(
            _("This file is not an image Kyodo can show: use JPEG, PNG or WebP."), "invalid"
        ) from exc
    if detected not in FORMATS:
        raise _refuse(_("This file is not an image Kyodo can show: use JPEG, PNG or WebP."), "format")
    content_type, extensions = FORMATS[detected][1:]
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if _extension(upload.name or "") not in extensions or (declared and declared != content_type):
        raise _refuse(
            _("The file's name or type does not match its content (%(format)s).") % {"format": detected},
            "mismatch",
        )
    if width * height > settings.KYODO_UPLOAD_MAX_PIXELS:
        megapixels = settings.KYODO_UPLOAD_MAX_PIXELS // 1_000_000
        raise _refuse(
            _("The image has too many pixels: at most %(mp)s megapixels.") % {"mp": megapixels}, "pixels"
        )
    return detected


def reencode(upload: UploadedFile, detected: str) -> SimpleUploadedFile:
    """The image drawn again from its pixels, without metadata, under a random name."""
    upload.seek(0)
    with Image.open(upload) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    if detected == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if image.mode == "P" and (detected != "PNG" or "transparency" in image.info):
        image = image.convert("RGBA")  # keeps a transparent logo transparent (the clean copy has no info)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # pixels only: no info dict, no EXIF, no ICC comment chunks carried over
    if image.mode == "P":
        clean.putpalette(image.getpalette() or [])
    buffer = io.BytesIO()
    options: dict[str, Any] = SAVE_OPTIONS[detected]
    clean.save(buffer, format=detected, **options)
    extension, content_type = FORMATS[detected][:2]
    return SimpleUploadedFile(
        secrets.token_urlsafe(16) + extension, buffer.getvalue(), content_type=content_type
    )


def clean_upload(upload: UploadedFile) -> SimpleUploadedFile:
    return reencode(upload, check(upload))


class ImageFormField(forms.ImageField):
    """The form side: this module's checks, then Django's own; the cleaned value is the re-encoded file."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if "accept" in attrs or isinstance(widget, forms.FileInput):
            attrs["accept"] = ACCEPT  # the phone's picker offers only what will be accepted
        return attrs

    def to_python(self, data: Any) -> Any:
        if data in self.empty_values:
            return None
        if not isinstance(data, UploadedFile):  # only what a request brings is an upload
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        # This module's checks first: the size before anything is decoded, and the declared type before
        # Django's own check overwrites `content_type` with the detected one.
        detected = check(data)
        data.seek(0)  # Django reads from the current position
        super().to_python(data)
        return reencode(data, detected)


class ImageField(models.ImageField):
    """Every image field of every model: its forms (pages and admin alike) use ImageFormField."""

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        return super().formfield(form_class=form_class or ImageFormField, **kwargs)
