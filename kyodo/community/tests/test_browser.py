"""Journeys in the system Chromium: event moderation end to end, an axe scan of every public page, and
the printed newsletter fitting on two A4 pages."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from conftest import DESKTOP, PHONE, axe_check, browser_login
from kyodo.community.models import Event, NewsPost
from kyodo.groups.models import Feature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, page.url


def test_event_moderation_journey(new_page, location, group_a, member_a, staff):
    when = timezone.localdate() + dt.timedelta(days=21)
    # A member submits an event for their group, on a phone.
    member = new_page(PHONE)
    browser_login(member, member_a.email)
    member.goto("/events/new/")
    axe_check(member)
    _no_horizontal_scroll(member, PHONE)
    member.fill("#id_title", "まちなか清掃ウォーク")
    member.select_option("#id_category", "volunteer")
    member.fill("#id_start_date", when.isoformat())
    member.fill("#id_venue_name", "金沢駅東広場")
    with member.expect_navigation():
        member.click("button[value=submit]")
    assert "まちなか清掃ウォーク" in member.locator(".review-list").inner_text()  # 確認画面 first
    assert not Event.objects.filter(title="まちなか清掃ウォーク").exists()
    axe_check(member)
    with member.expect_navigation():
        member.click("button[name=stage][value=commit]")
    assert "イベントの確認を職員に依頼しました" in member.content()
    event = Event.objects.get(title="まちなか清掃ウォーク")
    assert event.state == "submitted" and event.group == group_a
    axe_check(member)

    # Staff return it with a comment, on a desktop.
    desk = new_page(DESKTOP)
    browser_login(desk, staff.email)
    desk.goto("/events/manage/")
    axe_check(desk)
    desk.click("text=まちなか清掃ウォーク")
    desk.fill("#id_comment", "集合時間を書いてください。")
    with desk.expect_navigation():
        desk.click('form[action$="/return/"] button')
    assert "差し戻しました" in desk.content()
    event.refresh_from_db()
    assert event.state == "returned"

    # The member sees the comment, fixes the event and sends it again.
    member.goto(f"/events/{event.pk}/edit/")
    assert "集合時間を書いてください。" in member.content()
    axe_check(member)
    member.fill("#id_start_time", "09:30")
    with member.expect_navigation():
        member.click("button[value=submit]")
    event.refresh_from_db()
    assert event.state == "submitted" and event.start_time == dt.time(9, 30)

    # Staff publish it; everyone sees it on the list with its Japanese date.
    desk.goto(f"/events/{event.pk}/")
    with desk.expect_navigation():
        desk.click('form[action$="/publish/"] button')
    event.refresh_from_db()
    assert event.is_published
    public = new_page(PHONE)
    public.goto("/events/")
    text = public.content()
    assert "まちなか清掃ウォーク" in text
    weekday = "月火水木金土日"[when.weekday()]
    assert f"{when.year}年{when.month}月{when.day}日({weekday})" in text
    axe_check(public)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_pass_axe(new_page, viewport, prefix):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    event = Event.objects.get(title="【サンプル】町会のためのオンライン総会入門")  # postponed: the banner too
    feature = Feature.objects.first()
    post = NewsPost.objects.get(title="機材貸出サービスを開始しました！")
    paths = [
        "/", "/events/", "/events/archive/", f"/events/{event.pk}/", "/news/", f"/news/{post.pk}/",
        "/groups/", "/groups/?q=ふぃーか", f"/groups/{feature.group_id}/", "/features/", f"/features/{feature.pk}/",
    ]  # fmt: skip
    page = new_page(viewport)
    for path in paths:
        page.goto(prefix + path)
        axe_check(page)
        _no_horizontal_scroll(page, viewport)


def test_proposal_form_by_keyboard(new_page, location, group_a):
    page = new_page(PHONE)
    page.goto(f"/groups/{group_a.pk}/")
    page.focus("#id_sender_name")
    page.keyboard.type("協働 花子")
    page.keyboard.press("Tab")
    page.keyboard.type("hanako@example.jp")
    page.keyboard.press("Tab")
    page.keyboard.type("まちづくりNPO")
    page.keyboard.press("Tab")
    page.keyboard.type("一緒に活動しませんか。")
    page.keyboard.press("Tab")  # the honeypot is skipped: next stop is the button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "一緒に活動しませんか。" in page.locator(".review-list").inner_text()  # 確認画面 first
    page.focus("button[name=stage][value=commit]")  # 「この内容で申し込む」, by keyboard
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "提案を団体に送りました" in page.content()
    assert group_a.proposals.get().message == "一緒に活動しませんか。"


def test_newsletter_prints_on_at_most_two_a4_pages(new_page, location, staff):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    news = list(NewsPost.objects.published().values_list("pk", flat=True)[:3])
    events = list(Event.objects.published().upcoming().values_list("pk", flat=True)[:4])
    # The longest interview (ようこそ産前産後ケア) is the hardest to fit.
    feature = Feature.objects.get(group__name="ようこそ産前産後ケア～パパママ学級～")
    query = "&".join([f"news={n}" for n in news] + [f"events={e}" for e in events])
    page = new_page(DESKTOP)
    browser_login(page, staff.email)
    page.goto(f"/newsletter/?issue=10&date=2026-12-01&feature={feature.pk}&{query}")
    axe_check(page)
    assert page.locator("svg.qr").count() == 1 + len(news) + len(events) + 1
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, pages
