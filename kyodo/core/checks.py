"""Start-up checks: a production server without its collected static files refuses to start.

Without `collectstatic`, the manifest storage cannot name any static file, so every page is a bare
"Server Error (500)" while the database (and so /healthz) is fine. `static_manifest_problem` says so;
it is a deploy check (`manage.py check --deploy`), the WSGI application refuses to load (kyodo/wsgi.py)
and /healthz answers 503 with the reason. Commands that do not serve pages (migrate, the mail worker, the
daily job, collectstatic itself) are not stopped: the README runs migrate before collectstatic."""

from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import CheckMessage, Error, register
from django.core.files.storage import storages

MISSING_MANIFEST = "kyodo.E001"


def static_manifest_problem() -> str | None:
    """Why the static files cannot be served (production with the manifest storage), or None."""
    if settings.DEBUG:
        return None
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return None
    if storage.manifest_storage.exists(storage.manifest_name):
        return None
    return (
        f"the static files' manifest ({settings.STATIC_ROOT}/{storage.manifest_name}) is missing: "
        "run `python manage.py collectstatic --noinput` on each release"
    )


@register(deploy=True)
def check_static_manifest(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problem = static_manifest_problem()
    if problem is None:
        return []
    return [Error(problem, hint="Every page would answer 500 without it.", id=MISSING_MANIFEST)]
