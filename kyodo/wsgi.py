import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from kyodo.core.checks import static_manifest_problem

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
application = get_wsgi_application()

# A production server without its collected static files would answer every page with a bare 500:
# refuse to start instead, saying what to run (kyodo.core.checks).
if problem := static_manifest_problem():
    raise ImproperlyConfigured(f"Kyodo will not start: {problem}.")
