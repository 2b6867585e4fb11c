"""Uploads as the development server serves them: never sniffed, and only the stored image types inline;
anything else (a PNG named .pdf left from before the upload module, an SVG, HTML) is a download."""

from pathlib import Path

import pytest
from django.test import Client

from kyodo.core.tests.imagefiles import PNG_MAGIC, image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_files(settings):
    settings.ROOT_URLCONF = "kyodo.core.tests.urls_with_media"
    root = Path(settings.MEDIA_ROOT) / "groups/logos"
    root.mkdir(parents=True)
    (root / "logo.jpg").write_bytes(image_bytes())
    (root / "logo.png").write_bytes(image_bytes("PNG"))
    (root / "old.pdf").write_bytes(image_bytes("PNG"))
    (root / "drawing.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    )
    (root / "page.html").write_bytes(b"<script>alert(1)</script>")
    return root


@pytest.mark.parametrize(("name", "content_type"), [("logo.jpg", "image/jpeg"), ("logo.png", "image/png")])
def test_a_stored_image_is_shown_inline_and_never_sniffed(media_files, name, content_type):
    response = Client().get(f"/media/groups/logos/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["old.pdf", "drawing.svg", "page.html"])
def test_anything_else_is_an_attachment(media_files, name):
    response = Client().get(f"/media/groups/logos/{name}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_png_named_pdf_is_still_its_bytes_but_downloads(media_files):
    response = Client().get("/media/groups/logos/old.pdf")
    assert b"".join(response.streaming_content)[:8] == PNG_MAGIC


def test_nothing_outside_media_root_is_served(media_files):
    client = Client(raise_request_exception=False)
    assert client.get("/media/../settings.py").status_code in (400, 404)
    assert Client().get("/media/groups/logos/missing.jpg").status_code == 404


def test_without_debug_the_site_has_no_media_route(settings):
    settings.ROOT_URLCONF = "kyodo.urls"  # as imported with DEBUG off, as in production
    assert Client().get("/media/groups/logos/logo.jpg").status_code == 404
