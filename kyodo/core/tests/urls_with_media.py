"""The site's URLs as under DEBUG, with the media route (the tests run with DEBUG off)."""

from kyodo.urls import media_urlpatterns
from kyodo.urls import urlpatterns as site_urlpatterns

urlpatterns = site_urlpatterns + media_urlpatterns
