from django.conf import settings
from django.http import Http404
from django.shortcuts import render


def floor(request):
    """The framework floor for the bench: full middleware stack and base template, no domain query.

    Exists only under KYODO_BENCH=1; otherwise it is a plain 404."""
    if not settings.KYODO_BENCH:
        raise Http404
    return render(request, "ops/floor.html")
