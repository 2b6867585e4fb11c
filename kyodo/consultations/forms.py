"""The pages' forms. They shape the pages; every rule is the services' (the forms ask them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.consultations import services
from kyodo.consultations.inputs import PersonInput, StaffNotesInput
from kyodo.consultations.models import Consultation, Topic
from kyodo.core.forms import BoundedDateField, BoundedModelChoiceField
from kyodo.core.models import Location, User


class TopicChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return obj.localized_name()


def _offer(field: forms.Field, queryset: QuerySet[Any] | None) -> None:
    """The choices of a ModelChoiceField declared with queryset=None: read for each form, not at import."""
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (a typing narrowing; the fields are declared above)
    field.queryset = queryset


class ChoiceForm(forms.Form):
    """Step 1: what about and how."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no colon after Japanese labels
        super().__init__(*args, **kwargs)

    topic = TopicChoiceField(
        label=_("What would you like to talk about?"),
        queryset=services.active_topics(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Please choose a topic."),
            "invalid_choice": _("Please choose a topic."),
        },
    )
    mode = forms.ChoiceField(
        label=_("How would you like to talk?"),
        choices=Consultation.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose how you want to talk."),
            "invalid_choice": _("Please choose how you want to talk."),
        },
    )


def _limit(field: str) -> dict[str, Any]:
    """The widget attributes of a person's field: its length limit, read from PersonInput."""
    limit = PersonInput.bound(field, "max_length")
    return {"maxlength": str(limit)} if limit else {}


def _text(
    label: Any, field: str, required: bool = False, textarea: bool = False, help_text: Any = "", **attrs: Any
) -> forms.CharField:
    """A field of the person's details. It checks nothing itself: the limit is PersonInput's and the
    rules are the service's (PersonForm.clean asks them), so the page says what the API says."""
    attrs = {**_limit(field), **({"required": True} if required else {}), **attrs}
    widget = forms.Textarea(attrs={"rows": 4, **attrs}) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text)


class PersonForm(forms.Form):
    """The person's details, checked by the booking service's own rules (one set for every door)."""

    by_staff = False
    # How they talk, when the form has no "mode" field (the details step: it was chosen before). By
    # phone, the number is required (services.clean_person).
    chosen_mode: str | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode = cleaned.get("mode") or self.chosen_mode
        # A ValidationError lands on its fields; what passes is kept normalised (phone, reading).
        person = services.clean_person(
            cleaned, by_staff=self.by_staff, mode=mode, language=translation.get_language()
        )
        cleaned.update(person)
        return cleaned


class DetailsForm(PersonForm):
    """Step 4: who you are (each label's 必須/任意 tag says what is optional; no label says it again). By phone (mode 電話) the phone number is asked for first and required;
    the reading is optional on /en/ (services.clean_person says so for every door)."""

    def __init__(self, *args: Any, mode: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no colon after Japanese labels
        super().__init__(*args, **kwargs)
        self.chosen_mode = mode
        if not services.kana_required(False, translation.get_language()):
            self.fields["kana"].label = _("Name in katakana")
            self.fields["kana"].widget.attrs.pop("required", None)
        if services.phone_required(mode):
            phone = self.fields["phone"]
            phone.label = pgettext_lazy("booking form", "Phone")
            phone.help_text = _("The coordinator calls you on this number. e.g. 076-220-2026")
            phone.widget.attrs["required"] = True
            self.fields["email"].label = pgettext_lazy("booking form", "E-mail")
            self.fields["email"].help_text = _(
                "If you give one, we send the link that confirms your booking here. Without one, we call you to confirm."
            )
            self.order_fields(["name", "kana", "phone", "email"])

    name = _text(pgettext_lazy("booking form", "Name"), "name", required=True, autocomplete="name")
    kana = _text(
        _("Name in furigana"), "kana", required=True, help_text=_("In katakana or hiragana, e.g. カナザワ タロウ"),
        autocomplete="off",
    )  # fmt: skip
    email = forms.CharField(
        label=pgettext_lazy("booking form", "E-mail"),
        required=False,
        help_text=_(
            "We send the link that confirms your booking here, then a private link to change or cancel it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email", **_limit("email")}),
    )
    phone = _text(
        pgettext_lazy("booking form", "Phone"), "phone", autocomplete="tel", inputmode="tel", type="tel",
        help_text=_("No e-mail address? Give your phone number: we call you back to confirm."),
    )  # fmt: skip
    group_name = _text(_("Group name"), "group_name")
    message = _text(_("What you would like to talk about"), "message", textarea=True)
    consent = forms.BooleanField(
        label=_("I agree to the privacy notice."),
        required=False,
        widget=forms.CheckboxInput(attrs={"required": True}),
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)


class StaffBookingForm(PersonForm):
    """Staff book on someone's behalf (a phone call): no consent box, e-mail or phone."""

    by_staff = True

    location: BoundedModelChoiceField = BoundedModelChoiceField(
        label=_("Location"), queryset=None, empty_label=None
    )
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    coordinator: BoundedModelChoiceField = BoundedModelChoiceField(
        label=_("Coordinator"), queryset=None, required=False, empty_label=_("Any free coordinator")
    )
    topic = TopicChoiceField(label=_("Topic"), queryset=services.active_topics(), empty_label=None)
    mode = forms.ChoiceField(label=_("How"), choices=Consultation.Mode.choices)
    name = _text(_("Name"), "name", required=True)
    kana = _text(_("Name in furigana"), "kana", help_text=_("In katakana or hiragana, e.g. カナザワ タロウ"))
    email = forms.CharField(label=_("E-mail"), required=False, widget=forms.EmailInput(attrs=_limit("email")))
    phone = _text(_("Phone"), "phone", type="tel", help_text=_("Required when the consultation is by phone."))
    group_name = _text(_("Group name"), "group_name")
    message = _text(_("What to talk about"), "message", textarea=True, rows=3)

    def __init__(self, *args: Any, locations: QuerySet[Location] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # no colon after Japanese labels
        super().__init__(*args, **kwargs)
        _offer(self.fields["location"], locations)
        _offer(self.fields["coordinator"], coordinators())


def coordinators() -> QuerySet[User]:
    return get_user_model().objects.filter(is_coordinator=True, is_active=True).order_by("name", "email")


class MoveForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    coordinator: BoundedModelChoiceField = BoundedModelChoiceField(
        label=_("Coordinator"), queryset=None, required=False, empty_label=_("Any free coordinator")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["coordinator"], coordinators())


class ReassignForm(forms.Form):
    coordinator: BoundedModelChoiceField = BoundedModelChoiceField(
        label=_("Coordinator"), queryset=None, empty_label=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["coordinator"], coordinators())


class StaffNotesForm(forms.Form):
    staff_notes = forms.CharField(
        label=_("Internal notes (never shown to the person)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "maxlength": str(StaffNotesInput.bound("staff_notes", "max_length"))}
        ),
    )
    meeting_url = forms.CharField(
        label=_("Online meeting link"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": str(StaffNotesInput.bound("meeting_url", "max_length"))}),
    )


class ActionForm(forms.Form):
    """A button's form (cancel, confirm): no fields; the use case's error lands on it."""


class PersonMoveForm(forms.Form):
    """The person picks a new time from the list (the service checks it)."""

    start = forms.CharField(required=False)


class OutcomeForm(forms.Form):
    """Staff record the outcome: held, no-show, or booked again (the service knows which are allowed)."""

    outcome = forms.CharField(required=False)
