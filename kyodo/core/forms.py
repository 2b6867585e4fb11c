from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.utils.translation import gettext_lazy as _

from kyodo.core.inputs import DATE_RANGE_MESSAGE, in_date_range
from kyodo.core.models import User
from kyodo.core.text import normalise


class CleanTextMixin:
    """Every Kyodo form's text fields: NFC and no control characters (pasted vertical tabs, form feeds);
    a one-line field (any text input but a textarea) also on one line. Passwords are left as typed.
    Runs before the form's own clean() goes on, so its checks and the model see the cleaned text."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            if not isinstance(value, str) or field is None or isinstance(field.widget, forms.PasswordInput):
                continue
            cleaned[name] = normalise(value, one_line=not isinstance(field.widget, forms.Textarea))
        return cleaned


class ProfileForm(forms.ModelForm):  # type: ignore[type-arg]  # not subscriptable at run time
    class Meta:
        model = User
        fields = ["name", "kana", "phone", "preferred_language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # a label stands alone: no colon after it
        super().__init__(*args, **kwargs)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("e.g. the script that will use it")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one, else at the top."""
    if hasattr(exc, "message_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


MAX_ID = 2**63 - 1


def parse_id(value: str | None) -> int | None:
    """A database id from a query parameter, or None: digits only and small enough for any database
    (SQLite refuses integers past 64 bits with an error, not an empty result)."""
    value = (value or "").strip()
    if value.isdigit() and int(value) <= MAX_ID:
        return int(value)
    return None


class IdRangeMixin:
    """Refuses an id past the database's integer with the field's own "Select a valid choice" message.

    Django's choice fields hand the typed id to the database: `pk=<huge>` is caught by Django's own
    overflow check, but `pk__in=[<huge>]` (every multiple choice) raises OverflowError on SQLite and
    DataError on PostgreSQL, a 500. The check reads the range from the database's own operations."""

    queryset: Any
    to_field_name: str | None
    error_messages: dict[str, Any]

    def _out_of_range(self, value: Any) -> bool:
        model = self.queryset.model
        field = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        if not isinstance(field, models.IntegerField):
            return False
        try:
            number = int(str(value).strip())
        except ValueError:
            return False  # not a number at all: Django's own check refuses it
        low, high = connections[self.queryset.db].ops.integer_field_range(field.get_internal_type())
        return (low is not None and number < low) or (high is not None and number > high)

    def _refuse_out_of_range(self, value: Any) -> None:
        if self._out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )


class BoundedModelChoiceField(IdRangeMixin, forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField for every Kyodo form: an id past the database's integer is an invalid choice."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            self._refuse_out_of_range(value)
        return super().to_python(value)


class BoundedModelMultipleChoiceField(IdRangeMixin, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A ModelMultipleChoiceField for every Kyodo form: an id past the database's integer is an invalid
    choice, as an id that does not exist is."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            self._refuse_out_of_range(pk)
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs


class BoundedDateField(forms.DateField):
    """A date between 2000 and 2100: anything else is a typing mistake, and date arithmetic on 9999-12-31
    would overflow."""

    default_error_messages = {"out_of_range": DATE_RANGE_MESSAGE}

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not in_date_range(value):
            raise forms.ValidationError(self.error_messages["out_of_range"], code="out_of_range")
