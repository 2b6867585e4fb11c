import html
import re

import markdown as md
import nh3
from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kyodo.core import dates
from kyodo.core.i18n import in_language

register = template.Library()


@register.filter
def label_only(value):
    """A field's label without its closing full stop, for "label: message" (「利用規約に同意します」, not "…。:")."""
    return str(value).rstrip(".。 ")


@register.filter
def jdate(value):
    """2026年12月1日(火) in Japanese, Tue, 1 Dec 2026 in English."""
    return dates.format_date(value)


@register.filter
def jdatetime(value):
    return dates.format_datetime(value)


@register.filter
def hm(value):
    return dates.format_time(value)


@register.filter
def weekday(value):
    return dates.weekday_name(value)


ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "h4", "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "img"}  # fmt: skip


def render_markdown(text):
    """Formatted text (Markdown) → safe HTML: staff may write steps, links and lists, never scripts.
    Images from other sites become links to them (see images_from_elsewhere_to_links)."""
    markup = md.markdown(text or "", extensions=["extra", "sane_lists"])
    clean = nh3.clean(markup, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}, "img": {"src", "alt"}})
    return images_from_elsewhere_to_links(clean)


# In nh3's output every attribute is double-quoted with `"`, `<` and `>` escaped, so these are exact.
_TAG = re.compile(r"<a\b[^>]*>|</a>|<img\b[^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_IGNORED_IN_URLS = re.compile(r"[\t\n\r]")  # browsers drop these from a URL before reading it


def is_same_site(src: str) -> bool:
    """Does this image address point at Kyodo itself? Only a path from the root (`/media/…`) or the
    site's own URL does; `//host`, `/\\host`, `///host` and anything with a scheme do not."""
    url = _IGNORED_IN_URLS.sub("", src.strip())
    if url.startswith(settings.SITE_URL + "/"):
        url = url[len(settings.SITE_URL) :]
    return url.startswith("/") and not url.startswith("//") and "\\" not in url


def images_from_elsewhere_to_links(clean_html: str) -> str:
    """An image from another site would tell that site who reads the page (and the CSP blocks it
    anyway): it becomes a link to the image, named by its alt text or its address. Inside a link it
    becomes the text alone. Expects nh3's output."""
    depth = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal depth
        tag = match.group(0)
        if tag.startswith("<a"):
            depth += 1
            return tag
        if tag == "</a>":
            depth = max(depth - 1, 0)
            return tag
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}
        src = attributes.get("src", "")
        if src and is_same_site(src):
            return tag
        text = escape(attributes.get("alt") or src)
        if not src or depth:
            return text
        return f'<a href="{escape(src)}" rel="noopener noreferrer">{text}</a>'

    return _TAG.sub(replace, clean_html)


@register.filter
def markdown(value):
    return mark_safe(render_markdown(value))  # noqa: S308  render_markdown's output is sanitised by nh3 (an allow-list of tags and attributes)


@register.simple_tag(takes_context=True)
def localized(context, obj, field):
    """obj.<field>_en in English when it is filled in, else obj.<field>."""
    return in_language(obj, field)
