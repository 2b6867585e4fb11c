"""Demo content from the newsletter (金沢市協働通信 vol.9): its news, both EVENT INFO events, the standing
notice, verbatim; plus a few sample upcoming events, marked 【サンプル】.

The groups and their interviews come from kyodo/groups/demo.py (loaded before this app)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from kyodo.community.models import Event, NewsPost, SiteNotice
from kyodo.groups.models import Group

TOKYO = ZoneInfo("Asia/Tokyo")
# The issue is from autumn 2021 (its events are in October and November); the day is not printed.
ISSUE_DATE = dt.date(2021, 10, 1)

NEWS_LENDING_BODY = (
    "様々な利用をサポートします！相談の予約は右上の二次元コードからどうぞ。\n\n"
    "新型コロナウイルス感染症の拡大により、これまでの対面での活動が制限され、活動のオンライン化が大きく進んだ団体がある一方、オンライン会議等に必要な機材が揃えられない、などのお悩みも多く寄せられました。そこで、市民活動サポートセンターでは、活動のオンライン化を支援するため、オンライン会議の開催やイベント等のインターネット配信に必要な、WEBカメラやマイクスピーカー等の機材の貸出を開始しました。機材の設定や利用のアドバイスなど、コーディネーターによるサポートも行いますので、まずはお気軽にご相談ください！\n\n"
    "【お問い合わせ】\n\n"
    "金沢市市民活動サポートセンター（金沢学生のまち市民交流館1F）  \n☎ 076-225-7763 ⚡ support_center@city.kanazawa.lg.jp\n\n"
    "- 町会の総会をオンラインで開催したい\n"
    "- 講演会やイベントをオンラインで配信したい\n"
)
NEWS_STUDENTS = "第12期\n金沢まちづくり学生会議\n出発式を行いました！"
NEWS_CHALLENGE = "令和3年度\n協働のまちづくりチャレンジ事業\n2次審査\nオンラインにて実施しました！"
NOTICE = "※新型コロナウイルス感染拡大状況により、中止・延期となる場合があります。\nイベントのホームページ・SNSなどでご確認ください。"


NOTICE_EN = (
    "* Events may be cancelled or postponed depending on the spread of COVID-19. "
    "Please check each event's website or social media."
)


def _at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TOKYO)


def _news():
    posts = [
        ("機材貸出サービスを開始しました！", "Equipment lending service started", NEWS_LENDING_BODY, True),
        ("第12期 金沢まちづくり学生会議 出発式を行いました！", "The 12th Kanazawa Student Council for Town Development held its launch ceremony", NEWS_STUDENTS, False),
        ("令和3年度 協働のまちづくりチャレンジ事業 2次審査 オンラインにて実施しました！", "FY2021 Collaborative Town Development Challenge: second screening held online", NEWS_CHALLENGE, False),
    ]  # fmt: skip
    for title, title_en, body, pinned in posts:
        NewsPost.objects.get_or_create(
            title=title,
            defaults={"title_en": title_en, "body": body, "pinned": pinned, "publish_at": _at(ISSUE_DATE)},
        )


NEWSLETTER_EVENTS = [
    {
        "title": "まちなか学生まつり", "title_en": "Machinaka Student Festival", "title_kana": "マチナカガクセイマツリ",
        "category": Event.Category.FESTIVAL, "start_date": dt.date(2021, 10, 23), "end_date": dt.date(2021, 10, 23),
        "venue_name": "木倉町広場", "venue_address": "石川県金沢市木倉町",
        "organizer_name": "金沢まちづくり学生会議",
        # The newsletter says "公式インスタグラムをチェック！" but prints no address; rather than guess the
        # account's handle we link the council's official site, which links its Instagram.
        "url_official": "https://km-gakuseikaigi.jp/",
        "note": "金沢まちづくり学生会議 公式インスタグラムをチェック！",
    },
    {
        "title": "Civic Tech Summit KANAZAWA 2021", "title_en": "Civic Tech Summit KANAZAWA 2021",
        "title_kana": "シビックテックサミットカナザワ2021", "category": Event.Category.LECTURE,
        "start_date": dt.date(2021, 11, 13), "end_date": dt.date(2021, 11, 13),
        "venue_name": "金沢未来のまち創造館", "venue_address": "石川県金沢市",
        "url_city": "https://www4.city.kanazawa.lg.jp/",
        "note": "金沢市公式ホームページをチェック！",
    },
]  # fmt: skip


def _sample_events(today):
    sample_group = Group.objects.filter(name="サンプル学生サークル（デモ）").first()
    center = "金沢市市民活動サポートセンター（サンプル会場）"
    return [
        {
            "title": "【サンプル】オンライン配信体験会", "title_en": "[Sample] Try live streaming",
            "title_kana": "オンラインハイシンタイケンカイ", "category": Event.Category.WORKSHOP,
            "start_date": today + dt.timedelta(days=12), "end_date": today + dt.timedelta(days=12),
            "start_time": dt.time(14), "end_time": dt.time(16), "venue_name": center,
            "venue_address": "金沢市（サンプル住所）", "group": sample_group, "fee_basic": "無料",
            "capacity": 10, "how_to_apply": "メールでお申し込みください（サンプル）。",
            "apply_by_date": today + dt.timedelta(days=9), "contact_name": "サンプル学生サークル",
            "contact_phone": "076-000-0000", "description": "これはデモ用のサンプルイベントです。",
        },
        {
            "title": "【サンプル】町会のためのオンライン総会入門", "title_en": "[Sample] Online general meetings for neighbourhood associations",
            "category": Event.Category.LECTURE, "start_date": today + dt.timedelta(days=20),
            "end_date": today + dt.timedelta(days=20), "start_time": dt.time(10), "end_time": dt.time(12),
            "venue_name": center, "organizer_name": "市民活動サポートセンター（サンプル）",
            "status": Event.Status.POSTPONED, "postponed_to": today + dt.timedelta(days=41),
            "description": "これはデモ用のサンプルイベントです（延期の表示例）。",
        },
        {
            "title": "【サンプル】ボランティア清掃デー", "title_en": "[Sample] Volunteer clean-up day",
            "category": Event.Category.VOLUNTEER, "start_date": today + dt.timedelta(days=27),
            "end_date": today + dt.timedelta(days=27), "venue_name": "金沢市内（サンプル）",
            "organizer_name": "サンプル実行委員会", "status": Event.Status.CANCELLED,
            "description": "これはデモ用のサンプルイベントです（中止の表示例）。",
        },
    ]  # fmt: skip


def _events(today):
    now = timezone.now()
    for data in NEWSLETTER_EVENTS:
        Event.objects.get_or_create(
            title=data["title"], start_date=data["start_date"],
            defaults={**data, "state": Event.State.PUBLISHED, "published_at": now},
        )  # fmt: skip
    for data in _sample_events(today):
        # Keyed by title only, so loading again on another day adds nothing.
        Event.objects.get_or_create(
            title=data["title"], defaults={**data, "state": Event.State.PUBLISHED, "published_at": now}
        )


def load(today=None):
    today = today or timezone.localdate()
    SiteNotice.objects.get_or_create(key="events", defaults={"text": NOTICE, "text_en": NOTICE_EN})
    _news()
    _events(today)
    return {}
