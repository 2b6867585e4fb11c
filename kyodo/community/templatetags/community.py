"""An event's dates and status badges, as tags rather than included templates: the events list shows
30 of them per page, and two includes per event were a large part of the page's rendering time."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kyodo.core.dates import format_date, format_time

register = template.Library()


def _time(date):
    return format_html('<time datetime="{}">{}</time>', date.isoformat(), format_date(date))


def _days(start, end):
    return [_time(start)] + (["〜", _time(end)] if start != end else [])


@register.simple_tag
def event_when(event):
    """2026年12月1日(火)〜2026年12月2日(水) 13:00〜15:00, with <time> elements. A postponed event's new
    date, then the original one struck through with a label saying what it is."""
    parts = _days(event.held_start_date, event.held_end_date)
    if event.start_time:
        parts.append(format_html(" {}", format_time(event.start_time)))
        if event.end_time:
            parts.append(format_html("〜{}", format_time(event.end_time)))
    if event.is_moved:
        original = "".join(str(p) for p in _days(event.start_date, event.end_date))
        was = format_html("<del>{}</del>", mark_safe(original))  # noqa: S308  built by format_html
        label = escape(_("(originally %(date)s)")) % {"date": was}
        parts.append(format_html(' <span class="moved-from">{}</span>', mark_safe(label)))  # noqa: S308  escaped above
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308  every part is escaped by format_html


@register.simple_tag
def event_status(event):
    """Badges for a cancelled or postponed event, and for one that is not published. The status words
    are the event's own (中止, 延期): a plain "Cancelled" is キャンセル in the booking apps' catalogues."""
    badges = []
    if event.is_cancelled:
        badges.append(format_html('<span class="badge danger">{}</span>', event.get_status_display()))
    elif event.is_postponed:
        moved = f" → {format_date(event.postponed_to)}" if event.postponed_to else ""
        badges.append(format_html('<span class="badge warn">{}{}</span>', event.get_status_display(), moved))
    if not event.is_published:
        badges.append(format_html(' <span class="badge">{}</span>', event.get_state_display()))
    return mark_safe("".join(str(b) for b in badges))  # noqa: S308  every badge is escaped by format_html
