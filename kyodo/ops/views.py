from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def floor(request: HttpRequest) -> HttpResponse:
    """The framework floor for the bench: full middleware stack and base template, no domain query.

    Routed only under KYODO_BENCH=1 (kyodo/urls.py); otherwise /bench/floor/ is a plain 404."""
    return render(request, "ops/floor.html")
