import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

from kyodo.core import dates
from kyodo.core.i18n import in_language

register = template.Library()


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
    """Formatted text (Markdown) → safe HTML: staff may write steps, links and lists, never scripts."""
    html = md.markdown(text or "", extensions=["extra", "sane_lists"])
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}, "img": {"src", "alt"}})


@register.filter
def markdown(value):
    return mark_safe(render_markdown(value))  # noqa: S308  render_markdown's output is sanitised by nh3 (an allow-list of tags and attributes)


@register.simple_tag(takes_context=True)
def localized(context, obj, field):
    """obj.<field>_en in English when it is filled in, else obj.<field>."""
    return in_language(obj, field)
