"""An id past the database's integer in a choice field is a form error ("Select a valid choice"), not a 500,
on SQLite and PostgreSQL (issue 18, finding 7)."""

import importlib

import pytest
from django import forms

from kyodo.core.forms import BoundedModelChoiceField, BoundedModelMultipleChoiceField, IdRangeMixin
from kyodo.groups.models import ActivityField
from kyodo.groups.tests.test_registration import FORM

pytestmark = pytest.mark.django_db

HUGE = str(2**63)  # one past the largest 64-bit integer: OverflowError on SQLite, an error on PostgreSQL
HUGER = "9" * 40
NEGATIVE = str(-(2**63) - 1)


@pytest.mark.parametrize("huge", [HUGE, HUGER, NEGATIVE])
def test_group_registration_refuses_a_huge_field_id_with_a_form_error(client_for, personas, huge):
    field = ActivityField.objects.create(name="まちづくり")
    response = client_for("member_a").post("/groups/register/", {**FORM, "fields": [field.pk, huge]})
    assert response.status_code == 400  # the form again, with its errors (core.doors.submit)
    assert "fields" in response.context["form"].errors


@pytest.mark.parametrize("huge", [HUGE, HUGER])
def test_group_edit_refuses_a_huge_field_id_with_a_form_error(client_for, group_a, member_a, huge):
    response = client_for("member_a").post(f"/groups/mine/{group_a.pk}/edit/", {**FORM, "fields": [huge]})
    assert response.status_code == 400
    assert "fields" in response.context["form"].errors


@pytest.mark.parametrize("param", ["news", "events", "feature"])
@pytest.mark.parametrize("huge", [HUGE, HUGER])
def test_newsletter_refuses_a_huge_id_with_a_form_error(client_for, personas, param, huge):
    response = client_for("staff").get("/newsletter/", {"issue": 1, "date": "2026-12-01", param: huge})
    assert response.status_code == 400
    assert param in response.context["form"].errors


@pytest.mark.parametrize("huge", [HUGE, HUGER])
def test_group_directory_filter_ignores_a_huge_field_id(client, huge):
    assert client.get("/groups/", {"field": huge}).status_code in (200, 400)


@pytest.mark.parametrize("huge", [HUGE, HUGER, NEGATIVE, "1e3", "١٢"])
def test_the_bounded_fields_give_the_invalid_choice_message(huge):
    ActivityField.objects.create(name="まちづくり")

    class F(forms.Form):
        one = BoundedModelChoiceField(queryset=ActivityField.objects.all(), required=False)
        many = BoundedModelMultipleChoiceField(queryset=ActivityField.objects.all(), required=False)

    form = F({"one": huge, "many": [huge]})
    assert not form.is_valid()
    assert (
        form.errors["one"][0].startswith("正しく選択してください") or "valid choice" in form.errors["one"][0]
    )
    assert "many" in form.errors


def _choice_fields_of_every_form():
    """(form, field name, field) for every model choice field of every form in Kyodo's apps' forms.py."""
    from django.apps import apps

    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kyodo."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for form in vars(module).values():
            if (
                isinstance(form, type)
                and issubclass(form, forms.BaseForm)
                and form.__module__ == module.__name__
            ):
                for name, field in form.base_fields.items():
                    if isinstance(field, forms.ModelChoiceField):
                        found.append((form, name, field))
    return found


def test_every_model_choice_field_of_every_form_refuses_huge_ids():
    fields = _choice_fields_of_every_form()
    assert len(fields) >= 6  # groups' fields and filter, the newsletter's three, the event's group, lending's
    unbounded = [f"{form.__module__}.{form.__name__}.{name}" for form, name, field in fields
                 if not isinstance(field, IdRangeMixin)]  # fmt: skip
    assert unbounded == []
