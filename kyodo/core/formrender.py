"""The one way every Kyodo form is drawn (public, member and staff pages; the Django admin keeps its own).

`FORM_RENDERER` is `KyodoFormRenderer`, so `{{ form }}` draws `core/_form.html` (hidden fields, then each
field through `core/_field.html`) and `{{ field.as_field_group }}` draws `core/_field.html`: the label, a
必須/任意 tag, the hint, the error beside the field and the widget. The error summary that takes focus
is `core/_error_summary.html`, included at the top of each form.

`KyodoBoundField` tells the field include what it needs:
- `is_required`: a field is 必須 when Django requires it or its widget says `required` (forms whose rules
  are the service's declare the field optional to Django and required to the browser);
- `counter_limit`: a textarea's length limit. The browser is not given `maxlength` on a textarea (it would
  cut a pasted text silently); a live counter shows the limit and the server refuses what is too long.
Django itself (5.2) adds `aria-invalid` and `aria-describedby` (hint, error) to the widget.
"""

from __future__ import annotations

import copy
from typing import Any

from django.forms import BoundField, Textarea
from django.forms.renderers import DjangoTemplates


class KyodoBoundField(BoundField):
    @property
    def is_required(self) -> bool:
        return bool(self.field.required or self.field.widget.attrs.get("required"))

    @property
    def counter_limit(self) -> int | None:
        if not isinstance(self.field.widget, Textarea):
            return None
        limit = getattr(self.field, "max_length", None) or self.field.widget.attrs.get("maxlength")
        return int(limit) if limit else None

    @property
    def aria_describedby(self) -> str:
        described = super().aria_describedby or ""
        if self.counter_limit and self.auto_id:
            described = f"{described} {self.auto_id}_counter".strip()
        return described

    def as_widget(
        self, widget: Any = None, attrs: dict[str, Any] | None = None, only_initial: bool = False
    ) -> Any:
        widget = widget or self.field.widget
        if self.counter_limit and "maxlength" in widget.attrs:
            widget = copy.copy(widget)
            widget.attrs = {k: v for k, v in widget.attrs.items() if k != "maxlength"}
        attrs = dict(attrs or {})
        if self.counter_limit:
            attrs["data-maxlength"] = str(self.counter_limit)
        return super().as_widget(widget, attrs, only_initial)


class KyodoFormRenderer(DjangoTemplates):
    form_template_name = "core/_form.html"
    field_template_name = "core/_field.html"
    bound_field_class = KyodoBoundField
