"""The Content-Security-Policy allows no inline script or style, so no template may carry one: a
`<script>` without src, an `on…=` handler, a `javascript:` URL, a `<style>` block or a style attribute
would simply not work in the browser. Print buttons use `data-print` (core/print.js)."""

import re
from pathlib import Path

import pytest

KYODO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(KYODO.glob("*/templates/**/*.html"))
INLINE = re.compile(
    r"<script(?![^>]*\ssrc=)[^>]*>"  # a script without src
    r"|<[a-zA-Z][^>]*\son[a-z]+\s*="  # an event handler attribute
    r"|<[a-zA-Z][^>]*\sstyle\s*="  # a style attribute
    r"|<style\b"
    r"|javascript:",
    re.IGNORECASE,
)
# consultations: inline styles moved by the lead (the replacements are in core/static/core: consultation.css,
# flyer.css, and kyodo.css's table.wide, .wrap-anywhere, label.plain). Strict: passing fails, so the
# mark goes once they are moved.
AWAITING_THE_LEAD: set[str] = set()  # every template is clean now


def _cases():
    for path in TEMPLATES:
        name = path.relative_to(KYODO).as_posix()
        marks = [pytest.mark.xfail(strict=True, reason="consultations: moved by the lead")]
        yield pytest.param(path, id=name, marks=marks if name in AWAITING_THE_LEAD else [])


def test_the_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", list(_cases()))
def test_no_template_has_inline_script_or_style(path):
    found = [
        f"line {path.read_text()[: m.start()].count(chr(10)) + 1}: {m.group(0)[:60]}"
        for m in INLINE.finditer(path.read_text())
    ]
    assert found == []
