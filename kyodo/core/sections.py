"""Pages that several apps add to (home, profile, staff home) collect blocks from each app.

Each app may define `sections.py` with `home(request)`, `profile(request)`, `staff(request)` or
`group(request, group)` returning
a list of (template_name, context) pairs; the page renders them in app order. This keeps the core from
importing every app and lets each app own what it shows."""

from kyodo.core.discovery import app_modules


def _collect(kind, request, *args):
    blocks = []
    for module in app_modules("sections"):
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
