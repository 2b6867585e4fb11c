from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from kyodo.core.models import Location


def site(request):
    """The center's contact details for header/footer and the language switcher's links."""
    path = request.get_full_path()
    current = get_language()
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in (("ja", "日本語"), ("en", "English"))
    ]
    location = Location.objects.order_by("order", "id").first()
    return {"center": location, "language_links": languages, "SITE_URL": settings.SITE_URL}
