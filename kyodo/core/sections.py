"""Pages that several apps add to (home, profile, staff home) collect blocks from each app.

Each app may define `sections.py` with `home(request)`, `profile(request)`, `staff(request)` or
`group(request, group)` returning
a list of (template_name, context) pairs; the page renders them in app order. This keeps the core from
importing every app and lets each app own what it shows."""

from importlib import import_module

from django.conf import settings


def _collect(kind, request, *args):
    blocks = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("kyodo."):
            continue
        try:
            module = import_module(f"{app}.sections")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.sections":
                raise
            continue
        provider = getattr(module, kind, None)
        if provider:
            blocks.extend(provider(request, *args))
    return blocks


def home_sections(request):
    return _collect("home", request)


def profile_sections(request):
    return _collect("profile", request)


def staff_sections(request):
    return _collect("staff", request)


def group_sections(request, group):
    return _collect("group", request, group)
