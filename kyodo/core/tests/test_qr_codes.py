"""QR codes read back by an independent decoder (zxing-cpp), with the 4-module quiet zone ISO/IEC 18004
asks for; the codes on English pages open English pages."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image, ImageDraw

from kyodo.core import qr

SVG = "{http://www.w3.org/2000/svg}"
PATH_STEP = re.compile(r"([Mmh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?")


def _decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _raster_of_svg(markup: str | bytes) -> tuple[Image.Image, int, int]:
    """Draws segno's SVG (one path of horizontal runs: M x y, h n, m dx dy) into an image, 4 px a module.
    Returns (image, modules across, quiet-zone modules on the left)."""
    root = ET.fromstring(markup)
    path = root.find(f"{SVG}path")
    scale = float(re.search(r"scale\(([\d.]+)\)", path.get("transform", "scale(1)")).group(1))
    size = round(float(root.get("width")) / scale)
    image = Image.new("L", (size * 4, size * 4), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    leftmost = size
    for command, first, second in PATH_STEP.findall(path.get("d")):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            row, run = int(y), float(first)
            draw.rectangle([x * 4, row * 4, (x + run) * 4 - 1, row * 4 + 3], fill=0)
            leftmost = min(leftmost, int(x))
            x += run
    return image, size, leftmost


def test_png_has_a_four_module_quiet_zone_and_decodes():
    image = Image.open(io.BytesIO(qr.png("https://kyodo.example.jp/en/consultation/", scale=8)))
    assert _decode(image) == ["https://kyodo.example.jp/en/consultation/"]
    gray = image.convert("L")
    quiet = 4 * 8  # modules × pixels per module
    width, height = gray.size
    for box in [
        (0, 0, width, quiet),
        (0, 0, quiet, height),
        (width - quiet, 0, width, height),
        (0, height - quiet, width, height),
    ]:
        assert gray.crop(box).getextrema() == (255, 255), box  # all white
    # …and not a module more: the first dark pixel is right after the quiet zone (the finder pattern).
    assert gray.getpixel((quiet, quiet)) == 0


@pytest.mark.parametrize("build", [lambda url: qr.svg(url), lambda url: qr.svg_inline(url, title="x")])
def test_svg_codes_have_the_quiet_zone_and_decode(build):
    image, size, left = _raster_of_svg(build("https://kyodo.example.jp/events/1/"))
    assert left == qr.QUIET_ZONE == 4
    assert _decode(image) == ["https://kyodo.example.jp/events/1/"]


@pytest.fixture
def demo(db, settings):
    from io import StringIO

    settings.SITE_URL = "https://kyodo.example.jp"
    call_command("load_demo", stdout=StringIO())


def _codes_on(html: str) -> list[str]:
    texts = []
    for markup in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        image, _size, left = _raster_of_svg(markup)
        assert left == 4
        texts += _decode(image)
    return texts


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_printed_codes_open_the_page_in_the_pages_language(client, demo, prefix):
    from kyodo.community.models import Event
    from kyodo.core.models import User

    client.force_login(User.objects.get(email="staff@example.jp"))
    event = Event.objects.published().upcoming().first()
    newsletter = client.get(f"{prefix}/newsletter/", {"issue": 1, "date": "2026-12-01", "events": [event.pk]})
    codes = _codes_on(newsletter.content.decode())
    site = f"https://kyodo.example.jp{prefix}"
    assert codes == [f"{site}/consultation/", f"{site}/events/{event.pk}/"]
    flyer = _codes_on(client.get(f"{prefix}/consultation/flyer/").content.decode())
    assert flyer == [f"{site}/consultation/"]
    labels = _codes_on(client.get(f"{prefix}/equipment/staff/labels/").content.decode())
    assert labels and all(code.startswith(f"{site}/equipment/units/") for code in labels)
    png = Image.open(io.BytesIO(client.get(f"{prefix}/consultation/qr.png").content))
    assert _decode(png) == [f"{site}/consultation/"]
