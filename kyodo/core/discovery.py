"""The one app-discovery loop: each Kyodo app may contribute a module of a known name (`sections`,
`daily`, `demo`, `api`), and the page, command or API that collects them asks `app_modules(name)`.

Like Django's `autodiscover_modules`, an app without such a module is skipped and an error raised while
importing a module that exists propagates (a broken `daily.py` must not be silently left out). Unlike it,
only Kyodo's own apps are asked (third-party apps have modules named `api` too) and the modules are
returned, in INSTALLED_APPS order, for the caller to use."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

PREFIX = "kyodo."


def app_modules(name: str) -> list[ModuleType]:
    """`<app>.<name>` of every installed Kyodo app that has one, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PREFIX) or not module_has_submodule(config.module, name):
            continue
        modules.append(import_module(f"{config.name}.{name}"))
    return modules
