"""Blocks the groups app adds to other apps' pages: on my page, the groups I belong to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kyodo.groups.models import Group


def profile(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    groups = Group.objects.of_member(request.user).order_by("name")
    return [("groups/sections/profile.html", {"groups": groups})]
