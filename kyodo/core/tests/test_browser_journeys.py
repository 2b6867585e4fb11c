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
from kyodo.core.tests.journeys import LOCALE, Walk, assert_valid_html, link_in, mail_to, path_of

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
    tmp_path, new_page, live_server, settings, consultation_hours, language
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
    assert_valid_html(tmp_path, walk)


# --- 2. A new association head signs up, registers a group and borrows the kit -----------------------

LENDING_TODAY = dt.date(2027, 6, 1)  # a Tuesday in a month without holidays; Mondays are closed


@pytest.fixture
def kit(db, monkeypatch):
    """The online-meeting kit (a camera and a mic speaker), lending's clock on LENDING_TODAY."""
    from kyodo.groups.models import ActivityField
    from kyodo.lending import services
    from kyodo.lending.models import EquipmentType, Kit, KitItem, Unit

    monkeypatch.setattr(services.clock, "today", lambda: LENDING_TODAY)
    cache.clear()
    location = make_location()
    ActivityField.objects.get_or_create(name="地域・町会", defaults={"name_en": "Neighbourhood associations"})
    camera = EquipmentType.objects.create(
        name="WEBカメラ（サンプル）", name_en="Web camera (sample)", category="camera", location=location,
        accessories="USBケーブル\nクリップ",
    )  # fmt: skip
    mic = EquipmentType.objects.create(
        name="マイクスピーカー（サンプル）", name_en="Mic speaker (sample)", category="audio", location=location,
        accessories="USBケーブル",
    )  # fmt: skip
    for n in (1, 2):
        Unit.objects.create(equipment_type=camera, asset_tag=f"CAM-00{n}")
        Unit.objects.create(equipment_type=mic, asset_tag=f"MIC-00{n}")
    kit = Kit.objects.create(
        name="オンライン総会セット", name_en="Online general meeting kit", location=location,
        use_case="町会の総会をオンラインで開催したい",
    )  # fmt: skip
    KitItem.objects.create(kit=kit, equipment_type=camera, quantity=1)
    KitItem.objects.create(kit=kit, equipment_type=mic, quantity=1)
    return kit


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_association_head_signs_up_registers_and_borrows_the_kit(
    tmp_path, new_page, live_server, settings, kit, language
):
    from kyodo.groups.models import Group
    from kyodo.lending.models import Reservation

    settings.SITE_URL = live_server.url
    staff = make_user("staff@example.jp", is_staff=True, is_coordinator=True)
    email = f"hanazono-{language}@example.jp"
    walk = _walk(new_page, "2-association", language)
    page = walk.page

    walk.go("/accounts/signup/", "signup")
    page.fill("input[name=name]", "花園 一郎")  # sign-up asks for the person's name
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", "a-long-pass-1234")
    page.fill("input[name=password2]", "a-long-pass-1234")
    walk.click("main form button[type=submit]", "verify-sent")
    walk.go(path_of(link_in(mail_to(email), r"/accounts/confirm-email/\S+")), "verify")
    walk.click("main form button[type=submit]", "verified")

    walk.go("/groups/register/", "register")
    page.fill("input[name=name]", "花園町会")
    page.fill("input[name=kana]", "はなぞのちょうかい")
    page.fill("input[name=representative]", "花園 一郎")
    page.fill("input[name=contact_email]", email)
    page.check("input[name=fields]")
    page.fill("input[name=member_count]", "120")
    walk.click("button[name=stage][value=review]", "register-review")
    assert "花園町会" in page.locator(".review-list").inner_text()
    assert not Group.objects.filter(name="花園町会").exists()
    walk.click("button[name=stage][value=commit]", "registered")
    group = Group.objects.get(name="花園町会")
    assert group.status == "pending"
    assert group.reference in page.content()  # 受付番号 on the page …
    mail_to(email, group.reference)  # … and in the mail

    desk = Walk(new_page(PHONE, locale=LOCALE[language]), "2-staff", language)
    from conftest import browser_login

    browser_login(desk.page, staff.email, prefix=desk.prefix)
    desk.go("/groups/review/", "review-list")
    desk.click(f"main a[href$='/groups/review/{group.pk}/']", "review")
    desk.click(f"form[action$='/groups/review/{group.pk}/approve/'] button[type=submit]", "approved")
    group.refresh_from_db()
    assert group.status == "approved"

    walk.go(f"/equipment/kits/{kit.pk}/", "kit")
    walk.click("a.start-request[href*='pickup=2027-06-03']", "request")
    assert page.input_value(f"#id_kit_{kit.pk}") == "1"
    assert page.input_value("#id_pickup_date") == "2027-06-03"
    page.fill("#id_return_date", "2027-06-05")
    page.fill("#id_purpose", "町会総会（オンライン）")
    page.fill("#id_audience_size", "45")
    walk.click("button[name=stage][value=review]", "request-review")
    assert "町会総会（オンライン）" in page.locator(".review-list").inner_text()
    assert not Reservation.objects.exists()
    walk.click("button[name=stage][value=commit]", "requested")
    reservation = Reservation.objects.get()
    assert reservation.group == group and reservation.items.count() == 2
    assert page.locator(".reference").inner_text() == reservation.reference
    assert page.locator("button[data-print]").is_visible()
    assert page.locator(f"a[href$='/equipment/reservations/{reservation.pk}.ics']").count() == 1
    mail_to(email, reservation.reference)
    ics = page.request.get(f"/equipment/reservations/{reservation.pk}.ics")
    assert ics.ok and b"BEGIN:VCALENDAR" in ics.body()
    assert_valid_html(tmp_path, walk, desk)


# --- 3. Staff run the counter -------------------------------------------------------------------------


def _approved_request(kit, group, user, staff, pickup, return_date):
    from kyodo.lending import services

    line = [services.Line(quantity=1, kit_id=kit.pk)]
    reservation = services.create_request(
        user, group, line, pickup, return_date, "総会", 30, day=LENDING_TODAY
    )
    services.approve(staff, reservation.pk, day=LENDING_TODAY)
    return reservation


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_run_the_counter(
    tmp_path, new_page, kit, group_a, member_a, group_b, member_b, monkeypatch, language
):
    from conftest import browser_login
    from kyodo.lending import services
    from kyodo.lending.models import Reservation, Unit

    staff = make_user("staff@example.jp", is_staff=True, is_coordinator=True)
    loan = _approved_request(kit, group_a, member_a, staff, dt.date(2027, 6, 3), dt.date(2027, 6, 5))
    line = [services.Line(quantity=1, kit_id=kit.pk)]
    request = services.create_request(
        member_b, group_b, line, dt.date(2027, 6, 10), dt.date(2027, 6, 12), "講座", 20, day=LENDING_TODAY
    )
    walk = _walk(new_page, "3-counter", language)
    page = walk.page
    browser_login(page, staff.email, prefix=walk.prefix)

    # A request declined: through its confirmation, which asks for the reason.
    walk.go("/equipment/staff/requests/", "requests")
    walk.click(f"main a[href$='/equipment/staff/requests/{request.pk}/']", "request")
    walk.click(f"a[href$='/equipment/staff/requests/{request.pk}/decline/']", "decline-confirm")
    assert request.reference in page.content()
    assert Reservation.objects.get(pk=request.pk).status == "requested"  # nothing changes before the button
    walk.click("main form button[type=submit]", "decline-empty")  # no reason given
    walk.errors_shown("id_reason")
    assert Reservation.objects.get(pk=request.pk).status == "requested"
    page.fill("#id_reason", "その日は点検のため貸し出せません。")
    walk.click("main form button[type=submit]", "declined")
    assert Reservation.objects.get(pk=request.pk).status == "declined"
    assert "その日は点検のため" in mail_to(member_b.email, request.reference).body

    # Pickup day: check out by unit code, with the accessories' checklist.
    monkeypatch.setattr(services.clock, "today", lambda: dt.date(2027, 6, 3))
    walk.go("/equipment/staff/counter/", "counter")
    walk.click(f"a[href$='/equipment/staff/checkout/{loan.pk}/']", "checkout")
    walk.click("main form button[type=submit]", "checkout-empty")
    walk.errors_shown("id_tags")
    page.fill("#id_tags", "CAM-009")  # a code that is no unit
    walk.click("main form button[type=submit]", "checkout-wrong")
    walk.errors_shown()
    assert Reservation.objects.get(pk=loan.pk).status == "approved"
    page.fill("#id_tags", "CAM-001\nmic-001")  # as a scanner types them, any case
    for box in page.locator("input[name=accessories]").all():
        box.check()
    walk.click("main form button[type=submit]", "checked-out")
    assert Reservation.objects.get(pk=loan.pk).status == "checked_out"

    # Return day: take back with the checklist; the mic's cable did not come back.
    monkeypatch.setattr(services.clock, "today", lambda: dt.date(2027, 6, 5))
    walk.go("/equipment/staff/counter/", "counter-return-day")
    walk.click(f"a[href$='/equipment/staff/return/{loan.pk}/']", "return")
    camera = loan.units.get(unit__asset_tag="CAM-001")
    for box in page.locator(f"input[name=acc_{camera.pk}]").all():
        box.check()
    walk.click("main form button[type=submit]", "returned")
    assert Reservation.objects.get(pk=loan.pk).status == "returned"
    assert Unit.objects.get(asset_tag="CAM-001").status == "in_service"
    mic = loan.units.get(unit__asset_tag="MIC-001")
    assert mic.missing_accessories() == ["USBケーブル"]  # recorded on the reservation and the unit
    assert camera.__class__.objects.get(pk=camera.pk).missing_accessories() == []
    assert_valid_html(tmp_path, walk)


# --- 4. The public reads events, searches the directory and sends a proposal --------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_reads_events_searches_groups_and_sends_a_proposal(
    tmp_path, new_page, location, group_a, member_a, group_b, language
):
    from kyodo.community.tests.helpers import make_event
    from kyodo.groups.models import Proposal

    cache.clear()
    event = make_event(title="まちなか清掃ウォーク", title_en="Town clean-up walk", group=group_a)
    walk = _walk(new_page, "4-public", language)
    page = walk.page

    walk.go("/", "home")
    walk.go("/events/", "events")
    walk.click(f"main a[href$='/events/{event.pk}/']", "event")
    assert page.locator(f"a[href$='/events/{event.pk}.ics']").count() == 1
    walk.go("/groups/", "directory")
    page.fill("#id_q", "えーちょう")  # the kana finds the group
    walk.click("main form[role=search] button[type=submit]", "search")
    results = page.locator("main h2 a").all_inner_texts()
    assert "A町会" in results and "Bサークル" not in results
    walk.click(f"main a[href$='/groups/{group_a.pk}/']", "group")

    page.fill("#id_sender_name", "協働 花子")
    page.fill("#id_sender_email", "hanako@example.jp")
    page.fill("#id_organisation", "まちづくりNPO")
    page.fill("#id_message", "一緒に清掃活動をしませんか。")
    walk.click("button[name=stage][value=review]", "proposal-review")
    assert "一緒に清掃活動をしませんか。" in page.locator(".review-list").inner_text()
    assert not Proposal.objects.exists()  # the review step sends nothing
    walk.click("button[name=stage][value=commit]", "proposal-sent")
    proposal = Proposal.objects.get()
    assert proposal.group == group_a
    assert proposal.reference in page.locator("main").inner_text()  # 受付番号 on the page …
    mail = mail_to(member_a.email, proposal.reference)  # … and in the mail the group gets
    assert "一緒に清掃活動をしませんか。" in mail.body and mail.reply_to == ["hanako@example.jp"]

    # Back to the review page and send again: the same one-time key makes nothing more.
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("button[name=stage][value=commit]").count() == 1, page.url
    walk.click("button[name=stage][value=commit]", "proposal-again")
    assert Proposal.objects.count() == 1
    assert proposal.reference in page.locator("main").inner_text()  # the first one's 受付番号 again
    assert_valid_html(tmp_path, walk)


# --- 5. Bad input everywhere ------------------------------------------------------------------------


def _send_twice_with_one_key(page):
    """What a double click or a flaky connection does: the review page's commit sent twice as it is
    (the same one-time key) — from the browser, with its cookies."""
    data = page.eval_on_selector(
        "form:has(button[name=stage][value=commit])", "f => Object.fromEntries(new FormData(f))"
    )
    data["stage"] = "commit"
    assert data.get("once"), "the review page carries the one-time key"
    answers = [page.request.post(page.url, form=data, max_redirects=0) for _ in range(2)]
    assert [a.status for a in answers] == [302, 302], [a.status for a in answers]


RESUBMIT = """([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  form.submit();
}"""


def _commit_then_back_and_resubmit(walk, done, again):
    """Apply from the review page, then go back and apply again. Where the review page was kept, its
    button is pressed again; where it was not (a POST's answer is not stored), the browser would offer
    to send the form again: the same fields, the same one-time key, are sent as it would."""
    page = walk.page
    action = page.url
    data = page.eval_on_selector(
        "form:has(button[name=stage][value=commit])", "f => Object.fromEntries(new FormData(f))"
    )
    data["stage"] = "commit"
    walk.click("button[name=stage][value=commit]", done)
    try:
        page.go_back()
        page.wait_for_load_state()
        kept = page.locator("button[name=stage][value=commit]").count() == 1
    except Exception as error:  # net::ERR_CACHE_MISS: "Confirm form resubmission"
        assert "ERR_CACHE_MISS" in str(error), error
        kept = False
    if kept:
        walk.click("button[name=stage][value=commit]", again)
    else:
        page.wait_for_url(lambda url: url.startswith("chrome-error:"))  # the browser's own error page
        page.goto(walk.seen[-1])  # a page of the site to send it from (the done page)
        with page.expect_navigation():
            page.evaluate(RESUBMIT, [action, data])
        walk.see(again)


@pytest.mark.parametrize("language", LANGUAGES)
def test_bad_input_everywhere(
    tmp_path, new_page, live_server, settings, consultation_hours, kit, group_a, member_a, language
):
    from conftest import browser_login
    from kyodo.groups.models import Group, Proposal
    from kyodo.lending.models import Reservation

    settings.SITE_URL = live_server.url
    topic = Topic.objects.get(name="機材の使い方")
    day = bookable_day(consultation_hours)
    walk = _walk(new_page, "5-bad-input", language)
    page = walk.page

    # The consultation: no topic chosen; then the details empty, then a wrong address.
    walk.go("/consultation/", "consultation-start")
    walk.click("main form button[type=submit]", "consultation-start-empty")
    walk.errors_shown("id_topic")
    walk.go(f"/consultation/?topic={topic.pk}&mode=online&date={day.isoformat()}", "consultation-times")
    walk.click("main a:has-text('11:00–12:00')", "consultation-details")
    walk.click("button[name=stage][value=review]", "consultation-details-empty")
    walk.errors_shown("id_name", "id_consent")
    page.fill("#id_name", "金沢 花子")
    page.fill("#id_kana", "かなざわ はなこ")
    page.fill("#id_email", "hanako@example")
    page.check("#id_consent")
    walk.click("button[name=stage][value=review]", "consultation-details-wrong")
    walk.errors_shown("id_email")
    assert not Consultation.objects.exists()
    page.fill("#id_email", "hanako@example.jp")
    walk.click("button[name=stage][value=review]", "consultation-review")
    _send_twice_with_one_key(page)
    assert Consultation.objects.count() == 1  # the same key never makes two
    _commit_then_back_and_resubmit(walk, "consultation-received", "consultation-again")
    assert Consultation.objects.count() == 1
    assert Consultation.objects.get().reference in page.content()

    # The sign-up, empty and then with a wrong address.
    walk.go("/accounts/signup/", "signup")
    walk.click("main form button[type=submit]", "signup-empty")
    walk.errors_shown("id_name", "id_email", "id_password1")
    page.fill("#id_name", "花園 一郎")
    page.fill("#id_email", "hanazono@")
    page.fill("#id_password1", "a-long-pass-1234")
    page.fill("#id_password2", "a-long-pass-1234")
    walk.click("main form button[type=submit]", "signup-wrong")
    walk.errors_shown("id_email")

    # A group's registration, empty and then with a wrong number; back and resubmit makes one.
    head = make_user(f"head-{language}@example.jp")
    browser_login(page, head.email, prefix=walk.prefix)
    walk.go("/groups/register/", "register")
    walk.click("button[name=stage][value=review]", "register-empty")
    walk.errors_shown("id_name", "id_representative")
    page.fill("input[name=name]", "花園町会")
    page.fill("input[name=kana]", "はなぞのちょうかい")
    page.fill("input[name=representative]", "花園 一郎")
    page.fill("input[name=contact_email]", head.email)
    page.check("input[name=fields]")
    page.fill("input[name=member_count]", "-3")
    walk.click("button[name=stage][value=review]", "register-wrong")
    walk.errors_shown("id_member_count")
    page.fill("input[name=member_count]", "120")
    walk.click("button[name=stage][value=review]", "register-review")
    _commit_then_back_and_resubmit(walk, "registered", "register-again")
    group = Group.objects.get(name="花園町会")
    assert Group.objects.filter(name="花園町会").count() == 1 and group.reference in page.content()

    # The kit's request, empty and then returning before the pickup; back and resubmit makes one.
    page.context.clear_cookies()  # signed out: the group's member signs in
    browser_login(page, member_a.email, prefix=walk.prefix)
    walk.go(f"/equipment/request/?kit={kit.pk}", "request")
    walk.click("button[name=stage][value=review]", "request-empty")
    walk.errors_shown("id_pickup_date", "id_purpose")
    page.fill("#id_pickup_date", "2027-06-05")
    page.fill("#id_return_date", "2027-06-03")
    page.fill("#id_purpose", "町会総会")
    walk.click("button[name=stage][value=review]", "request-wrong")
    walk.errors_shown()
    assert not Reservation.objects.exists()
    page.fill("#id_pickup_date", "2027-06-03")
    page.fill("#id_return_date", "2027-06-05")
    walk.click("button[name=stage][value=review]", "request-review")
    _send_twice_with_one_key(page)
    assert Reservation.objects.count() == 1
    _commit_then_back_and_resubmit(walk, "requested", "request-again")
    assert Reservation.objects.count() == 1

    # The proposal, empty and then with a wrong address.
    walk.go(f"/groups/{group_a.pk}/", "group")
    walk.click("button[name=stage][value=review]", "proposal-empty")
    walk.errors_shown("id_sender_name", "id_sender_email", "id_message")
    page.fill("#id_sender_name", "協働 花子")
    page.fill("#id_sender_email", "hanako.example.jp")
    page.fill("#id_message", "一緒に活動しませんか。")
    walk.click("button[name=stage][value=review]", "proposal-wrong")
    walk.errors_shown("id_sender_email")
    assert not Proposal.objects.exists()
    assert_valid_html(tmp_path, walk)
