"""The Japanese catalogue of the lending app is complete, and compiled."""

from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing
    assert PO.with_suffix(".mo").exists()
