"""Every consultation page for every persona: who gets what, and that nothing leaks."""

import datetime as dt
from urllib.parse import quote

import pytest
import segno
from django.utils import timezone

from conftest import PERSONAS
from kyodo.consultations import services
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at, bookable_day, confirm_from_mail, mailed_token, person
from kyodo.core.models import OutboundEmail


def book_for(location, start, topic, user=None, **overrides):
    """A booking the person has confirmed from the mail (anonymous bookings are 仮受付 until then)."""
    return confirm_from_mail(
        services.book(location, start, "in_person", topic, person(**overrides), user=user)
    )


def details_url(topic, start, mode="in_person"):
    return f"/consultation/book/?topic={topic.pk}&mode={mode}&start={quote(start.isoformat())}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_booking_pages_answer_everyone(client_for, persona, prefix, hours, day, topic):
    client = client_for(persona)
    assert client.get(f"{prefix}/consultation/").status_code == 200
    days = client.get(f"{prefix}/consultation/?topic={topic.pk}&mode=online")
    assert days.status_code == 200
    assert f"date={day.isoformat()}" in days.content.decode()
    times = client.get(f"{prefix}/consultation/?topic={topic.pk}&mode=online&date={day.isoformat()}")
    assert times.status_code == 200 and "10:00" in times.content.decode()
    assert client.get(prefix + details_url(topic, at(day, 10))).status_code == 200
    for path in [
        "/consultation/privacy/",
        "/consultation/flyer/",
        "/consultation/qr.svg",
        "/consultation/qr.png",
    ]:
        assert client.get(prefix + path).status_code == 200, path


def test_pages_are_japanese_and_english(client, hours, topic):
    ja = client.get("/consultation/").content.decode()
    en = client.get("/en/consultation/").content.decode()
    assert "相談を予約する" in ja and "機材の使い方" in ja and "来館" in ja
    assert "Book a consultation" in en and "Using the equipment" in en and "In person" in en


def test_days_list_only_days_with_free_times(client, hours, day, topic, staff, coordinator2):
    for coordinator in (staff, coordinator2):
        for hour in range(10, 17):
            services.book(
                hours, at(day, hour), "in_person", topic, person(), actor=staff, coordinator=coordinator
            )
    html = client.get(f"/consultation/?topic={topic.pk}&mode=phone").content.decode()
    assert f"date={day.isoformat()}" not in html
    following = bookable_day(hours, after_days=(day - timezone.localdate()).days + 1)
    assert f"date={following.isoformat()}" in html  # the next working day is still offered
    full = client.get(f"/consultation/?topic={topic.pk}&mode=phone&date={day.isoformat()}")
    assert full.status_code == 404


def test_bad_choices_are_400_not_500(client, hours, topic):
    assert client.get("/consultation/?topic=999&mode=carrier").status_code == 400
    assert client.get(f"/consultation/?topic={topic.pk}&mode=phone&date=garbage").status_code == 200
    assert client.get("/consultation/?location=abc").status_code == 404
    assert client.get("/consultation/book/?topic=x&start=nonsense").status_code == 302


def test_booking_through_the_form_then_the_mail_then_the_manage_page(client, hours, day, topic):
    """The page shows the 受付番号 and the hold's end, never the manage link; the mail's link confirms
    (changed with issue 18: the form used to redirect to the manage link)."""
    response = client.post(details_url(topic, at(day, 10)), person(consent="on"))
    assert response.status_code == 302 and response["Location"] == "/consultation/received/"
    consultation = Consultation.objects.get()
    assert consultation.status == "pending_confirmation"
    page = client.get(response["Location"]).content.decode()
    assert (
        consultation.reference in page
        and timezone.localtime(consultation.held_until).strftime("%H:%M") in page
    )
    assert consultation.manage_token not in page and "/consultation/b/" not in page and ".ics" not in page
    confirm_url = f"/consultation/confirm/{mailed_token(consultation)}/"
    for _ in range(3):  # a mail scanner following the link
        assert client.get(confirm_url).status_code == 200
    assert Consultation.objects.get().status == "pending_confirmation"
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert response["Location"] == f"/consultation/b/{consultation.manage_token}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "金沢 花子" in html and "予約済み" in html
    assert "10:00–11:00" in html  # read back from the database (UTC) and shown in Asia/Tokyo
    assert "noindex" in html
    assert client.post(confirm_url).status_code == 404  # single-purpose: used


def test_form_errors_are_400_and_write_nothing(client, hours, day, topic):
    response = client.post(details_url(topic, at(day, 10)), person(consent="", email="bad"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "個人情報の取り扱いへの同意が必要です。" in html and "正しいメールアドレス" in html
    assert not Consultation.objects.exists() and not OutboundEmail.objects.exists()


def test_honeypot_and_rate_limit_messages(client, hours, day, topic, settings, monkeypatch):
    response = client.post(details_url(topic, at(day, 10)), person(consent="on", website="x"))
    assert response.status_code == 400 and "お電話" in response.content.decode()
    settings.RATE_LIMITS_ON = True
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_IP", "1/3600")
    assert client.post(details_url(topic, at(day, 10)), person(consent="on")).status_code == 302
    limited = client.post(details_url(topic, at(day, 11)), person(consent="on", email="x@example.jp"))
    assert limited.status_code == 429 and "076-000-0000" in limited.content.decode()  # the center's phone
    assert 0 < int(limited["Retry-After"]) <= 3600


def test_taken_slot_is_409_with_a_way_back(client, hours, day, topic, staff, coordinator2):
    for coordinator in (staff, coordinator2):
        services.book(hours, at(day, 10), "in_person", topic, person(), actor=staff, coordinator=coordinator)
    response = client.post(details_url(topic, at(day, 10)), person(consent="on", email="late@example.jp"))
    assert response.status_code == 409
    assert "別の時間を選ぶ" in response.content.decode()


def test_signed_in_person_gets_prefilled_form_and_sees_own_bookings_only(
    client_for, hours, day, topic, member_a, member_b
):
    member_a.name = "会員 A"
    member_a.save()
    client_a = client_for("member_a")
    html = client_a.get(details_url(topic, at(day, 10))).content.decode()
    assert 'value="会員 A"' in html and 'value="member-a@example.jp"' in html
    client_a.post(
        details_url(topic, at(day, 10)), person(name="会員 A", email="member-a@example.jp", consent="on")
    )
    mine = Consultation.objects.get()
    assert mine.user == member_a
    assert mine.manage_token in client_a.get("/me/").content.decode()
    other = client_for("member_b").get("/me/").content.decode()
    assert mine.manage_token not in other and "今後の相談予約はありません" in other


def test_manage_get_changes_nothing_and_post_cancels(client, hours, day, topic):
    consultation = book_for(hours, at(day, 10), topic)
    url = f"/consultation/b/{consultation.manage_token}/"
    for _ in range(3):  # a mail scanner following the link
        assert client.get(url).status_code == 200
    assert Consultation.objects.get().status == "booked"
    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 302
    assert Consultation.objects.get().status == "cancelled"
    assert "この予約をキャンセルする" not in client.get(url).content.decode()
    assert client.post(url, {"action": "nonsense"}).status_code == 400


def test_manage_page_never_shows_internal_notes(client, hours, day, topic, staff):
    consultation = book_for(hours, at(day, 10), topic)
    services.update_staff_fields(consultation, actor=staff, staff_notes="内部だけのメモ")
    assert (
        "内部だけのメモ" not in client.get(f"/consultation/b/{consultation.manage_token}/").content.decode()
    )


def test_unknown_token_is_404(client, hours):
    assert client.get("/consultation/b/not-a-token/").status_code == 404
    assert client.post("/consultation/b/not-a-token/", {"action": "cancel"}).status_code == 404
    assert client.get("/consultation/b/not-a-token/move/").status_code == 404


def test_move_from_the_private_link(client, hours, day, topic):
    consultation = book_for(hours, at(day, 10), topic)
    url = f"/consultation/b/{consultation.manage_token}/move/"
    assert day.isoformat() in client.get(url).content.decode()
    times = client.get(f"{url}?date={day.isoformat()}").content.decode()
    assert "14:00" in times
    response = client.post(url, {"start": at(day, 14).isoformat()})
    assert response.status_code == 302
    assert Consultation.objects.get().start == at(day, 14)
    assert client.post(url, {"start": "garbage"}).status_code == 400


def test_the_booker_cannot_confirm_with_what_the_page_gave(client, hours, day, topic):
    """The attack of issue 18: book with someone else's address, then confirm from the page's own links.
    Only the mailed token confirms; the manage link is neither given nor able to confirm."""
    response = client.post(details_url(topic, at(day, 10)), person(consent="on", email="victim@example.jp"))
    consultation = Consultation.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert consultation.manage_token not in page and mailed_token(consultation) not in page
    manage = f"/consultation/b/{consultation.manage_token}/"
    assert client.post(manage, {"action": "confirm"}).status_code == 400
    assert client.post(f"/consultation/confirm/{consultation.manage_token}/").status_code == 404
    assert client.post(f"/consultation/confirm/{consultation.confirm_token_hash}/").status_code == 404
    assert Consultation.objects.get().status == "pending_confirmation"


def test_an_expired_confirmation_link_is_refused(client, hours, day, topic):
    client.post(details_url(topic, at(day, 10)), person(consent="on"))
    consultation = Consultation.objects.get()
    Consultation.objects.filter(pk=consultation.pk).update(
        held_until=timezone.now() - dt.timedelta(seconds=1)
    )
    url = f"/consultation/confirm/{mailed_token(consultation)}/"
    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    assert Consultation.objects.get().status == "pending_confirmation"  # lapsed; the job marks it


def test_qr_codes_hold_the_absolute_booking_url(client, settings, hours):
    settings.SITE_URL = "https://kyodo.example.jp"
    svg = client.get("/consultation/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    png = client.get("/consultation/qr.png?lang=en")
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    from kyodo.consultations.views import booking_url

    assert booking_url("ja") == "https://kyodo.example.jp/consultation/"
    assert booking_url("en") == "https://kyodo.example.jp/en/consultation/"
    # segno cannot decode; rebuild the code from the expected URL and compare the images byte for byte.
    from kyodo.core import qr

    assert svg.content == qr.svg("https://kyodo.example.jp/consultation/", scale=8)
    assert png.content == qr.png("https://kyodo.example.jp/en/consultation/")
    assert (
        segno.make("https://kyodo.example.jp/en/consultation/", error="m").matrix
        != segno.make("https://kyodo.example.jp/consultation/", error="m").matrix
    )


def test_flyer_has_everything_to_print(client, settings, hours):
    settings.SITE_URL = "https://kyodo.example.jp"
    html = client.get("/consultation/flyer/").content.decode()
    for text in ["テストセンター", "町会の総会をオンラインで開催したい", "講演会やイベントをオンラインで配信したい",
                 "https://kyodo.example.jp/consultation/", "076-000-0000", "center@example.jp", "<svg", "/static/core/flyer.css"]:  # fmt: skip
        assert text in html, text
    assert "@page" in (settings.BASE_DIR / "kyodo/core/static/core/flyer.css").read_text()
    assert (
        "https://kyodo.example.jp/en/consultation/" in client.get("/en/consultation/flyer/").content.decode()
    )


STAFF_EXPECTED = [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("staff", 200), ("admin", 200)]


@pytest.mark.parametrize("persona,expected", STAFF_EXPECTED)
def test_staff_pages_are_staff_only(client_for, persona, expected, hours, day, topic):
    consultation = book_for(hours, at(day, 10), topic)
    client = client_for(persona)
    for path in [
        "/consultation/staff/",
        f"/consultation/staff/?view=week&date={day.isoformat()}",
        "/consultation/staff/new/",
        f"/consultation/staff/{consultation.pk}/",
    ]:
        response = client.get(path)
        assert response.status_code == expected, path
        if expected == 302:
            assert "金沢 花子" not in response.content.decode()
    response = client.post(f"/consultation/staff/{consultation.pk}/cancel/")
    assert response.status_code == (403 if expected == 403 else 302)
    assert Consultation.objects.get().status == ("cancelled" if expected == 200 else "booked")


def test_the_staff_page_does_not_show_the_persons_private_link(client_for, hours, day, topic):
    # The private link is the booker's alone (security issue, finding 1): staff act from their own pages.
    consultation = book_for(hours, at(day, 10), topic)
    page = client_for("staff").get(f"/consultation/staff/{consultation.pk}/").content.decode()
    assert "金沢 花子" in page and consultation.manage_token not in page


def test_staff_schedule_shows_bookings_per_day_and_coordinator(
    client_for, hours, day, topic, staff, coordinator2
):
    a = services.book(
        hours, at(day, 10), "in_person", topic, person(name="電話 一郎"), actor=staff, coordinator=staff
    )
    services.book(
        hours,
        at(day, 11),
        "in_person",
        topic,
        person(name="電話 二郎"),
        actor=staff,
        coordinator=coordinator2,
    )
    client = client_for("staff")
    html = client.get(f"/consultation/staff/?date={day.isoformat()}").content.decode()
    assert "電話 一郎" in html and "電話 二郎" in html and 'class="table-wrap" tabindex="0"' in html
    html = client.get(f"/consultation/staff/?date={day.isoformat()}&coordinator={staff.pk}").content.decode()
    assert "電話 一郎" in html and "電話 二郎" not in html
    html = client.get(
        f"/consultation/staff/?view=week&date={day.isoformat()}&location=x&coordinator=y"
    ).content.decode()
    assert "電話 一郎" in html
    assert f"/consultation/staff/{a.pk}/" in html


def test_staff_books_on_behalf_and_runs_every_action(client_for, hours, day, topic, staff, coordinator2):
    client = client_for("staff")
    response = client.post(
        "/consultation/staff/new/",
        {"location": hours.pk, "date": day.isoformat(), "time": "10:00", "coordinator": staff.pk, "topic": topic.pk,
         "mode": "phone", "name": "電話 花子", "phone": "076-111-2222"},
    )  # fmt: skip
    assert response.status_code == 302
    c = Consultation.objects.get()
    assert c.coordinator == staff and c.email == "" and c.created_by == staff
    url = f"/consultation/staff/{c.pk}/"
    assert client.post(url + "notes/", {"staff_notes": "折り返し希望", "meeting_url": ""}).status_code == 302
    assert client.post(url + "reassign/", {"coordinator": coordinator2.pk}).status_code == 302
    move = {"date": day.isoformat(), "time": "14:00", "coordinator": ""}
    assert client.post(url + "move/", move).status_code == 302
    c.refresh_from_db()
    assert (c.staff_notes, c.coordinator, c.start) == ("折り返し希望", coordinator2, at(day, 14))
    not_yet = client.post(url + "outcome/", {"outcome": "held"})
    assert not_yet.status_code == 400 and "開始後" in not_yet.content.decode()  # not started yet
    assert client.post(url + "move/", {"date": day.isoformat(), "time": "10:30"}).status_code == 400
    assert client.post(url + "outcome/", {"outcome": "bogus"}).status_code == 400
    assert client.post(url, {"action": "cancel"}).status_code == 405  # each action has its own URL
    bad = client.post("/consultation/staff/new/", {"location": hours.pk, "date": day.isoformat(), "time": "10:00",
                                                   "topic": topic.pk, "mode": "in_person", "name": "x"})  # fmt: skip
    assert bad.status_code == 400
    assert "メールアドレスか電話番号" in bad.content.decode()


def test_staff_marks_held_after_start(client_for, hours, topic, staff):
    now = timezone.now()
    c = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="済み",
        start=now - dt.timedelta(hours=1), end=now, blocked_until=now,
    )  # fmt: skip
    client_for("staff").post(f"/consultation/staff/{c.pk}/outcome/", {"outcome": "held"})
    assert Consultation.objects.get().status == "held"


def test_staff_home_and_profile_sections(client_for, hours, topic, staff):
    now = timezone.localtime()
    start = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    if start.date() != now.date():
        start = now
    Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="今日の人",
        start=start, end=start + dt.timedelta(minutes=1), blocked_until=start + dt.timedelta(minutes=1),
    )  # fmt: skip
    html = client_for("staff").get("/staff/").content.decode()
    assert "今日の相談予約" in html and "今日の人" in html
    assert "今日の人" not in client_for("member_a").get("/me/").content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_private_link_works_for_whoever_holds_it_and_nothing_else(client_for, persona, hours, day, topic):
    consultation = book_for(hours, at(day, 10), topic, name="リンク 保持者")
    client = client_for(persona)
    manage = client.get(f"/consultation/b/{consultation.manage_token}/")
    assert manage.status_code == 200 and "リンク 保持者" in manage.content.decode()
    move = client.get(f"/consultation/b/{consultation.manage_token}/move/")
    assert move.status_code == 200 and f"?date={day.isoformat()}" in move.content.decode()
    assert client.get(f"/consultation/b/{consultation.manage_token[:-1]}/").status_code == 404
    if persona != "anonymous":
        profile = client.get("/me/").content.decode()
        assert "相談予約" in profile and consultation.manage_token not in profile  # not theirs
