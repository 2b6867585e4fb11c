from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from kyodo.api.api import api
from kyodo.core import media
from kyodo.core import views as core_views

# Language-neutral: health check, API, feeds are added by the apps' `neutral_urls`.
urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
]

# The bench's floor page (kyodo.ops): mounted only for load runs (KYODO_BENCH=1, see settings).
bench_urlpatterns = [path("bench/", include("kyodo.ops.urls"))]
if settings.KYODO_BENCH:
    urlpatterns += bench_urlpatterns

# Every page in Japanese at / and in English under /en/.
urlpatterns += i18n_patterns(
    path("", include("kyodo.core.urls")),
    path("", include("kyodo.reports.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("kyodo.groups.urls")),
    path("", include("kyodo.lending.urls")),
    path("", include("kyodo.consultations.urls")),
    path("", include("kyodo.community.urls")),
    path("", include("kyodo.rooms.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

# Uploads, served by the development server only (in production the proxy serves them: README).
media_urlpatterns = [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", media.serve, name="media")]
if settings.DEBUG:
    urlpatterns += media_urlpatterns

# The error pages: in the page's language and the site's layout, with the center's contact (core.errorpages).
handler400 = "kyodo.core.errorpages.bad_request"
handler403 = "kyodo.core.errorpages.permission_denied"
handler404 = "kyodo.core.errorpages.page_not_found"
handler500 = "kyodo.core.errorpages.server_error"
