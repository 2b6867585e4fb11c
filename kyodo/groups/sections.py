"""Blocks the groups app adds to other apps' pages: on my page, the groups I belong to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import pgettext

from kyodo.core.sections import Board, Waiting
from kyodo.groups.models import Group


def profile(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    groups = Group.objects.of_member(request.user).order_by("name")
    return [("groups/sections/profile.html", {"groups": groups})]


def dashboard(request: HttpRequest, board: Board) -> list[Waiting]:
    """Registrations waiting for a staff decision (groups belong to the whole city, not one location)."""
    pending = Group.objects.pending().count()
    return [Waiting(10, pgettext("dashboard", "group registrations"), pending, reverse("groups:review_list"))]
