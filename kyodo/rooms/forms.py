"""The rooms' forms: each field's limit read back from the typed Input, each value checked by the
service (the forms only collect)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kyodo.core.forms import BoundedDateField, BoundedModelChoiceField, CleanTextMixin
from kyodo.groups.models import Group
from kyodo.rooms.inputs import MAX_ATTENDEES, MAX_NAME, MAX_PURPOSE, MAX_REASON, ApplicationInput
from kyodo.rooms.models import EXCLUDED_USES, Period, Reduction, Room, Use

ALLOWED_USES = [(value, label) for value, label in Use.choices if value not in EXCLUDED_USES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class KyodoForm(CleanTextMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class WeekForm(KyodoForm):
    """The grid's week and room (a phone shows one room at a time)."""

    start = BoundedDateField(label=_("Week from"), required=False, widget=DateInput())
    room = BoundedModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("All rooms")
    )

    def __init__(self, *args: Any, rooms: QuerySet[Room], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]


class BookingForm(KyodoForm):
    """The 仮予約: the room, day and 区分 come from the grid's cell; the group and a few words here."""

    room = BoundedModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    periods = forms.MultipleChoiceField(label=_("Periods"), widget=forms.CheckboxSelectMultiple)
    group = BoundedModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=MAX_PURPOSE, required=False)
    attendees = forms.IntegerField(
        label=_("Expected attendees"), min_value=1, max_value=MAX_ATTENDEES, required=False
    )
    use = forms.ChoiceField(label=_("Kind of use"), choices=ALLOWED_USES, initial=Use.MEETING)
    # Required on the form so that it says 必須; the service checks it again with the same words (check_terms).
    terms_accepted = forms.BooleanField(
        label=_("I accept the terms of use."),
        error_messages={"required": _("Please accept the terms of use.")},
    )

    def __init__(
        self, *args: Any, rooms: QuerySet[Room], groups: QuerySet[Group], periods: list[Period], staff: bool = False,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["periods"]).choices = [
            (p.code, f"{p.localized_name()} {p.start:%H:%M}–{p.end:%H:%M}") for p in periods
        ]
        if staff:
            self.fields["group"].empty_label = _("The center's own use")  # type: ignore[attr-defined]
            del self.fields["terms_accepted"]

    def data_for_service(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "room": data["room"].pk,
            "date": data["date"],
            "periods": data["periods"],
            "group": data["group"].pk if data.get("group") else None,
            "purpose": data.get("purpose") or "",
            "attendees": data.get("attendees"),
            "use": data["use"],
            "terms_accepted": bool(data.get("terms_accepted")),
        }


class ApplicationForm(KyodoForm):
    purpose = forms.CharField(label=_("Purpose"), max_length=MAX_PURPOSE)
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, max_value=MAX_ATTENDEES)
    person_in_charge = forms.CharField(label=_("Person in charge on the day"), max_length=MAX_NAME)
    contact_phone = forms.CharField(label=_("Phone on the day"), max_length=30, required=False)
    use = forms.ChoiceField(label=_("Kind of use"), choices=ALLOWED_USES)
    reduction = forms.ChoiceField(
        label=_("Fee reduction (減免)"), choices=Reduction.choices, initial=Reduction.NONE
    )
    reduction_reason = forms.CharField(
        label=_("Reason for the reduction"), max_length=MAX_REASON, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For registered groups' public-interest use: say what the activity is for."),
    )  # fmt: skip
    # Required on the form so that it says 必須; the service checks it again with the same words (check_terms).
    terms_accepted = forms.BooleanField(
        label=_("I accept the terms of use."),
        error_messages={"required": _("Please accept the terms of use.")},
    )

    input_class = ApplicationInput


class ReasonForm(KyodoForm):
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecurringForm(KyodoForm):
    room = BoundedModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    group = BoundedModelChoiceField(label=_("Group"), queryset=Group.objects.none(), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), coerce=int,
        choices=[(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
                 (4, _("Friday")), (5, _("Saturday")), (6, _("Sunday"))],
    )  # fmt: skip
    nth = forms.TypedChoiceField(
        label=_("Which week"), coerce=int,
        choices=[(0, _("Every week")), (1, _("1st")), (2, _("2nd")), (3, _("3rd")), (4, _("4th")), (5, _("5th"))],
    )  # fmt: skip
    periods = forms.MultipleChoiceField(label=_("Periods"), widget=forms.CheckboxSelectMultiple)
    start = BoundedDateField(label=_("From"), widget=DateInput())
    end = BoundedDateField(label=_("Until"), widget=DateInput())
    purpose = forms.CharField(label=_("Purpose"), max_length=MAX_PURPOSE, required=False)

    def __init__(
        self, *args: Any, rooms: QuerySet[Room], groups: QuerySet[Group], periods: list[Period], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["group"].empty_label = _("The center's own use")  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["periods"]).choices = [
            (p.code, p.localized_name()) for p in periods
        ]


class BlockForm(KyodoForm):
    room = BoundedModelChoiceField(label=_("Room"), queryset=Room.objects.none())
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    period = forms.ChoiceField(label=_("Period"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("maintenance", _("Maintenance")), ("event", _("The center's event"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: Any, rooms: QuerySet[Room], periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        cast(forms.ChoiceField, self.fields["period"]).choices = [("", _("The whole day"))] + [
            (p.code, p.localized_name()) for p in periods
        ]


class PaymentForm(KyodoForm):
    amount = forms.IntegerField(label=_("Amount (yen)"), min_value=1, max_value=10_000_000, required=False)
    method = forms.ChoiceField(
        label=_("Method"), choices=[("cash", _("Cash")), ("transfer", _("Bank transfer"))]
    )


class AttendanceForm(KyodoForm):
    attendance = forms.IntegerField(label=_("Attendance (利用人数)"), min_value=0, max_value=MAX_ATTENDEES)
