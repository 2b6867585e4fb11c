"""The one confirmation step before anything destructive or hard to undo (cancel, delete, decline,
move, retire, remove).

A destructive action is reached by a link: its GET shows what will happen — the object, its 受付番号 if
it has one, what changes (変更前 → 変更後), the consequence in plain words — with a red button and 「戻る」;
only the POST from that page runs the use case (through the app's service, as before). A single tap
therefore never destroys, and a mail scanner or a prefetch that follows the link changes nothing.

    if request.method != "POST":
        return confirm.page(request, confirm.Confirmation(title=..., consequence=..., button=...,
                                                           back_url=..., facts=[...]))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import SafeString


@dataclass
class Confirmation:
    """What the confirmation page shows. `facts` are (label, value) rows naming the object; `changes`
    (label, before, after) rows for a move; `form` carries fields the action needs (a reason) and its
    errors; `hidden` are values the POST carries on (the chosen new time)."""

    title: str
    consequence: str
    button: str
    back_url: str
    facts: list[tuple[str, Any]] = field(default_factory=list)
    reference: str = ""
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    form: forms.BaseForm | None = None
    hidden: dict[str, str] = field(default_factory=dict)
    action: str = ""  # where the button posts; this page's own address when empty
    danger: bool = True  # a red button; False for a change that is hard to undo but destroys nothing


def unbroken(text: str) -> SafeString:
    """A date or a time the page must never break across lines (2026年12月8日 / (火) is hard to read)."""
    return format_html('<span class="nowrap">{}</span>', text)


def page(request: HttpRequest, confirmation: Confirmation, status: int = 200) -> HttpResponse:
    """The confirmation page (GET: 200; re-shown with the form's errors: 400, or the service's status)."""
    return render(request, "core/confirm.html", {"confirmation": confirmation}, status=status)


def wants_confirmation(request: HttpRequest) -> bool:
    """A GET (or HEAD) asks for the confirmation page; only a POST acts."""
    return request.method != "POST"
