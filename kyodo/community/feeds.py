"""Events as iCalendar and as the open-data CSV; news as an Atom feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
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
from kyodo.core.models import Location
from kyodo.core.templatetags.kyodo import render_markdown
from kyodo.core.text import normalise, one_line

TOKYO = ZoneInfo("Asia/Tokyo")
ICS_STATUS: dict[str, str] = {  # a postponed event with its new date known is CONFIRMED on that date
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


def moved_note(event: Event) -> str:
    """The status in words where the event is given under the date it takes place on (the calendar
    files): a postponed event's original date, since its new one is the DTSTART."""
    if event.is_moved:
        return _("Postponed (original date: %(date)s)") % {"date": event.start_date.isoformat()}
    return status_note(event)


def _when(event: Event) -> tuple[dt.datetime | dt.date, dt.datetime | dt.date | None]:
    """(start, end) for iCalendar: aware Tokyo datetimes when there is a time, else whole days; a
    postponed event on its new date."""
    first, last = event.held_start_date, event.held_end_date
    if event.start_time:
        start: dt.datetime = dt.datetime.combine(first, event.start_time, tzinfo=TOKYO)
        if event.end_time:
            end: dt.datetime | None = dt.datetime.combine(last, event.end_time, tzinfo=TOKYO)
        elif event.is_multi_day:
            end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=TOKYO)
        else:
            end = None
        return start, end
    # All-day: DTEND is exclusive, the day after the last day.
    return first, last + dt.timedelta(days=1)


def ics_entry(event: Event) -> ics.Entry:
    start, end = _when(event)
    note = moved_note(event)
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
        status="CONFIRMED" if event.is_moved else ICS_STATUS[event.status],
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


FREE_WORDS = ("無料", "free", "ただ")


def fee_number(text: str) -> int | None:
    """料金(基本) as the definition wants it, a number of yen: 0 for a free event ("無料"), the first
    amount written ("500円", "１，０００円〜"), None when nothing says what it costs."""
    plain = unicodedata.normalize("NFKC", text or "").strip()
    if not plain:
        return None
    if any(word in plain.lower() for word in FREE_WORDS):
        return 0
    amount = re.search(r"\d[\d,]*", plain)
    return int(amount.group(0).replace(",", "")) if amount else None


def _venue_address(event: Event, locations: Sequence[Location]) -> str:
    """The event's address; else the address of the location it is held at (a venue named like one of
    ours); else the municipality, so the required 住所 is never empty and never wrong."""
    if event.venue_address:
        return event.venue_address
    names = {event.venue_name.strip()}
    for location in locations:
        if names & {location.name, location.short_name, location.name_en}:
            return location.address
    return f"{settings.KYODO_PREFECTURE}{settings.KYODO_MUNICIPALITY}"


# The open data is a Japanese dataset whatever the page language: its words are written here in Japanese.
def _description(event: Event) -> str:
    """説明 is required: the event's own text, else what kind of event it is, where and who holds it."""
    if event.description.strip():
        return event.description
    parts = [str(event.get_category_display()), event.venue_name]
    if event.organizer:
        parts.append(f"主催：{event.organizer}")
    return "、".join(part for part in parts if part)


def _start_note(event: Event) -> str:
    """開始日時特記事項: the status (a postponed event is given under its new date, so its original date
    is said here), and 終日 for an event without times (開始時間 and 終了時間 then stay empty)."""
    notes = []
    if event.is_cancelled:
        notes.append("中止")
    elif event.is_moved:
        notes.append(f"延期（元の日程：{event.start_date.isoformat()}）")
    elif event.is_postponed:
        notes.append("延期（新しい日程は未定）")
    if event.start_time is None:
        notes.append("終日")
    return "、".join(notes)


def csv_row(event: Event, locations: Sequence[Location] = ()) -> list[str]:
    url = event.url_official or event.url_city or event.url_instagram
    fee = fee_number(event.fee_basic)
    # A fee written in words the number cannot hold ("500円〜1,000円" → 500) stays whole in 料金(詳細).
    detail = event.fee_detail
    if event.fee_basic and (
        fee is None or str(fee) != unicodedata.normalize("NFKC", event.fee_basic).strip()
    ):
        detail = "、".join(part for part in (event.fee_basic, event.fee_detail) if part)
    return [
        settings.KYODO_MUNICIPALITY_CODE, str(event.pk), settings.KYODO_PREFECTURE, settings.KYODO_MUNICIPALITY,
        event.title, event.title_kana or event.title, event.title_en,
        _d(event.held_start_date), _d(event.held_end_date), _t(event.start_time), _t(event.end_time),
        _start_note(event), _description(event), "0" if fee is None else str(fee), detail, event.contact_name,
        event.contact_phone, event.contact_extension, event.organizer, event.venue_name, _venue_address(event, locations),
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
    locations = list(Location.objects.all())  # a handful of rows, read once for every event's 住所
    with translation.override("ja"):  # the open data is in Japanese whatever the page language
        for event in events:
            writer.writerow(neutralise_row(csv_row(event, locations)))
    return "\ufeff" + out.getvalue()


class NewsFeed(Feed):
    """The news as Atom (RFC 4287): the center as author, ids and links built from settings.SITE_URL (not
    from the Host header the request came with, so they stay the same whoever asks, however), an updated
    time on the feed and on each entry."""

    feed_type = Atom1Feed
    title = gettext_lazy("News")
    subtitle = gettext_lazy("News from the citizen activity support center")

    def link(self) -> str:
        return absolute(reverse("community:news"))

    def feed_url(self) -> str:
        return absolute(reverse("community:news_feed"))

    def feed_guid(self) -> str:
        return absolute(reverse("community:news_feed"))

    def author_name(self) -> str:
        center = Location.objects.order_by("order", "id").first()
        return center.localized_name() if center is not None else "Kyodo"

    def author_link(self) -> str:
        return settings.SITE_URL + "/"

    def items(self) -> QuerySet[NewsPost]:
        return NewsPost.objects.published().order_by("-publish_at", "-id")[:20]

    def item_guid(self, item: NewsPost) -> str:
        # The same id in both languages: one post, whichever page the reader subscribed from.
        with translation.override("ja"):
            return absolute(reverse("community:news_post", args=[item.pk]))

    def item_guid_is_permalink(self, item: NewsPost) -> bool:
        return False

    # Feed items pass kyodo.core.text: XML 1.0 cannot carry the control characters text may hold.
    def item_title(self, item: NewsPost) -> str:
        return one_line(in_language(item, "title"))

    def item_description(self, item: NewsPost) -> str:
        return normalise(render_markdown(in_language(item, "body")))

    def item_link(self, item: NewsPost) -> str:
        return absolute(reverse("community:news_post", args=[item.pk]))

    def item_pubdate(self, item: NewsPost) -> dt.datetime:
        return item.publish_at

    def item_updateddate(self, item: NewsPost) -> dt.datetime:
        return max(item.updated_at, item.publish_at)
