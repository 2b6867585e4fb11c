"""The review step (確認画面) before anything is committed: one mechanism for every booking and request.

The same form is posted in stages (the `stage` field): first `review` — the form is validated and, if it
is valid, the person sees everything they entered (`Review.rows`) with two buttons, 「この内容で申し込む」
(`commit`) and 「戻って修正する」 (`edit`); the review page carries the posted data in hidden fields, so
going back keeps every input. The final POST (`commit`) validates the same data again and commits through
the same use case as before — the review itself writes nothing.

    step = review.step(request, form)      # FORM, REVIEW or COMMIT
    if step == review.REVIEW: render the page with review.of(form)
    if step == review.COMMIT: run the use case (through once.run and doors.submit)
    else: render the form (status 400 when form.errors)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kyodo.core.dates import format_date

STAGE = "stage"
FORM, REVIEW, EDIT, COMMIT = "form", "review", "edit", "commit"
_NOT_CARRIED = {"csrfmiddlewaretoken", STAGE}


def stage(request: HttpRequest) -> str | None:
    return request.POST.get(STAGE) if request.method == "POST" else None


def step(
    request: HttpRequest, form: forms.BaseForm, commit_values: Iterable[str] = (), unstaged: str = REVIEW
) -> str:
    """Which page to show: FORM (first visit, 戻って修正する, or refused — then `form.errors`), REVIEW (a
    valid form sent for review) or COMMIT (a valid form confirmed). `commit_values` are older buttons'
    values that also mean commit (e.g. the loan request's `action=send`); `unstaged` is what a valid POST
    without a stage means (a script posting the form directly, as to the API: COMMIT)."""
    if request.method != "POST":
        return FORM
    posted = stage(request)
    if posted == EDIT:
        return FORM
    if not form.is_valid():
        return FORM
    if posted == COMMIT or any(request.POST.get("action") == value for value in commit_values):
        return COMMIT
    return REVIEW if posted == REVIEW else unstaged


def display(bound: forms.BoundField) -> str:
    """A field's cleaned value as the person reads it: a choice's label, a date the Japanese way, はい/いいえ."""
    form_field = bound.field
    value = bound.form.cleaned_data.get(bound.name)
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return "、".join(form_field.label_from_instance(obj) for obj in (value or []))
    if isinstance(form_field, forms.ModelChoiceField):
        return form_field.label_from_instance(value) if value is not None else ""
    if isinstance(form_field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(form_field, forms.MultipleChoiceField):
        labels = dict(_flat_choices(form_field))
        return "、".join(str(labels.get(v, v)) for v in (value or []))
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(_flat_choices(form_field)).get(value, value or ""))
    if isinstance(value, dt.datetime):
        return f"{format_date(value.date())} {value:%H:%M}"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    if isinstance(value, models.Model):
        return str(value)
    if value is None:
        return ""
    if hasattr(value, "name") and isinstance(form_field, forms.FileField):
        return str(value.name)
    return str(value)


def _flat_choices(form_field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    flat: list[tuple[Any, Any]] = []
    for key, label in list(form_field.choices):  # type: ignore[arg-type]
        if isinstance(label, (list, tuple)):
            flat.extend(label)
        else:
            flat.append((key, label))
    return flat


@dataclass
class Review:
    """What the review page shows (label, value) and the posted data it carries back (name, value)."""

    rows: list[tuple[str, str]]
    carried: list[tuple[str, str]]
    notes: list[str] = field(default_factory=list)
    # File fields asked again on the review page: a browser cannot carry a chosen file to another page.
    files: list[forms.BoundField] = field(default_factory=list)


def of(
    form: forms.BaseForm,
    *,
    skip: Iterable[str] = (),
    rows: list[tuple[str, str]] | None = None,
    empty: bool = False,
    files: Iterable[str] = (),
) -> Review:
    """The review of a valid form: each visible field but `skip` (and, unless `empty`, those left empty),
    or the given `rows`; and every posted value to carry back (the one-time key among them)."""
    skipped = set(skip) | set(files)
    if rows is None:
        rows = []
        for bound in form.visible_fields():
            if bound.name in skipped:
                continue
            text = display(bound)
            if text or empty:
                rows.append((str(bound.label), text or _("Not given")))
    carried = [
        (name, value)
        for name in form.data
        if name not in _NOT_CARRIED
        for value in (form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data[name]])
    ]
    asked = [form[name] for name in files]
    notes = (
        [_("A chosen file cannot be carried to this page: please choose it again below.")]
        if asked and form.files
        else []
    )
    return Review(rows=rows, carried=carried, notes=notes, files=asked)
