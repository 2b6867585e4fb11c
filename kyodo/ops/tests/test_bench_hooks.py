import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from kyodo.core.models import Location
from kyodo.ops.middleware import HEADER, QueryCountMiddleware


@pytest.mark.django_db
def test_floor_is_404_unless_bench_mode(client, settings):
    settings.KYODO_BENCH = False
    assert client.get("/bench/floor/").status_code == 404


@pytest.mark.django_db
def test_floor_renders_the_base_template_in_bench_mode(client, settings, location):
    settings.KYODO_BENCH = True
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
