from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.consultations.models import Consultation, Topic
from kyodo.core.forms import BoundedDateField


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.localized_name()


class ChoiceForm(forms.Form):
    """Step 1: what about and how."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # no colon after Japanese labels
        super().__init__(*args, **kwargs)

    topic = TopicChoiceField(
        label=_("What would you like to talk about?"),
        queryset=Topic.objects.filter(active=True),
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


class DetailsForm(forms.Form):
    """Step 4: who you are. The service checks everything again; this form only shapes the page."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # no colon after Japanese labels
        super().__init__(*args, **kwargs)

    name = forms.CharField(
        label=pgettext_lazy("booking form", "Name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    kana = forms.CharField(
        label=_("Name in furigana"),
        max_length=100,
        help_text=_("e.g. かなざわ たろう"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=pgettext_lazy("booking form", "E-mail"),
        help_text=_("We send the confirmation and a private link to change or cancel here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    group_name = forms.CharField(label=_("Group name (optional)"), max_length=200, required=False)
    message = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the privacy notice."),
        error_messages={"required": _("Please agree to the privacy notice.")},
    )
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)


class StaffBookingForm(forms.Form):
    """Staff book on someone's behalf (a phone call): no consent box, e-mail or phone."""

    location = forms.ModelChoiceField(label=_("Location"), queryset=None, empty_label=None)
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=None, required=False, empty_label=_("Any free coordinator")
    )
    topic = TopicChoiceField(label=_("Topic"), queryset=Topic.objects.filter(active=True), empty_label=None)
    mode = forms.ChoiceField(label=_("How"), choices=Consultation.Mode.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    kana = forms.CharField(label=_("Name in furigana"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    group_name = forms.CharField(label=_("Group name"), max_length=200, required=False)
    message = forms.CharField(
        label=_("What to talk about"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["coordinator"].queryset = coordinators()


def coordinators():
    return get_user_model().objects.filter(is_coordinator=True, is_active=True).order_by("name", "email")


class MoveForm(forms.Form):
    date = BoundedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    coordinator = forms.ModelChoiceField(
        label=_("Coordinator"), queryset=None, required=False, empty_label=_("Any free coordinator")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators()


class ReassignForm(forms.Form):
    coordinator = forms.ModelChoiceField(label=_("Coordinator"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators()


class StaffNotesForm(forms.Form):
    staff_notes = forms.CharField(
        label=_("Internal notes (never shown to the person)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    meeting_url = forms.CharField(label=_("Online meeting link"), required=False, max_length=200)
