from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kyodo.core.forms import BoundedDateField, BoundedModelChoiceField
from kyodo.core.models import Location
from kyodo.groups.models import Group
from kyodo.lending.inputs import MAX_QUANTITY, ExtensionInput, RequestInput, quantity_errors
from kyodo.lending.models import Category, EquipmentType, Kit, LendingRules, ReservationItem, Unit
from kyodo.lending.services import Line


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def quantity_field(label: str, **kwargs: Any) -> forms.IntegerField:
    """A quantity of a request's line: its limit is LineInput's (the browser is told it too)."""
    widget = forms.NumberInput(attrs={"min": 0, "max": MAX_QUANTITY})
    return forms.IntegerField(label=label, min_value=0, widget=widget, **kwargs)


def check_quantities(form: forms.Form, names: Iterable[str]) -> None:
    """Each quantity checked by LineInput, so the form refuses what the service and API refuse, in
    the same words."""
    for name in names:
        for message in quantity_errors(form.cleaned_data.get(name)):
            form.add_error(name, message)


class CatalogFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories"))] + Category.choices
    )
    start = BoundedDateField(label=_("Free from"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("Free until"), required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and not end:
            data["end"] = start
        if end and not start:
            data["start"] = end
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date must be on or after the start date."))
        if data.get("start") and (data["end"] - data["start"]).days > 60:
            raise forms.ValidationError(_("Please choose at most 60 days."))
        return data


class RequestForm(forms.Form):
    """A request: a quantity for each kit and each type, the dates, the purpose and the audience."""

    group: BoundedModelChoiceField = BoundedModelChoiceField(
        label=_("Group"), queryset=None, empty_label=None
    )
    pickup_date = BoundedDateField(label=_("Pickup date"), widget=DateInput())
    return_date = BoundedDateField(label=_("Return date"), widget=DateInput())
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=RequestInput.bound("purpose", "max_length"),
        help_text=_("e.g. our neighbourhood association's general meeting on 6/20"),
    )
    audience_size = forms.IntegerField(
        label=_("Expected audience"),
        required=False,
        min_value=RequestInput.bound("audience_size", "ge"),
        max_value=RequestInput.bound("audience_size", "le"),
    )

    def __init__(self, *args: Any, groups: QuerySet[Group], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = cast("forms.ModelChoiceField[Group]", self.fields["group"])
        group_field.queryset = groups
        if groups.count() == 1:
            group_field.initial = groups.first()
        self.kits = list(Kit.objects.filter(active=True).select_related("location"))
        self.types = list(EquipmentType.objects.active().select_related("location"))
        for kit in self.kits:
            self.fields[f"kit_{kit.pk}"] = quantity_field(kit.localized_name(), required=False, initial=0)
        for kind in self.types:
            self.fields[f"type_{kind.pk}"] = quantity_field(kind.localized_name(), required=False, initial=0)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        check_quantities(self, [f"kit_{kit.pk}" for kit in self.kits] + [f"type_{t.pk}" for t in self.types])
        return data

    main_fields = ["group", "pickup_date", "return_date", "purpose", "audience_size"]

    def chosen(self) -> list[str]:
        """The quantity fields of the item the person came from (?type= or ?kit=): shown alone, the
        others behind "add other equipment" (a kit-only request does not face every box)."""
        return [name for name in self.initial if name.startswith(("kit_", "type_")) and name in self.fields]

    def _quantity_fields(self, prefix: str, objects: list[Any]) -> list[forms.BoundField]:
        chosen = self.chosen()
        return [self[f"{prefix}_{o.pk}"] for o in objects if f"{prefix}_{o.pk}" not in chosen]

    def kit_fields(self) -> list[forms.BoundField]:
        return self._quantity_fields("kit", self.kits)

    def type_fields(self) -> list[forms.BoundField]:
        return self._quantity_fields("type", self.types)

    def chosen_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.chosen()]

    def others_used(self) -> bool:
        """Some other item has a quantity or an error: "add other equipment" stays open."""
        fields = self.kit_fields() + self.type_fields()
        return any(
            field.errors or (self.is_bound and field.value() not in ("", "0", None)) for field in fields
        )

    def chosen_location(self) -> Location | None:
        """The location of the item the person came from: the rules shown are that location's."""
        for name in self.chosen():
            kind, pk = name.split("_")
            found = [o for o in (self.kits if kind == "kit" else self.types) if str(o.pk) == pk]
            if found:
                return found[0].location
        return None

    def lines(self) -> list[Line]:
        result: list[Line] = []
        for kit in self.kits:
            if self.cleaned_data.get(f"kit_{kit.pk}"):
                result.append(Line(quantity=self.cleaned_data[f"kit_{kit.pk}"], kit_id=kit.pk))
        for kind in self.types:
            if self.cleaned_data.get(f"type_{kind.pk}"):
                result.append(Line(quantity=self.cleaned_data[f"type_{kind.pk}"], equipment_type_id=kind.pk))
        return result


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3}))


class EditForm(forms.Form):
    pickup_date = BoundedDateField(label=_("Pickup date"), widget=DateInput())
    return_date = BoundedDateField(label=_("Return date"), widget=DateInput())

    def __init__(self, *args: Any, items: list[ReservationItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = quantity_field(
                item.equipment_type.localized_name(), initial=item.quantity
            )

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        check_quantities(self, [f"item_{item.pk}" for item in self.items])
        return data

    def quantities(self) -> dict[int, int | None]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class ExtensionForm(forms.Form):
    new_return_date = BoundedDateField(label=_("New return date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"), max_length=ExtensionInput.bound("reason", "max_length"), required=False
    )


class CheckoutForm(forms.Form):
    tags = forms.CharField(
        label=_("Asset tags"),
        widget=forms.Textarea(
            attrs={"rows": 4, "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("Scan each unit's label (the scanner types the tag and Enter) or type one tag per line."),
    )
    accessories = forms.MultipleChoiceField(
        label=_("Accessories handed over"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, accessories: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["accessories"]).choices = [(a, a) for a in accessories]

    def tag_list(self) -> list[str]:
        return [t for t in self.cleaned_data["tags"].replace(",", "\n").split() if t.strip()]


class UnitStatusForm(forms.Form):
    """The unit page's status change. Retiring is not offered here: it has its own confirmation step
    (lending:unit_retire), unless the unit is already retired (and may be put back)."""

    status = forms.ChoiceField(label=_("Status"), choices=Unit.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current != Unit.Status.RETIRED:
            field = cast(forms.ChoiceField, self.fields["status"])
            field.choices = [(v, label) for v, label in Unit.Status.choices if v != Unit.Status.RETIRED]


class RetireForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it retired?"), max_length=500, required=False,
        help_text=_("For example: broken beyond repair, lost. It is added to the unit's condition notes."),
    )  # fmt: skip


class CounterForm(forms.Form):
    date = BoundedDateField(label=_("Day"), required=False, widget=DateInput())


class RulesForm(forms.ModelForm):
    class Meta:
        model = LendingRules
        fields = [
            "min_days_ahead",
            "max_days",
            "inspection_days",
            "max_units_per_request",
            "max_units_per_group",
            "pickup_hours",
            "return_hours",
            "what_to_bring",
            "what_to_bring_en",
            "liability",
            "liability_en",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("what_to_bring", "what_to_bring_en", "liability", "liability_en")
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.IntegerField, self.fields["max_days"]).min_value = 1
        self.fields["max_days"].widget.attrs["min"] = 1
        self.fields["max_days"].validators.append(MinValueValidator(1))
        for name in ("max_units_per_request", "max_units_per_group"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs["min"] = 1
