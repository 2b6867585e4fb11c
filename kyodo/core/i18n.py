"""Text that staff enter in both languages: a field and its `<field>_en` twin."""

from django.db import models
from django.utils.translation import get_language


def in_language(obj: object, field: str, language: str | None = None) -> str:
    """obj.<field>_en under English when it is filled in, else obj.<field> (Japanese is the default)."""
    language = language or get_language() or "ja"
    if language.startswith("en"):
        english: str = getattr(obj, f"{field}_en", "")
        if english:
            return english
    japanese: str = getattr(obj, field, "")
    return japanese


class LocalizedNameMixin:
    """For models with `name` and `name_en`."""

    def localized_name(self, language: str | None = None) -> str:
        return in_language(self, "name", language)


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of `value` in a TextChoices class, in the active language (the value itself when it is
    not one of them). Django's get_FOO_display builds a dict of every choice on each call; list pages
    call it once per row, which showed in the profiles of /events/ and /equipment/."""
    try:
        return choices(value).label
    except ValueError:
        return value
