"""The printable newsletter: staff only, the chosen items each with a QR code, the consultation QR on top."""

import datetime as dt

import pytest
from django.utils import timezone

from kyodo.community.tests.helpers import make_event, make_feature, make_news


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("staff", 200), ("admin", 200)],
)
def test_newsletter_is_staff_only(client_for, persona, expected):
    client = client_for(persona)
    assert client.get("/newsletter/").status_code == expected
    assert client.get("/newsletter/?issue=10&date=2026-12-01").status_code == expected


def test_printable_issue_has_items_qr_codes_and_consultation_qr(client_for, group_a, settings):
    settings.SITE_URL = "https://kyodo.example.jp"
    news = make_news(
        title="機材貸出サービスを開始しました！",
        body="WEBカメラやマイクスピーカー等の機材の貸出を開始しました。",
    )
    event = make_event(
        title="まちなか学生まつり", start_date=timezone.localdate() + dt.timedelta(days=3), status="postponed"
    )
    feature = make_feature(
        group_a, answers=("感染症対策を行なながら活動しています。", "柔軟な対応ができることが強みです。")
    )
    response = client_for("staff").get(
        "/newsletter/",
        {"issue": 10, "date": "2026-12-01", "news": [news.pk], "events": [event.pk], "feature": feature.pk},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "vol.10" in html and "2026年12月1日(火)" in html
    assert "機材貸出サービスを開始しました！" in html and "まちなか学生まつり" in html and "【延期" in html
    assert "感染症対策を行なながら活動しています。" in html and "A町会" in html
    assert html.count("<svg") == 4  # consultation + one per item
    assert response.context["consultation_url"] == "https://kyodo.example.jp/consultation/"
    urls = [item["url"] for item in response.context["news"] + response.context["events"]]
    assert urls == [
        f"https://kyodo.example.jp/news/{news.pk}/",
        f"https://kyodo.example.jp/events/{event.pk}/",
    ]
    assert response.context["feature"]["url"] == f"https://kyodo.example.jp/features/{feature.pk}/"
    assert (
        "@page"
        in open(__file__.replace("tests/test_newsletter.py", "static/community/newsletter.css")).read()
    )


def test_too_many_items_or_bad_input_is_400(client_for, db):
    news = [make_news(title=f"お知らせ{i}") for i in range(4)]
    events = [make_event(title=f"イベント{i}") for i in range(5)]
    client = client_for("staff")
    response = client.get("/newsletter/", {"issue": 1, "date": "2026-12-01", "news": [n.pk for n in news]})
    assert response.status_code == 400 and "3件まで" in response.content.decode()
    response = client.get(
        "/newsletter/", {"issue": 1, "date": "2026-12-01", "events": [e.pk for e in events]}
    )
    assert response.status_code == 400 and "4件まで" in response.content.decode()
    assert client.get("/newsletter/", {"issue": "x", "date": "2026-12-01"}).status_code == 400
    assert client.get("/newsletter/", {"issue": 1, "date": "someday"}).status_code == 400


def test_unpublished_items_cannot_be_printed(client_for, group_a):
    scheduled = make_news(title="予約", publish_at=timezone.now() + dt.timedelta(days=1))
    draft = make_event(title="下書き", state="draft")
    hidden = make_feature(group_a, published=False)
    client = client_for("staff")
    for params in ({"news": scheduled.pk}, {"events": draft.pk}, {"feature": hidden.pk}):
        assert client.get("/newsletter/", {"issue": 1, "date": "2026-12-01", **params}).status_code == 400
