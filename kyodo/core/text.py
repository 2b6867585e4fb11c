"""Text as Kyodo keeps and publishes it: NFC, no control characters, one-line fields on one line.

Text pasted from word processors brings vertical tabs, form feeds and stray line breaks. XML (feeds)
cannot carry most C0 controls at all, and an iCalendar property or a mail header breaks on a line break,
so the same cleaning runs at the door (forms) and again at every output, which must survive whatever
is already stored."""

import re
import unicodedata

# C0 controls and DEL, except tab and line feed (carriage returns are turned into line feeds first).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\s*[\n\t\u2028\u2029\x85]+\s*")


def normalise(value: object, *, one_line: bool = False) -> str:
    """The text in NFC without control characters; with one_line, line breaks and tabs become spaces."""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    if one_line:
        text = _LINE_BREAKS.sub(" ", text).strip()
    return text


def one_line(value: object) -> str:
    return normalise(value, one_line=True)
