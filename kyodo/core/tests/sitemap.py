"""The site map the whole-site tests walk: every page that needs no argument, plus one object page of
each kind (the demo's first), and the personas who visit them (the demo accounts, kyodo/core/demo.py)."""

from __future__ import annotations

from collections.abc import Iterator

from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from kyodo.community.models import Event, NewsPost
from kyodo.core.models import Location
from kyodo.groups.models import Feature, Group
from kyodo.lending.models import EquipmentType, Kit, Unit

DEMO_PERSONAS: dict[str, str | None] = {
    "public": None,
    "member": "member@example.jp",
    "staff": "staff@example.jp",
    "admin": "admin@example.jp",
}
NOT_PAGES = ("admin:", "api:api-root")  # the admin has its own list; the API root is JSON


def url_names(patterns: list | None = None, namespace: str | None = None) -> Iterator[str]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def site_map() -> dict[str, str]:
    """{url name: path} of every route that takes no argument, the admin's left out."""
    paths = {}
    for name in url_names():
        if name.startswith(NOT_PAGES):
            continue
        try:
            paths[name] = reverse(name)
        except NoReverseMatch:
            continue  # needs an argument
    return paths


def object_pages() -> dict[str, str]:
    """The public pages of one object each (the demo's first), where member-written text is shown."""
    objects = {
        "core:location_calendar": Location.objects.first(),
        "community:event": Event.objects.published().first(),
        "community:news_post": NewsPost.objects.published().first(),
        "groups:public": Group.objects.filter(status=Group.Status.APPROVED, listed=True).first(),
        "groups:feature": Feature.objects.published().first(),
        "lending:type_detail": EquipmentType.objects.first(),
        "lending:kit_detail": Kit.objects.first(),
        "lending:unit": Unit.objects.first(),
    }
    return {name: reverse(name, args=[obj.pk]) for name, obj in objects.items() if obj is not None}


def html_pages(client: Client, paths: dict[str, str]) -> dict[str, str]:
    """{url name: path} of the HTML pages this persona ends on (after redirects: a page that sends the
    signed-out to sign in gives the sign-in page), each page once; files and refusals left out."""
    pages: dict[str, str] = {}
    for name, path in paths.items():
        response = client.get(path, follow=True)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            final = response.request["PATH_INFO"]
            if final not in pages.values():
                pages[name] = final
    return pages
