"""Uploaded files (MEDIA_ROOT or the S3 bucket): serving them safely, which folders hold them, and
removing those no row uses.

Served (by the development server here, by the proxy in production: README), a file is never sniffed
into something else, and only the image types Kyodo stores are shown inline; anything else downloads.

django-cleanup deletes a replaced or cleared file after the commit; a file can still be left behind (a
transaction that stored a file and then rolled back, a crash between the two). The daily job removes
such files, only inside the upload folders of the file fields and only once they are a day old, so an
upload whose transaction is still open is never taken for an orphan."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.views import static

from kyodo.core.images import FORMATS

MIN_AGE = dt.timedelta(days=1)
INLINE_TYPES = frozenset(content_type for _ext, content_type, _names in FORMATS.values())


def serve(request: HttpRequest, path: str) -> HttpResponseBase:
    """A file of MEDIA_ROOT (DEBUG only): nosniff always, an attachment unless it is a stored image type."""
    response = static.serve(request, path, document_root=str(settings.MEDIA_ROOT))
    return protect(response)


def protect(response: HttpResponseBase) -> HttpResponseBase:
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in INLINE_TYPES:
        response["Content-Disposition"] = "attachment"
    return response


def file_fields() -> list[models.FileField]:
    """Every file (and so image) field of every installed model."""
    return [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def upload_folders() -> list[str]:
    """The folders the file fields store into ("groups/logos", …); never the storage's root."""
    folders = set()
    for field in file_fields():
        if not isinstance(field.upload_to, str):
            continue  # a callable may put a file anywhere: not ours to judge
        folder = posixpath.dirname(field.upload_to.split("%", 1)[0]).strip("/")
        if folder and ".." not in folder.split("/"):
            folders.add(folder)
    return sorted(folders)


def referenced_names() -> set[str]:
    """The stored names every row points to."""
    names: set[str] = set()
    for field in file_fields():
        values = field.model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
        names.update(str(value) for value in values if value)
    return names


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        subfolders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever uploaded there
        return
    for name in files:
        yield f"{folder}/{name}"
    for subfolder in subfolders:
        yield from _walk(storage, f"{folder}/{subfolder}")


def remove_orphans(now: dt.datetime | None = None, storage: Storage | None = None) -> int:
    """Delete the files of the upload folders that no row points to and that are at least a day old."""
    now = now or timezone.now()
    storage = storage or default_storage
    used = referenced_names()
    removed = 0
    for folder in upload_folders():
        for name in list(_walk(storage, folder)):
            if name in used or now - storage.get_modified_time(name) < MIN_AGE:
                continue
            storage.delete(name)
            removed += 1
    return removed
