"""Typed inputs: each command has one, validated once, shared by the form, the API schema and the service.

An `Input` is a ninja Schema (a pydantic model), so the API takes it as its request body as it is, and
its limits (lengths, quantities, the date range) are declared once, on its fields. A service validates
raw data with `MyInput.parse(mapping)`; the form delegates to the same call and reads the limits back
with `MyInput.bound(field, "le")` for its widgets. Pydantic's messages are turned into Kyodo's own, in the
active language, by `messages_for` — used here and by the API's 422 handler, so the three doors answer
with the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

import pydantic
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, field_validator

from kyodo.core.text import normalise, one_line

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
# Anything outside is a typing mistake, and date arithmetic near 9999-12-31 would overflow.
DATE_RANGE_MESSAGE = gettext_lazy("Please give a date between 2000 and 2100.")


def in_date_range(value: dt.date) -> bool:
    return DATE_MIN <= value <= DATE_MAX


def check_date_range(value: dt.date | None, field: str | None = None) -> None:
    """Raise the one ValidationError for a date outside 2000–2100 (None passes: required is another rule)."""
    if value is not None and not in_date_range(value):
        message = str(DATE_RANGE_MESSAGE)
        raise ValidationError({field: [message]} if field else message, code="out_of_range")


def _date_in_range(value: dt.date) -> dt.date:
    if not in_date_range(value):
        raise ValueError("out_of_range")
    return value


# A date field of an Input: 2000-01-01 … 2100-12-31.
BoundedDate = Annotated[dt.date, AfterValidator(_date_in_range)]
# A text field that is one line (a name, a title): line breaks and tabs become spaces. Every other text
# field of an Input is still cleaned of control characters and put in NFC (Input._clean_text).
OneLine = Annotated[str, BeforeValidator(lambda value: one_line(value) if isinstance(value, str) else value)]

InputT = TypeVar("InputT", bound="Input")


def _message(error: Mapping[str, Any]) -> str:
    """Kyodo's wording for one pydantic error, in the active language."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Enter a number of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Enter a number of at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": ctx.get("max_length")}
    if kind == "string_too_short":
        return (
            _("This field is required.")
            if ctx.get("min_length") == 1
            else _("Enter at least %(limit)s characters.") % {"limit": ctx.get("min_length")}
        )
    if kind.startswith(("int_", "float_", "decimal_")):
        return _("Enter a whole number.")
    if kind.startswith(("date_", "datetime_")):
        return _("Enter a valid date.")
    if kind == "value_error" and "out_of_range" in str(error.get("msg", "")):
        return str(DATE_RANGE_MESSAGE)
    if kind.startswith("time_"):
        return _("Enter a valid time.")
    return _("Enter a valid value.")


def messages_for(errors: list[Mapping[str, Any]]) -> dict[str, list[str]]:
    """{field: [message, …]} for pydantic's (or ninja's) error list; "__all__" for errors of no field."""
    result: dict[str, list[str]] = {}
    for error in errors:
        # ninja prefixes the location with where it came from ("body", "query"); the field is the last name.
        names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        names = [n for n in names if n not in ("body", "query", "path", "form", "payload")]
        field = names[-1] if names else "__all__"
        result.setdefault(field, []).append(_message(error))
    return result


class Input(Schema):
    """Base of every command's typed input."""

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        """Text arrives from Word and phones with control characters: cleaned at the door (core.text)."""
        return normalise(value) if isinstance(value, str) else value

    @classmethod
    def parse(cls: type[InputT], data: Mapping[str, Any]) -> InputT:
        """Validate `data` (a form's cleaned_data, a dict): the Input, or a Django ValidationError by field."""
        try:
            return cls.model_validate(dict(data))
        except pydantic.ValidationError as exc:
            raise ValidationError(messages_for(exc.errors())) from None  # type: ignore[arg-type]

    @classmethod
    def bound(cls, field: str, name: str) -> Any:
        """A limit declared on a field (name: ge, gt, le, lt, max_length, min_length), or None."""
        for item in cls.model_fields[field].metadata:
            value = getattr(item, name, None)
            if value is not None:
                return value
        return None
