from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kyodo.community.models import Event, NewsPost
from kyodo.community.services import EVENT_FIELDS
from kyodo.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from kyodo.core.inputs import in_date_range
from kyodo.groups.models import Feature, Group


class MonthField(forms.CharField):
    """A month as YYYY-MM (the value of <input type="month">) → the first day of that month."""

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]  # a date, not a str
        text = super().to_python(value)
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
            first = dt.date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Enter a month like 2021-11.")) from None
        if not in_date_range(first):
            raise forms.ValidationError(_("Enter a month between 2000 and 2100."))
        return first


class EventFilterForm(forms.Form):
    month = MonthField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Event.Category.choices]
    )


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["group", *EVENT_FIELDS, "image"]
        field_classes = {"group": BoundedModelChoiceField}  # an id past the database's integer: a form error
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "postponed_to": forms.DateInput(attrs={"type": "date"}),
            "apply_by_date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "apply_by_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "how_to_apply": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    # Open-data details a citizen cannot be expected to know (coordinates, 方書, an extension number): staff
    # add them when they publish; the form a group's member fills in does not ask for them.
    STAFF_ONLY = ("latitude", "longitude", "venue_extra", "contact_extension")

    def __init__(
        self, *args: Any, groups: QuerySet[Group] | None = None, staff: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not staff:
            for name in self.STAFF_ONLY:
                del self.fields[name]
        group_field = cast("forms.ModelChoiceField[Group]", self.fields["group"])
        group_field.queryset = groups if groups is not None else Group.objects.none()
        group_field.required = False
        self.fields["end_date"].required = False
        self.fields["end_date"].help_text = _("Leave empty for a one-day event.")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start_date") and not data.get("end_date"):
            data["end_date"] = data["start_date"]
        return data

    def _post_clean(self) -> None:
        # The service validates the model (and owns the rules); the form only parses input.
        pass

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("group", "image")}

    SECTIONS = [
        (_("The event"), ["group", "organizer_name", "title", "title_kana", "title_en", "category", "description", "image"]),
        (_("Date and time"), ["start_date", "end_date", "start_time", "end_time", "status", "postponed_to"]),
        (_("Venue"), ["venue_name", "venue_extra", "venue_address", "access", "parking", "latitude", "longitude"]),
        (_("Fee and application"), ["fee_basic", "fee_detail", "capacity", "how_to_apply", "apply_by_date", "apply_by_time"]),
        (_("Links and contact"), ["url_official", "url_instagram", "url_city", "contact_name", "contact_phone", "contact_extension", "note"]),
    ]  # fmt: skip

    def sections(self) -> list[tuple[str | Promise, list[forms.BoundField]]]:
        """The fields in labelled groups (one <fieldset> each), so the long form reads in steps."""
        return [
            (legend, [self[name] for name in names if name in self.fields]) for legend, names in self.SECTIONS
        ]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should be changed (sent to the group)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoticeForm(forms.Form):
    text = forms.CharField(label=_("Notice"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    text_en = forms.CharField(
        label=_("Notice (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NewsletterForm(forms.Form):
    MAX_NEWS = 3
    MAX_EVENTS = 4

    issue = forms.IntegerField(label=_("Issue number"), min_value=1, max_value=9999)
    date = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}))
    news = BoundedModelMultipleChoiceField(
        label=_("News"), queryset=NewsPost.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    events = BoundedModelMultipleChoiceField(
        label=_("Events"), queryset=Event.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    feature = BoundedModelChoiceField(
        label=_("Group feature"), queryset=Feature.objects.none(), required=False, empty_label=_("None")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The latest 30 posts are plenty to choose from for a printed issue.
        latest = list(NewsPost.objects.published().values_list("pk", flat=True)[:30])
        choices = self.fields
        cast("forms.ModelMultipleChoiceField[NewsPost]", choices["news"]).queryset = NewsPost.objects.filter(
            pk__in=latest
        )
        cast(
            "forms.ModelMultipleChoiceField[Event]", choices["events"]
        ).queryset = Event.objects.published().upcoming()
        cast(
            "forms.ModelChoiceField[Feature]", choices["feature"]
        ).queryset = Feature.objects.published().select_related("group")

    def clean_news(self) -> QuerySet[NewsPost]:
        news = self.cleaned_data["news"]
        if len(news) > self.MAX_NEWS:
            raise forms.ValidationError(
                _("Choose at most %(count)d news posts so the issue fits on two pages.")
                % {"count": self.MAX_NEWS}
            )
        return news

    def clean_events(self) -> QuerySet[Event]:
        events = self.cleaned_data["events"]
        if len(events) > self.MAX_EVENTS:
            raise forms.ValidationError(
                _("Choose at most %(count)d events so the issue fits on two pages.")
                % {"count": self.MAX_EVENTS}
            )
        return events
