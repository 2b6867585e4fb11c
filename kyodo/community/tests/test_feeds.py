"""The events as iCalendar, open-data CSV and JSON; the news as Atom. Parsed back, not string-matched."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from conftest import PERSONAS
from kyodo.community.feeds import CSV_COLUMNS
from kyodo.community.tests.helpers import make_event, make_news

TOKYO = ZoneInfo("Asia/Tokyo")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def events(db, group_a):
    return {
        "timed": make_event(
            title="Civic Tech Summit KANAZAWA 2021", title_kana="シビックテックサミット", title_en="Civic Tech Summit",
            start_date=dt.date(2021, 11, 13), start_time=dt.time(13, 30), end_time=dt.time(17),
            venue_name="金沢未来のまち創造館", venue_address="金沢市", latitude="36.561300", longitude="136.656200",
            url_city="https://www4.city.kanazawa.lg.jp/", fee_basic="無料", capacity=100,
            apply_by_date=dt.date(2021, 11, 10), apply_by_time=dt.time(17), contact_phone="076-220-2026",
            contact_extension="123", group=group_a,
        ),
        "allday": make_event(
            title="まちなか学生まつり", start_date=dt.date(2021, 10, 23), end_date=dt.date(2021, 10, 24),
            venue_name="木倉町広場", organizer_name="金沢まちづくり学生会議", status="postponed",
            postponed_to=dt.date(2021, 12, 4),
        ),
        "cancelled": make_event(title="中止の会", start_date=dt.date(2021, 12, 1), status="cancelled"),
        "draft": make_event(title="下書きの会", start_date=dt.date(2021, 12, 2), state="draft", group=group_a),
    }  # fmt: skip


def _vevents(content):
    calendar = Calendar.from_ical(content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}, calendar


def test_events_ics_parses_back_with_tokyo_times_and_statuses(client, events):
    response = client.get("/events.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    vevents, calendar = _vevents(response.content)
    assert len(vevents) == 3  # the draft is not in the feed
    timed = vevents[f"event-{events['timed'].pk}@kyodo"]
    assert timed.decoded("DTSTART") == dt.datetime(2021, 11, 13, 13, 30, tzinfo=TOKYO)
    assert timed.decoded("DTSTART").utcoffset() == dt.timedelta(hours=9)
    assert timed.decoded("DTEND") == dt.datetime(2021, 11, 13, 17, 0, tzinfo=TOKYO)
    assert str(timed["STATUS"]) == "CONFIRMED"
    assert "金沢未来のまち創造館" in str(timed["LOCATION"])
    assert calendar.walk("VTIMEZONE") and str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Asia/Tokyo"
    allday = vevents[f"event-{events['allday'].pk}@kyodo"]
    assert allday.decoded("DTSTART") == dt.date(2021, 12, 4)  # postponed: on its new date, two days long
    assert allday.decoded("DTEND") == dt.date(2021, 12, 6)  # exclusive end of a two-day event
    assert str(allday["STATUS"]) == "CONFIRMED" and "2021-10-23" in str(allday["DESCRIPTION"])
    assert str(vevents[f"event-{events['cancelled'].pk}@kyodo"]["STATUS"]) == "CANCELLED"
    assert str(vevents[f"event-{events['cancelled'].pk}@kyodo"]["SUMMARY"]).startswith("【中止】")


def test_english_prefix_serves_the_same_feed(client, events):
    vevents, _ = _vevents(client.get("/en/events.ics").content)
    assert len(vevents) == 3


def test_one_event_ics_and_the_draft_is_404(client, events):
    vevents, _ = _vevents(client.get(f"/events/{events['timed'].pk}.ics").content)
    assert list(vevents) == [f"event-{events['timed'].pk}@kyodo"]
    assert client.get(f"/events/{events['draft'].pk}.ics").status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_feeds_are_the_same_for_every_persona(client_for, events, persona):
    client = client_for(persona)
    vevents, _ = _vevents(client.get("/events.ics").content)
    assert f"event-{events['draft'].pk}@kyodo" not in vevents
    assert "下書きの会" not in client.get("/events.csv").content.decode("utf-8-sig")
    assert client.get(f"/events/{events['draft'].pk}.ics").status_code == 404
    data = client.get("/api/v1/events").json()
    assert {e["id"] for e in data} == {events[k].pk for k in ("timed", "allday", "cancelled")}


def test_csv_has_the_open_data_layout(client, events, settings):
    settings.KYODO_MUNICIPALITY_CODE = "172014"
    response = client.get("/events.csv")
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # UTF-8 with BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header == CSV_COLUMNS
    assert header[:4] == ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名"]
    assert header[-2:] == ["URL", "備考"] and len(header) == 32
    assert len(body) == 3
    by_name = {
        dict(zip(header, row, strict=True))["イベント名"]: dict(zip(header, row, strict=True)) for row in body
    }
    timed = by_name["Civic Tech Summit KANAZAWA 2021"]
    assert timed["都道府県コード又は市区町村コード"] == "172014"
    assert timed["都道府県名"] == "石川県" and timed["市区町村名"] == "金沢市"
    assert timed["NO"] == str(events["timed"].pk)
    assert (
        timed["イベント名_カナ"] == "シビックテックサミット"
        and timed["イベント名_英語"] == "Civic Tech Summit"
    )
    assert (timed["開始日"], timed["終了日"], timed["開始時間"], timed["終了時間"]) == (
        "2021-11-13", "2021-11-13", "13:30", "17:00",
    )  # fmt: skip
    assert timed["開始日時特記事項"] == ""
    assert (timed["緯度"], timed["経度"]) == ("36.561300", "136.656200")
    assert timed["定員"] == "100" and timed["料金(基本)"] == "0"  # a number: 無料 is 0
    assert timed["参加申込終了日"] == "2021-11-10" and timed["参加申込終了時間"] == "17:00"
    assert timed["連絡先電話番号"] == "076-220-2026" and timed["連絡先内線番号"] == "123"
    assert timed["主催者"] == "A町会" and timed["URL"] == "https://www4.city.kanazawa.lg.jp/"
    allday = by_name["まちなか学生まつり"]  # postponed: under its new date, the two days kept
    assert (allday["開始日"], allday["終了日"]) == ("2021-12-04", "2021-12-05")
    assert allday["開始時間"] == "" and allday["終了時間"] == ""
    assert allday["開始日時特記事項"] == "延期（元の日程：2021-10-23）、終日"
    assert allday["主催者"] == "金沢まちづくり学生会議"
    assert allday["URL"].endswith(f"/events/{events['allday'].pk}/")  # no link of its own: our page
    assert by_name["中止の会"]["開始日時特記事項"] == "中止、終日"


REQUIRED_COLUMNS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "イベント名", "イベント名_カナ", "開始日",
    "終了日", "説明", "料金(基本)", "場所名称", "住所", "URL",
]  # fmt: skip


def _csv_rows(client):
    rows = list(csv.reader(io.StringIO(client.get("/events.csv").content.decode("utf-8-sig"))))
    return {row[4]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_csv_fills_every_required_column_even_for_a_bare_event(client, location):
    make_event(title="はだかの会", title_kana="", description="", venue_name=location.name, fee_basic="")
    make_event(
        title="町の会", venue_name="どこかの公民館", fee_basic="１，５００円〜2,000円", fee_detail="学生半額"
    )
    rows = _csv_rows(client)
    bare = rows["はだかの会"]
    assert [name for name in REQUIRED_COLUMNS if not bare[name].strip()] == []
    assert bare["住所"] == location.address  # held at our location: its address
    assert bare["イベント名_カナ"] == "はだかの会" and bare["料金(基本)"] == "0"
    assert "その他" in bare["説明"] and location.name in bare["説明"]
    town = rows["町の会"]
    assert town["住所"] == "石川県金沢市"  # somewhere else without an address: the municipality
    assert town["料金(基本)"] == "1500" and town["料金(詳細)"] == "１，５００円〜2,000円、学生半額"


def test_csv_stays_japanese_under_the_english_prefix(client, events):
    text = client.get("/en/events.csv").content.decode("utf-8-sig")
    assert "延期（元の日程：2021-10-23）" in text and "中止" in text


def test_csv_and_ics_with_no_events(client, db):
    rows = list(csv.reader(io.StringIO(client.get("/events.csv").content.decode("utf-8-sig"))))
    assert rows == [CSV_COLUMNS]
    vevents, _ = _vevents(client.get("/events.ics").content)
    assert vevents == {}


# --- JSON API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_lists_published_events_for_everyone(api_client_for, events, persona):
    response = api_client_for(persona).get("/api/v1/events")
    assert response.status_code == 200
    titles = [e["title"] for e in response.json()]
    assert titles == ["まちなか学生まつり", "Civic Tech Summit KANAZAWA 2021", "中止の会"]


def test_api_filters_by_date_range_status_and_category(client, events):
    def titles(query):
        response = client.get(f"/api/v1/events?{query}")
        assert response.status_code == 200, response.content
        return {e["title"] for e in response.json()}

    assert titles("start=2021-11-01&end=2021-11-30") == {"Civic Tech Summit KANAZAWA 2021"}
    # まちなか学生まつり (10/23–24) was postponed to 12/4: it is found on its new date only.
    assert titles("start=2021-10-24&end=2021-10-24") == set()
    assert titles("start=2021-12-04&end=2021-12-04") == {"まちなか学生まつり"}
    assert titles("end=2021-10-31") == set()
    assert titles("start=2021-11-14") == {"中止の会", "まちなか学生まつり"}
    assert titles("status=cancelled") == {"中止の会"}
    assert titles("status=postponed") == {"まちなか学生まつり"}
    assert titles("category=other") == {"まちなか学生まつり", "Civic Tech Summit KANAZAWA 2021", "中止の会"}


def test_api_event_fields(client, events):
    item = client.get(f"/api/v1/events/{events['allday'].pk}").json()
    assert item["status"] == "postponed" and item["postponed_to"] == "2021-12-04"
    assert item["status_note"] == "延期（新しい日程：2021-12-04）"
    assert item["organizer"] == "金沢まちづくり学生会議"
    assert item["url"].endswith(f"/events/{events['allday'].pk}/")
    assert item["ics_url"].endswith(f"/events/{events['allday'].pk}.ics")
    timed = client.get(f"/api/v1/events/{events['timed'].pk}").json()
    assert timed["start_time"] == "13:30" and timed["latitude"] == pytest.approx(36.5613)


@pytest.mark.parametrize(
    "query", ["start=2021-13-01", "status=maybe", "start=2021-11-30&end=2021-11-01", "category=x"]
)
def test_api_bad_input_is_422(client, events, query):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_api_unknown_or_unpublished_event_is_404(api_client_for, events):
    for persona in ("anonymous", "member_a", "staff"):
        client = api_client_for(persona)
        assert client.get(f"/api/v1/events/{events['draft'].pk}").status_code == 404
        assert client.get("/api/v1/events/999999").status_code == 404


# --- Atom -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_news_atom_feed_parses_and_hides_scheduled_posts(client_for, persona):
    make_news(title="機材貸出サービスを開始しました！", body="**WEBカメラ**の貸出を開始しました。")
    make_news(title="予約投稿", publish_at=dt.datetime(2100, 1, 1, tzinfo=TOKYO))
    response = client_for(persona).get("/news/feed/")
    assert response.status_code == 200 and "atom" in response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["機材貸出サービスを開始しました！"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href").startswith("http")
    assert "<strong>WEBカメラ</strong>" in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}updated").text


def test_every_event_calendar_passes_a_second_reader(client, events, group_a, member_a, staff):
    """The feed, one event's file and the mail an organiser gets, read back by vobject and checked line by
    line (kyodo.core.tests.icalcheck): no COMMENT left in VTIMEZONE, an ORGANIZER where METHOD is set."""
    import base64

    from kyodo.community import services
    from kyodo.core.models import OutboundEmail
    from kyodo.core.tests.icalcheck import problems, sequences

    files = [client.get("/events.ics").content, client.get(f"/events/{events['timed'].pk}.ics").content]
    event = services.create_event(member_a, {"title": "清掃", "venue_name": "公園", "start_date": dt.date(2031, 5, 1),
                                             "end_date": dt.date(2031, 5, 1), "start_time": dt.time(9)},
                                  group=group_a, submit=True)  # fmt: skip
    services.publish_event(staff, event.pk)
    mail = OutboundEmail.objects.get(to=[member_a.email], attachments__isnull=False, subject__contains="公開")
    invitation = base64.b64decode(mail.attachments[0]["content"])
    assert b"METHOD:PUBLISH" in invitation and b"ORGANIZER" in invitation
    for raw in [*files, invitation]:
        assert problems(raw) == []
    assert b"BEGIN:VTIMEZONE" in files[0] and b"COMMENT" not in files[0]
    # A change to a published event raises its SEQUENCE in the feed.
    uid = f"event-{event.pk}@kyodo"
    before = sequences(client.get("/events.ics").content)[uid]
    services.update_event(staff, event.pk, {"title": "清掃（雨天延期）"})
    assert sequences(client.get("/events.ics").content)[uid] == before + 1


def test_news_feed_follows_rfc_4287_with_ids_from_site_url(client, settings, location):
    """Read by feedparser and held to RFC 4287's rules: an author (the center), an id and an updated on
    the feed and on each entry; the ids and links come from SITE_URL, whatever Host the request carried."""
    import feedparser

    settings.SITE_URL = "https://kyodo.example.jp"
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    post = make_news(title="機材貸出サービスを開始しました！")
    bodies = [client.get("/news/feed/").content, client.get("/news/feed/", HTTP_HOST="other.example").content]
    assert bodies[0] == bodies[1]  # nothing depends on the Host header
    parsed = feedparser.parse(bodies[0])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.author == location.name and parsed.feed.id == "https://kyodo.example.jp/news/feed/"
    assert parsed.feed.updated_parsed is not None
    assert any(
        link.rel == "self" and link.href == "https://kyodo.example.jp/news/feed/"
        for link in parsed.feed.links
    )
    (entry,) = parsed.entries
    assert entry.id == f"https://kyodo.example.jp/news/{post.pk}/" and entry.updated_parsed is not None
    assert entry.link == f"https://kyodo.example.jp/news/{post.pk}/"
    # RFC 4287 4.1.1/4.1.2 by hand: atom:feed and every atom:entry carry exactly one id, title and updated.
    root = ET.fromstring(bodies[0])
    for element in [root, *root.findall(f"{ATOM}entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1, (element.tag, name)
    assert root.find(f"{ATOM}author/{ATOM}name").text == location.name
    # The English feed names the same entry with the same id.
    english = feedparser.parse(client.get("/en/news/feed/").content)
    assert english.entries[0].id == entry.id and english.entries[0].link.endswith(f"/en/news/{post.pk}/")
