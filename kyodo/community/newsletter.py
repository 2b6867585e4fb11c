"""The printed newsletter (協働通信): the chosen items, each with a QR code to its page on the site."""

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kyodo.community import services
from kyodo.core import qr


def consultation_url():
    """The booking page in the newsletter's language (an English issue's code opens the English page)."""
    return settings.SITE_URL + reverse("consultations:start")


def _qr(url, title):
    return mark_safe(qr.svg_inline(url, scale=2, title=title))  # noqa: S308  segno's SVG of our own URL and escaped title, not user HTML


def _item(obj, url_name, title):
    url = settings.SITE_URL + reverse(url_name, args=[obj.pk])
    return {"obj": obj, "url": url, "qr": _qr(url, title)}


def issue_context(data):
    consult = consultation_url()
    return {
        "issue": data["issue"],
        "date": data["date"],
        "news": [_item(p, "community:news_post", p.title) for p in data["news"]],
        "events": [_item(e, "community:event", e.title) for e in data["events"]],
        "feature": _item(data["feature"], "groups:feature", data["feature"].title)
        if data["feature"]
        else None,
        "questions": list(data["feature"].questions.all()) if data["feature"] else [],
        "notice": services.notice(),
        "consultation_url": consult,
        "consultation_qr": _qr(consult, _("Book a consultation")),
    }
