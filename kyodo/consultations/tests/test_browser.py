"""Browser journeys on a phone (375×667): from the QR code's URL to the confirmation, then cancelling
from the e-mailed link; an axe scan of every page on the way, and of the other consultation pages."""

import re

import pytest

from conftest import DESKTOP, PHONE, axe_check, browser_login
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at
from kyodo.consultations.views import booking_url
from kyodo.core.models import OutboundEmail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, width):
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, page.url


LABELS = {
    "ja": {
        "topic": "機材の使い方", "mode": "オンライン", "next": "次へ：日にちを選ぶ", "name": "お名前",
        "kana": "フリガナ", "email": "メールアドレス", "consent": "個人情報の取り扱いに同意します。",
        "book": "この内容で予約する", "booked": "相談を予約しました", "cancel": "この予約をキャンセルする",
        "cancel_it": "相談予約をキャンセルする", "cancelled": "相談予約をキャンセルしました", "confirm": "メールアドレスを確認して予約する",
    },
    "en": {
        "topic": "Using the equipment", "mode": "Online", "next": "Next: choose a day", "name": "Name",
        "kana": "Name in katakana", "email": "E-mail", "consent": "I agree to the privacy notice.",
        "book": "Book this consultation", "booked": "Your consultation is booked", "cancel": "Cancel this consultation",
        "cancel_it": "Cancel the consultation", "cancelled": "Your consultation was cancelled", "confirm": "Confirm my e-mail address and book",
    },
}  # fmt: skip


@pytest.mark.parametrize("language", ["ja", "en"])
def test_book_from_the_qr_url_then_cancel_from_the_email(
    new_page, live_server, settings, day, topic, language
):
    settings.SITE_URL = live_server.url
    text = LABELS[language]
    page = new_page(PHONE)
    page.goto(booking_url(language))  # exactly what the QR code holds (?lang=en: the English page)
    check(page, PHONE["width"])
    page.get_by_label(text["topic"], exact=True).check()
    page.get_by_label(text["mode"], exact=True).check()
    page.get_by_role("button", name=text["next"]).click()
    check(page, PHONE["width"])
    page.locator(
        f".month-calendar a[href*='date={day.isoformat()}']"
    ).click()  # the calendar (a list follows)
    check(page, PHONE["width"])
    page.get_by_role("link", name="10:00–11:00").click()
    check(page, PHONE["width"])
    # The labels carry their 必須/任意 tag, so the fields are found by their ids.
    page.fill("#id_name", "金沢 花子")
    page.fill("#id_kana", "かなざわ はなこ")
    page.fill("#id_email", "hanako@example.jp")
    page.check("#id_consent")
    page.locator("button[name=stage][value=review]").click()  # 確認画面 (its words: NEW_MSGIDS_forms)
    page.wait_for_load_state()
    axe_check(page)
    page.locator("button[name=stage][value=commit]").click()
    page.wait_for_load_state()
    consultation = Consultation.objects.get()
    # A 仮受付: its page shows the 受付番号, never the manage link (issue 18).
    assert consultation.reference in page.content() and "/consultation/b/" not in page.content()
    assert "10:00–11:00" in page.content()
    check(page, PHONE["width"])
    assert consultation.start == at(day, 10) and consultation.mode == "online"
    assert consultation.language == language

    mail = OutboundEmail.objects.filter(to=["hanako@example.jp"]).latest("id")
    confirm = re.search(r"https?://\S+/consultation/confirm/[\w-]+/", mail.body).group(0)
    page.goto(confirm)
    check(page, PHONE["width"])
    assert Consultation.objects.get().status == "pending_confirmation"  # opening the link changed nothing
    page.get_by_role("button", name=text["confirm"]).click()
    page.wait_for_load_state()
    assert Consultation.objects.get().status == "booked"
    mail = OutboundEmail.objects.filter(to=["hanako@example.jp"]).latest("id")
    link = re.search(r"https?://\S+/consultation/b/[\w-]+/", mail.body).group(0)
    assert ("/en/" in link) == (language == "en")
    page.goto(link)
    check(page, PHONE["width"])
    assert Consultation.objects.get().status == "booked"  # opening the link changed nothing
    page.get_by_role("link", name=text["cancel"]).click()  # to the confirmation: nothing changes yet
    page.wait_for_url("**/cancel/")
    check(page, PHONE["width"])
    assert consultation.reference in page.content()
    assert Consultation.objects.get().status == "booked"
    page.get_by_role("button", name=text["cancel_it"]).click()
    page.wait_for_load_state()
    assert text["cancelled"] in page.content()
    check(page, PHONE["width"])
    assert Consultation.objects.get().status == "cancelled"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_other_pages_pass_axe(new_page, viewport, day, topic, staff):
    from kyodo.consultations import services
    from kyodo.consultations.tests.conftest import mailed_token, person

    c = services.book(day and topic and Consultation._meta.get_field("location").related_model.objects.first(),
                      at(day, 10), "in_person", topic, person())  # fmt: skip
    page = new_page(viewport)
    for path in ["/consultation/privacy/", "/en/consultation/privacy/", "/consultation/flyer/", "/en/consultation/",
                 f"/consultation/b/{c.manage_token}/move/", f"/consultation/b/{c.manage_token}/move/?date={day}",
                 f"/consultation/confirm/{mailed_token(c)}/"]:  # fmt: skip
        page.goto(path)
        check(page, viewport["width"])
    browser_login(page, staff.email)
    for path in ["/staff/", f"/consultation/staff/?view=week&date={day}", "/consultation/staff/new/",
                 f"/consultation/staff/{c.pk}/", "/me/"]:  # fmt: skip
        page.goto(path)
        check(page, viewport["width"])


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_day_calendar_fits_a_phone_and_never_breaks_a_date_on_the_desktop(new_page, day, topic, language):
    prefix = "/en" if language == "en" else ""
    for viewport in (PHONE, DESKTOP):
        page = new_page(viewport)
        page.goto(f"{prefix}/consultation/?topic={topic.pk}&mode=online")
        check(page, viewport["width"])
        assert page.locator(".month-calendar td a").count() > 0
        page.locator(".day-list summary").first.click()
        check(page, viewport["width"])
        # Each date of the list is one line: an inline box broken inside the date would have two rects.
        rects = page.eval_on_selector_all(".day-list .date", "els => els.map(e => e.getClientRects().length)")
        assert rects and set(rects) == {1}, rects
        page.locator(f".month-calendar a[href*='date={day.isoformat()}']").click()
        page.wait_for_url(f"**date={day.isoformat()}")
        check(page, viewport["width"])
