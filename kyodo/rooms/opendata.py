"""The rooms in the 自治体標準オープンデータセット 公共施設一覧 (24 columns, UTF-8 with a BOM): one row per
room, with the location's address, phone and opening days (月火水木金土日, hh:mm). Every cell passes
kyodo.core.cells; the location has no coordinates, so 緯度/経度 stay empty (the rules allow it)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from kyodo.core.cells import neutralise_row
from kyodo.core.dates import WEEKDAYS_JA
from kyodo.core.notify import absolute_url
from kyodo.rooms.models import Room

COLUMNS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ", "名称_通称", "POIコード",
    "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間",
    "利用可能日時特記事項", "説明", "バリアフリー情報", "URL", "備考",
]  # fmt: skip


def coordinate(value: Decimal | float | None) -> str:
    """6 decimals, as the dataset's rules ask (empty when unknown)."""
    return "" if value is None else f"{float(value):.6f}"


def _hours(room: Room) -> tuple[str, str, str]:
    hours = sorted(room.location.opening_hours.all(), key=lambda h: h.weekday)
    days = "".join(WEEKDAYS_JA[h.weekday] for h in hours)
    opens = min((h.opens for h in hours), default=None)
    closes = max((h.closes for h in hours), default=None)
    return days, opens.strftime("%H:%M") if opens else "", closes.strftime("%H:%M") if closes else ""


def row(number: int, room: Room) -> list[str]:
    location = room.location
    days, opens, closes = _hours(room)
    notes = []
    if location.closed_on_holidays:
        notes.append("祝日休館")
    if location.closed_at_year_end:
        notes.append("年末年始（12月29日〜1月3日）休館")
    area = f"、面積{room.area}㎡" if room.area else ""
    description = f"定員{room.capacity}人{area}。" + "・".join(room.equipment_list("ja"))
    code = str(settings.KYODO_MUNICIPALITY_CODE)
    return [
        code, f"{number:010d}",
        settings.KYODO_PREFECTURE, settings.KYODO_MUNICIPALITY, f"{location.name} {room.name}", "", location.short_name,
        "", location.address, room.name, coordinate(None), coordinate(None), location.phone, "", "", location.name,
        days, opens, closes, "、".join(notes), description, room.accessibility,
        absolute_url(reverse("rooms:room", args=[room.pk])), room.allowed_uses,
    ]  # fmt: skip


def facilities_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    rooms = Room.objects.active().select_related("location").prefetch_related("location__opening_hours")
    with translation.override("ja"):
        for number, room in enumerate(rooms.order_by("location", "order", "pk"), start=1):
            writer.writerow(neutralise_row(row(number, room)))
    return "\ufeff" + out.getvalue()
