import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from kyodo.core.models import Location
from kyodo.ops.middleware import HEADER, QueryCountMiddleware

ROOT = Path(__file__).resolve().parents[3]
COUNTER = "kyodo.ops.middleware.QueryCountMiddleware"


@pytest.mark.django_db
def test_bench_routes_do_not_exist_by_default(client):
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
    assert client.get("/bench/floor/").status_code == 404


def test_query_counter_is_not_installed_by_default():
    assert COUNTER not in settings.MIDDLEWARE


def test_kyodo_bench_mounts_the_floor_and_the_query_counter_at_start_up():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "KYODO_BENCH"}}
    env.update(DJANGO_SETTINGS_MODULE="kyodo.settings", KYODO_BENCH="1", DEBUG="1")
    code = (
        "import django; django.setup(); from django.conf import settings; from django.urls import reverse; "
        f"print({COUNTER!r} in settings.MIDDLEWARE, reverse('ops:floor'))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "/bench/floor/"]


@pytest.mark.django_db
@pytest.mark.urls("kyodo.ops.tests.bench_urls")
def test_floor_renders_the_base_template_in_bench_mode(client, location):
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<main id="main"' in html and location.name in html


@pytest.mark.django_db
def test_query_counter_reports_the_queries_of_the_request(location):
    def view(request):
        list(Location.objects.all())
        list(Location.objects.all())
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response[HEADER] == "2"
