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


# --- Phone numbers and readings (フリガナ), as people type them on a phone ---------------------------

# Every dash people type between the groups of a phone number (full-width, long vowel mark, minus signs).
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff0d\uff70]")
_PHONE_ALLOWED = re.compile(r"\+?[0-9()\- ]*")


def normalise_phone(value: object) -> str:
    """A phone number with ASCII digits and hyphens: full-width digits (０７６), dashes of every kind
    (ー, －, −) and full-width spaces and brackets folded; runs of spaces or hyphens made one. Whatever
    else was typed (letters) is kept, so that the check can refuse it."""
    text = unicodedata.normalize("NFKC", one_line(value))
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s*-\s*", "-", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


def phone_digits(value: object) -> str:
    """The digits of a phone number only (what limits and comparisons count)."""
    return re.sub(r"\D", "", normalise_phone(value))


def is_phone_text(value: str) -> bool:
    """Only digits, hyphens, spaces, brackets and a leading + (after normalise_phone)."""
    return bool(_PHONE_ALLOWED.fullmatch(value))


# Katakana ァ (U+30A1) .. ヶ (U+30F6) sit 0x60 above hiragana ぁ (U+3041) .. ゖ (U+3096).
_HIRAGANA = re.compile(r"[\u3041-\u3096]")
# A reading: katakana (with ー, ・, ヽヾ, ヷ–ヺ) and spaces between the family and the given name.
_KATAKANA_READING = re.compile(r"[\u30a1-\u30fa\u30fc\u30fb\u30fd\u30fe ]+")


def to_katakana(value: object) -> str:
    """A reading in full-width katakana: half-width katakana (ｶﾅ) and hiragana (かな) become カナ, a
    full-width space becomes one space."""
    text = unicodedata.normalize("NFKC", one_line(value))
    text = _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)
    return re.sub(r"\s+", " ", text).strip()


def is_katakana_reading(value: str) -> bool:
    """The text (after to_katakana) is a reading: katakana and spaces only."""
    return bool(_KATAKANA_READING.fullmatch(value))
