"""Search keys for Japanese names: hiragana, katakana and half-width katakana all match.

`normalize` folds a string so that the three ways of writing the same reading compare equal:
NFKC turns half-width katakana (ｶﾞ) into full-width (ガ) and full-width letters (Ｆ) into ASCII,
then katakana become hiragana and letters lower case; spaces are dropped so "Finding ゴミ" and
"findingごみ" are the same key."""

import unicodedata

# Katakana ァ (U+30A1) .. ヶ (U+30F6) sit exactly 0x60 above hiragana ぁ (U+3041) .. ゖ (U+3096).
KATAKANA_FIRST = 0x30A1
KATAKANA_LAST = 0x30F6
OFFSET = 0x60


def katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - OFFSET) if KATAKANA_FIRST <= ord(c) <= KATAKANA_LAST else c for c in text)


def normalize(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "")
    folded = "".join(katakana_to_hiragana(folded).casefold().split())
    # Dropping spaces and case-folding can leave a letter and a combining mark side by side
    # ("A´" → "a" + U+0301); composing again makes the key stable (normalize(normalize(x)) == normalize(x)).
    return unicodedata.normalize("NFKC", folded)
