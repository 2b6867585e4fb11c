"""The error summary names each field in error by its label, without the label's own full stop."""

from django import forms
from django.template.loader import render_to_string
from django.utils import translation


class AgreeForm(forms.Form):
    agree = forms.BooleanField(label="I agree to the privacy notice.")
    name = forms.CharField(label="お名前")


def test_each_error_links_to_its_field_with_the_label_without_a_full_stop():
    form = AgreeForm(data={})
    assert not form.is_valid()
    with translation.override("en"):
        html = render_to_string("core/_error_summary.html", {"form": form})
    assert '<a href="#id_agree">I agree to the privacy notice: ' in html
    assert ".:" not in html
    assert '<a href="#id_name">お名前: ' in html


def test_a_valid_form_has_no_summary():
    form = AgreeForm(data={"agree": "on", "name": "金沢"})
    assert form.is_valid()
    assert render_to_string("core/_error_summary.html", {"form": form}).strip() == ""
