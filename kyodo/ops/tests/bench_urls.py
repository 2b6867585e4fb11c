"""The site's URLs with the bench routes mounted, as KYODO_BENCH=1 does at start-up."""

from kyodo.urls import bench_urlpatterns
from kyodo.urls import urlpatterns as site_urlpatterns

urlpatterns = bench_urlpatterns + site_urlpatterns
