"""Sample equipment, units, the newsletter's two kits and a few reservations around today.

Everything here is sample data (names marked （サンプル）). Reservations go through the services with the
date moved back, so every rule holds; an overdue loan sits with the second sample group, while the demo
member's group has none and may request. Idempotent: types, units and kits by natural key; reservations
only when the sample groups have none.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kyodo.core import calendar
from kyodo.core.errors import Unavailable
from kyodo.core.models import OutboundEmail, User
from kyodo.groups.models import Group
from kyodo.lending import services
from kyodo.lending.models import EquipmentType, Kit, KitItem, LendingRules, Reservation, Unit

ZOOM_GUIDE = """\
1. パソコンのUSB端子にケーブルをつなぎます（電源は不要です）。
2. Zoomを開き、**設定 → ビデオ** で「{name}」を選びます。
3. 画面に映る範囲を確かめ、必要なら三脚やクリップで高さを調整します。

困ったときは窓口のコーディネーターにご相談ください。"""

ZOOM_GUIDE_EN = """\
1. Plug the USB cable into the PC (no power supply needed).
2. In Zoom, open **Settings → Video** and choose "{name}".
3. Check what the camera sees; adjust the height with a tripod or the clip.

Ask a coordinator at the counter if anything is unclear."""

TYPES = [
    # name, name_en, category, tags prefix, units, accessories, specs, description
    ("WEBカメラ（サンプル）", "Web camera (sample)", "camera", "WC", 3, "USBケーブル\nクリップ台座",
     "フルHD 1080p／視野角90°／USB接続", "会議室全体を映せる広角のWEBカメラです。オンライン総会に。"),
    ("マイクスピーカー（サンプル）", "Mic speaker (sample)", "audio", "MS", 2, "USBケーブル\n収納ケース",
     "全方向マイク（半径3m）／エコーキャンセル／USB接続", "会場の声を拾い、相手の声を会場に流します。"),
    ("ビデオスイッチャー（サンプル）", "Video switcher (sample)", "switcher", "SW", 1,
     "電源アダプター\nHDMIケーブル×2\nUSBケーブル", "HDMI入力4系統／USB出力（配信用）",
     "複数のカメラやスライドを切り替えて配信できます。"),
    ("三脚（サンプル）", "Tripod (sample)", "tripod", "TP", 3, "収納袋", "高さ50〜160cm", "カメラ用の三脚です。"),
    ("プロジェクター（サンプル）", "Projector (sample)", "projector", "PJ", 1, "電源ケーブル\nHDMIケーブル\nリモコン",
     "3,000ルーメン／HDMI入力", "会場のスクリーンに映します。"),
    ("モバイルWi-Fiルーター（サンプル）", "Mobile Wi-Fi router (sample)", "network", "NW", 2, "充電ケーブル",
     "4G/5G／同時接続10台", "インターネット回線のない会場で使えます。"),
    ("ノートパソコン（サンプル）", "Laptop (sample)", "pc", "PC", 2, "電源アダプター\nマウス",
     "Windows／Zoomインストール済み", "Zoomの設定済みです。"),
]  # fmt: skip

KITS = [
    ("オンライン総会セット", "Online general meeting kit",
     "町会の総会をオンラインで開催したい", "Hold your neighbourhood association's general meeting online",
     [("WEBカメラ（サンプル）", 1), ("マイクスピーカー（サンプル）", 1), ("ノートパソコン（サンプル）", 1)]),
    ("配信セット", "Streaming kit",
     "講演会やイベントをオンラインで配信したい", "Stream a lecture or an event online",
     [("WEBカメラ（サンプル）", 2), ("ビデオスイッチャー（サンプル）", 1), ("三脚（サンプル）", 2),
      ("マイクスピーカー（サンプル）", 1), ("モバイルWi-Fiルーター（サンプル）", 1)]),
]  # fmt: skip

MEMBER_GROUP = "サンプル町会（デモ）"
STUDENT_GROUP = "サンプル学生サークル（デモ）"


def _catalogue(location):
    types = {}
    for order, (name, name_en, category, prefix, count, accessories, specs, description) in enumerate(TYPES):
        kind, _ = EquipmentType.objects.get_or_create(
            name=name,
            defaults={
                "name_en": name_en, "category": category, "location": location, "accessories": accessories,
                "specs": specs, "description": description, "order": order,
                "setup_guide": ZOOM_GUIDE.format(name=name) if category == "camera" else "",
                "setup_guide_en": ZOOM_GUIDE_EN.format(name=name_en) if category == "camera" else "",
            },
        )  # fmt: skip
        for n in range(1, count + 1):
            Unit.objects.get_or_create(
                asset_tag=f"{prefix}-{n:03d}",
                defaults={"equipment_type": kind, "serial": f"SAMPLE-{prefix}{n:04d}"},
            )
        types[name] = kind
    kits = {}
    for order, (name, name_en, use_case, use_case_en, items) in enumerate(KITS):
        kit, created = Kit.objects.get_or_create(
            name=name,
            defaults={"name_en": name_en, "use_case": use_case, "use_case_en": use_case_en, "location": location,
                      "order": order},
        )  # fmt: skip
        if created:
            for type_name, quantity in items:
                KitItem.objects.create(kit=kit, equipment_type=types[type_name], quantity=quantity)
        kits[name] = kit
    return types, kits


def _open_day(location, base, n):
    return calendar.add_open_days(location, base, n)


def _people():
    """(member group, member, student group, student, staff), or None when the groups demo did not run."""
    member_group = Group.objects.filter(name=MEMBER_GROUP).first()
    student_group = Group.objects.filter(name=STUDENT_GROUP).first()
    staff = (
        User.objects.filter(email="staff@example.jp").first() or User.objects.filter(is_staff=True).first()
    )
    if member_group is None or student_group is None or staff is None:
        return None
    member = member_group.memberships.select_related("user").first()
    student = student_group.memberships.select_related("user").first()
    if member is None or student is None:
        return None
    return member_group, member.user, student_group, student.user, staff


def _reservations(location, today, types, kits):
    """Each scenario is skipped when the calendar around `today` (year-end, holidays) breaks a rule."""
    people = _people()
    if people is None or Reservation.objects.filter(group__in=[people[0], people[2]]).exists():
        return
    for scenario in (_student_loans, _member_loans):
        try:
            with transaction.atomic():
                scenario(location, today, types, kits, *people)
        except (ValidationError, Unavailable):
            continue


def _student_loans(location, today, types, kits, member_group, member, student_group, student, staff):
    camera, mic, tripod = (
        types["WEBカメラ（サンプル）"],
        types["マイクスピーカー（サンプル）"],
        types["三脚（サンプル）"],
    )
    Line = services.Line
    # A tripod lent two weeks ago and never brought back (overdue)...
    past = today - dt.timedelta(days=16)
    pickup = _open_day(location, past, 2)
    ret = _open_day(location, pickup, 1)
    overdue = services.create_request(
        student, student_group, [Line(1, tripod.pk)], pickup, ret, "学園祭のライブ配信", 80, day=past
    )
    # ...and, asked the same day, a request for next week's event, still waiting for review.
    later = _open_day(location, today, 8)
    services.create_request(
        student, student_group, [Line(2, camera.pk), Line(1, mic.pk)], later, _open_day(location, later, 1),
        "新歓イベント配信", 40, day=past,
    )  # fmt: skip
    services.approve(staff, overdue.pk, day=past)
    services.checkout(staff, overdue.pk, [tripod.units.order_by("asset_tag").first().asset_tag], day=pickup)


def _member_loans(location, today, types, kits, member_group, member, student_group, student, staff):
    kit = kits["オンライン総会セット"]
    # Last month's board meeting, returned in good condition.
    past = today - dt.timedelta(days=30)
    pickup = _open_day(location, past, 3)
    ret = _open_day(location, pickup, 1)
    done = services.create_request(
        member,
        member_group,
        [services.Line(1, kit_id=kit.pk)],
        pickup,
        ret,
        "町会の役員会（オンライン）",
        12,
        day=past,
    )
    services.approve(staff, done.pk, day=past)
    services.checkout(staff, done.pk, ["WC-001", "MS-001", "PC-001"], day=pickup)
    services.return_loan(
        staff, done.pk, [services.ReturnedUnit(u.unit_id, []) for u in done.units.all()], day=ret
    )
    # The next general meeting, approved.
    pickup = _open_day(location, today, 5)
    upcoming = services.create_request(
        member, member_group, [services.Line(1, kit_id=kit.pk)], pickup, _open_day(location, pickup, 2),
        "町会総会（オンライン併用）", 60, day=today,
    )  # fmt: skip
    services.approve(staff, upcoming.pk, day=today)


def load(today=None):
    today = today or timezone.localdate()
    location = calendar.default_location()
    if location is None:
        return {}
    LendingRules.objects.get_or_create(location=location)
    types, kits = _catalogue(location)
    first_mail = OutboundEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _reservations(location, today, types, kits)
    # Sample reservations send no mail to the sample addresses.
    OutboundEmail.objects.filter(pk__gt=first_mail, subject__contains="#").delete()
    return {"equipment_types": types, "kits": kits}
