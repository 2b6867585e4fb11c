from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def test_japanese_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(PO))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, missing
    assert PO.with_suffix(".mo").stat().st_mtime >= PO.stat().st_mtime - 1
