"""The one neutraliser for spreadsheet cells: every CSV and xlsx Kyodo writes passes its text through it.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a formula (and a tab or carriage
return can hide such a start), so text written by members — an event's description, a group's name —
could make a staff member's Excel open a link or run a command. A leading apostrophe makes the program
show the text as it is. Numbers stay numbers: an int, a float or a string that is only a number (a
negative longitude) is harmless and is left alone, so the open-data CSV keeps its column rules."""

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet should store it: numbers unchanged, text that could run quoted."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def neutralise_row(row: list[Any] | tuple[Any, ...]) -> list[Any]:
    return [neutralise(cell) for cell in row]
