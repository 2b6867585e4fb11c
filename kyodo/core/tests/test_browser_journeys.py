"""The five journeys of issue 12, walked in the system Chromium at 375 px in Japanese (/) and English
(/en/): every page passes axe (nothing serious or critical) and fits the screen; the patterns are asserted
on the way (error summary shown, focused, linking to its field; review and confirmation steps; no
duplicate after back-and-resubmit; the 受付番号 on the page and in the mail). Screenshots of every page go
to var/shots/ (not committed) for a person to look at."""

import datetime as dt

import pytest
from django.core.cache import cache

from conftest import PHONE, make_location, make_user
from kyodo.consultations.models import Consultation, CoordinatorHours, Topic
from kyodo.consultations.tests.conftest import WORKDAYS, at, bookable_day
from kyodo.consultations.views import booking_url
from kyodo.core.tests.journeys import LOCALE, Walk, link_in, mail_to, path_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["ja", "en"]


def _walk(new_page, journey, language):
    return Walk(new_page(PHONE, locale=LOCALE[language]), journey, language)


@pytest.fixture
def consultation_hours(db):
    """A coordinator's hours Tuesday–Saturday 10:00–17:00 at the test location, and a topic."""
    cache.clear()  # rate-limit counters live in the database cache, which a flush keeps
    location = make_location()
    coordinator = make_user("coordinator@example.jp", is_staff=True, is_coordinator=True)
    for weekday in WORKDAYS:
        CoordinatorHours.objects.create(
            coordinator=coordinator, location=location, weekday=weekday, start=dt.time(10), end=dt.time(17)
        )
    Topic.objects.get_or_create(name="機材の使い方", defaults={"name_en": "Using the equipment", "order": 30})
    return location


# --- 1. A QR reader books, moves and cancels a consultation ------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_qr_reader_books_moves_and_cancels_a_consultation(
    new_page, live_server, settings, consultation_hours, language
):
    settings.SITE_URL = live_server.url
    topic = Topic.objects.get(name="機材の使い方")
    day = bookable_day(consultation_hours)
    later = bookable_day(consultation_hours, after_days=(day - dt.date.today()).days + 1)
    walk = _walk(new_page, "1-consultation", language)
    page = walk.page

    walk.go(booking_url(language), "start")  # exactly what the flyer's QR code holds
    page.check(f"input[name=topic][value='{topic.pk}']")
    page.check("input[name=mode][value=online]")
    walk.click("main form button[type=submit]", "days")
    walk.click(f".month-calendar a[href*='date={day.isoformat()}']", "times")
    walk.click("main a:has-text('10:00–11:00')", "details")
    page.fill("#id_name", "金沢 花子")
    page.fill("#id_kana", "かなざわ はなこ")
    page.fill("#id_email", "hanako@example.jp")
    page.check("#id_consent")
    walk.click("button[name=stage][value=review]", "review")
    assert "hanako@example.jp" in page.locator(".review-list").inner_text()
    assert not Consultation.objects.exists()  # the review step commits nothing
    walk.click("button[name=stage][value=commit]", "received")
    consultation = Consultation.objects.get()
    assert consultation.start == at(day, 10) and consultation.language == language
    assert page.locator(".reference").inner_text() == consultation.reference  # 受付番号 on the page
    assert "/consultation/b/" not in page.content()  # a 仮受付 never shows the manage link

    mail = mail_to("hanako@example.jp", consultation.reference)  # … and in the mail
    walk.go(link_in(mail, r"/consultation/confirm/[\w-]+/"), "confirm")
    assert Consultation.objects.get().status == "pending_confirmation"  # opening the link changes nothing
    walk.click("main form button[type=submit]", "confirmed")
    assert Consultation.objects.get().status == "booked"
    mail = mail_to("hanako@example.jp", "/consultation/b/")
    assert consultation.reference in mail.body
    manage = link_in(mail, r"/consultation/b/[\w-]+/")
    assert ("/en/" in manage) == (language == "en")

    walk.go(manage, "manage")
    assert consultation.reference in page.content()
    walk.click("a[href$='/move/']", "move-days")
    walk.click(f".month-calendar a[href*='date={later.isoformat()}']", "move-times")
    walk.click("button[name=start][value*='T14:00']", "move-confirm")
    changes = page.locator("table.before-after").inner_text()  # 変更前 → 変更後
    assert "10:00" in changes and "14:00" in changes
    assert Consultation.objects.get().start == at(day, 10)  # the confirmation moved nothing yet
    walk.click("main form button[type=submit]", "moved")
    assert Consultation.objects.get().start == at(later, 14)
    assert "14:00" in mail_to("hanako@example.jp", consultation.reference).body

    walk.click("a[href$='/cancel/']", "cancel-confirm")
    assert consultation.reference in page.content()
    assert Consultation.objects.get().status == "booked"  # nothing changes before the button
    walk.click("main form button[type=submit]", "cancelled")
    assert Consultation.objects.get().status == "cancelled"
    assert Consultation.objects.count() == 1
