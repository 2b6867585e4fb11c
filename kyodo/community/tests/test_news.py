"""News: scheduled publishing, pinned posts, formatted bodies; the home page and staff blocks."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import PERSONAS
from kyodo.community.tests.helpers import make_event, make_news


@pytest.fixture
def posts(db):
    now = timezone.now()
    return {
        "old": make_news(title="古いお知らせ", publish_at=now - dt.timedelta(days=30)),
        "new": make_news(
            title="新しいお知らせ", publish_at=now - dt.timedelta(days=1), title_en="Fresh news"
        ),
        "pinned": make_news(title="固定のお知らせ", publish_at=now - dt.timedelta(days=60), pinned=True),
        "scheduled": make_news(title="予約のお知らせ", publish_at=now + dt.timedelta(days=2)),
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_news_list_per_persona(client_for, posts, persona, prefix):
    html = client_for(persona).get(prefix + "/news/").content.decode()
    assert "予約のお知らせ" not in html  # not even staff see scheduled posts on the public list
    order = [html.index(t) for t in ("固定のお知らせ", "古いお知らせ")]
    assert order == sorted(order)
    assert html.index("固定のお知らせ") < html.index(posts["new"].title if prefix == "" else "Fresh news")


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 404), ("member_a", 404), ("member_b", 404), ("staff", 200), ("admin", 200)],
)
def test_scheduled_post_is_hidden_until_its_time_except_to_staff(client_for, posts, persona, expected):
    client = client_for(persona)
    assert client.get(f"/news/{posts['scheduled'].pk}/").status_code == expected
    assert client.get(f"/news/{posts['new'].pk}/").status_code == 200
    assert client.get("/news/999999/").status_code == 404


def test_post_page_renders_markdown_safely_and_in_english(client, db):
    post = make_news(
        title="機材貸出", title_en="Equipment lending", body="- **WEBカメラ**\n- マイク\n\n<script>alert(1)</script>",
        body_en="We lend *cameras*.",
    )  # fmt: skip
    html = client.get(f"/news/{post.pk}/").content.decode()
    assert "<strong>WEBカメラ</strong>" in html and "<li>" in html and "<script>alert" not in html
    english = client.get(f"/en/news/{post.pk}/").content.decode()
    assert "Equipment lending" in english and "<em>cameras</em>" in english


def test_home_shows_latest_news_and_upcoming_events(client, posts, location):
    make_event(title="来週のワークショップ", start_date=timezone.localdate() + dt.timedelta(days=5))
    make_event(title="下書きのワークショップ", state="draft")
    make_event(title="去年の講座", start_date=dt.date(2021, 11, 13))
    html = client.get("/").content.decode()
    assert "新しいお知らせ" in html and "予約のお知らせ" not in html
    assert (
        "来週のワークショップ" in html and "下書きのワークショップ" not in html and "去年の講座" not in html
    )


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_staff_home_links_to_moderation_with_a_count(client_for, persona, group_a):
    make_event(title="確認待ち", group=group_a, state="submitted")
    html = client_for(persona).get("/staff/").content.decode()
    assert "/events/manage/" in html and "確認待ち 1 件" in html and "/newsletter/" in html


def test_my_page_offers_event_submission_to_members_only(client_for, client):
    assert "/events/new/" in client_for("member_a").get("/me/").content.decode()
    from conftest import make_user

    client.force_login(make_user("nogroup@example.jp"))
    assert "/events/new/" not in client.get("/me/").content.decode()
