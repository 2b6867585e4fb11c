"""Help keep the Japanese catalogues complete.

python tools/po.py todo kyodo/core            # print untranslated or fuzzy msgids as JSON {msgid: ""}
python tools/po.py fill kyodo/core file.json  # write translations from {msgid: msgstr} and compile .mo
"""

import json
import sys
from pathlib import Path

import polib


def catalogue(app_dir):
    return Path(app_dir) / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def todo(app_dir):
    po = polib.pofile(str(catalogue(app_dir)))
    pending = {}
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0) or "fuzzy" in entry.flags:
                pending[entry.msgid] = ""
        elif not entry.msgstr or "fuzzy" in entry.flags:
            pending[entry.msgid] = entry.msgstr if "fuzzy" not in entry.flags else ""
    print(json.dumps(pending, ensure_ascii=False, indent=1))


def fill(app_dir, json_file):
    path = catalogue(app_dir)
    po = polib.pofile(str(path))
    translations = json.loads(Path(json_file).read_text(encoding="utf-8"))
    for entry in po:
        if entry.msgid in translations and translations[entry.msgid]:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: translations[entry.msgid]}
            else:
                entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = None
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "ja"
    po.save(str(path))
    po.save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    if sys.argv[1] == "todo":
        todo(sys.argv[2])
    else:
        fill(sys.argv[2], sys.argv[3])
