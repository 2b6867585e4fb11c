"""Events as iCalendar and as the open-data CSV; news as an Atom feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from kyodo.community.models import Event, NewsPost
from kyodo.core import ics
from kyodo.core.cells import neutralise_row
from kyodo.core.i18n import in_language
from kyodo.core.templatetags.kyodo import render_markdown
from kyodo.core.text import normalise, one_line

TOKYO = ZoneInfo("Asia/Tokyo")
ICS_STATUS: dict[str, str] = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
}


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def status_note(event: Event) -> str:
    """The status in words, for feeds and the CSV's 開始日時特記事項 ("" when the event is as planned)."""
    if event.is_cancelled:
        return pgettext("event status", "Cancelled")
    if event.is_postponed:
        if event.postponed_to:
            return _("Postponed (new date: %(date)s)") % {"date": event.postponed_to.isoformat()}
        return _("Postponed (new date to be announced)")
    return ""


def _when(event: Event) -> tuple[dt.datetime | dt.date, dt.datetime | dt.date | None]:
    """(start, end) for iCalendar: aware Tokyo datetimes when there is a time, else whole days."""
    if event.start_time:
        start: dt.datetime = dt.datetime.combine(event.start_date, event.start_time, tzinfo=TOKYO)
        if event.end_time:
            end: dt.datetime | None = dt.datetime.combine(event.end_date, event.end_time, tzinfo=TOKYO)
        elif event.is_multi_day:
            end = dt.datetime.combine(event.end_date + dt.timedelta(days=1), dt.time(0), tzinfo=TOKYO)
        else:
            end = None
        return start, end
    # All-day: DTEND is exclusive, the day after the last day.
    return event.start_date, event.end_date + dt.timedelta(days=1)


def ics_entry(event: Event) -> ics.Entry:
    start, end = _when(event)
    note = status_note(event)
    description = "\n\n".join(part for part in (note, event.description) if part)
    location = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    summary = f"【{note}】{event.title}" if note else event.title
    return ics.Entry(
        uid=f"event-{event.pk}",
        summary=summary,
        start=start,
        end=end,
        description=description,
        location=location,
        url=absolute(reverse("community:event", args=[event.pk])),
        status=ICS_STATUS[event.status],
        sequence=event.sequence,
        categories=[event.get_category_display()],
    )


def events_ics(events: Iterable[Event], name: str) -> bytes:
    with translation.override("ja"):
        return ics.build([ics_entry(e) for e in events], name=name)


CSV_COLUMNS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名", "イベント名_カナ", "イベント名_英語",
    "開始日", "終了日", "開始時間", "終了時間", "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)", "連絡先名称",
    "連絡先電話番号", "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度", "アクセス方法", "駐車場情報",
    "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
]  # fmt: skip


def _d(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _t(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def csv_row(event: Event) -> list[str]:
    url = event.url_official or event.url_city or event.url_instagram
    return [
        settings.KYODO_MUNICIPALITY_CODE, str(event.pk), settings.KYODO_PREFECTURE, settings.KYODO_MUNICIPALITY,
        event.title, event.title_kana, event.title_en,
        _d(event.start_date), _d(event.end_date), _t(event.start_time), _t(event.end_time), status_note(event),
        event.description, event.fee_basic, event.fee_detail, event.contact_name,
        event.contact_phone, event.contact_extension, event.organizer, event.venue_name, event.venue_address,
        event.venue_extra, "" if event.latitude is None else str(event.latitude),
        "" if event.longitude is None else str(event.longitude), event.access, event.parking,
        "" if event.capacity is None else str(event.capacity), _d(event.apply_by_date), _t(event.apply_by_time),
        event.how_to_apply, url or absolute(reverse("community:event", args=[event.pk])), event.note,
    ]  # fmt: skip


def events_csv(events: Iterable[Event]) -> str:
    """The 自治体標準オープンデータセット イベント一覧 as UTF-8 with a BOM (so spreadsheet software reads it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    with translation.override("ja"):  # the open data is in Japanese whatever the page language
        for event in events:
            writer.writerow(neutralise_row(csv_row(event)))
    return "\ufeff" + out.getvalue()


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("News")
    subtitle = gettext_lazy("News from the citizen activity support center")

    def link(self) -> str:
        return reverse("community:news")

    def items(self) -> QuerySet[NewsPost]:
        return NewsPost.objects.published().order_by("-publish_at", "-id")[:20]

    # Feed items pass kyodo.core.text: XML 1.0 cannot carry the control characters text may hold.
    def item_title(self, item: NewsPost) -> str:
        return one_line(in_language(item, "title"))

    def item_description(self, item: NewsPost) -> str:
        return normalise(render_markdown(in_language(item, "body")))

    def item_link(self, item: NewsPost) -> str:
        return reverse("community:news_post", args=[item.pk])

    def item_pubdate(self, item: NewsPost) -> dt.datetime:
        return item.publish_at

    def item_updateddate(self, item: NewsPost) -> dt.datetime:
        return max(item.updated_at, item.publish_at)
