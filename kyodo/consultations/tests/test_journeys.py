"""Issue 12 (journeys): the phone number by phone, the reading in kana, the month calendar of days and
staff tapping a free time. Asserted on English (/en/) or on structure: the Japanese catalogue is the
lead's to compile."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from conftest import PERSONAS
from kyodo.consultations import services
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at, person
from kyodo.core.text import is_katakana_reading, normalise_phone, phone_digits, to_katakana

PHONE_NEEDED = "Please enter your phone number: the coordinator calls you on it."
NOT_KANA = "Please enter the reading of your name in katakana or hiragana, e.g. カナザワ タロウ."
BAD_PHONE = "Please enter a phone number in digits and hyphens, e.g. 076-220-2026."


@pytest.fixture
def en():
    with translation.override("en"):
        yield


# --- core.text --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("０７６ー２２０ー２０２６", "076-220-2026"), ("076 220 2026", "076 220 2026"), ("076－220－2026", "076-220-2026"),
     ("090‐1234‐5678", "090-1234-5678"), ("  076--220 - 2026 ", "076-220-2026"), ("+81 90-1234-5678", "+81 90-1234-5678"),
     ("（076）220-2026", "(076)220-2026")],
)  # fmt: skip
def test_phone_numbers_are_normalised(typed, kept):
    assert normalise_phone(typed) == kept
    assert normalise_phone(kept) == kept  # idempotent
    assert phone_digits(typed) == re.sub(r"\D", "", kept)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("かなざわ はなこ", "カナザワ ハナコ"), ("ｶﾅｻﾞﾜ　ﾊﾅｺ", "カナザワ ハナコ"), ("カナザワ・ハナコ", "カナザワ・ハナコ"),
     ("りゅうのすけ", "リュウノスケ"), ("おおの ゆーこ", "オオノ ユーコ")],
)  # fmt: skip
def test_readings_become_katakana(typed, kept):
    assert to_katakana(typed) == kept
    assert is_katakana_reading(kept)


@pytest.mark.parametrize("typed", ["Tanaka", "金沢", "カナザワ1", "ｶﾅ!"])
def test_a_reading_of_other_letters_is_not_kana(typed):
    assert not is_katakana_reading(to_katakana(typed))


# --- The service rules (every door asks them) -------------------------------------------------------


def test_by_phone_the_number_is_required_and_otherwise_not(db, en):
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(phone=""), mode="phone")
    assert exc.value.message_dict == {"phone": [PHONE_NEEDED]}
    assert services.clean_person(person(phone=""), mode="in_person")["phone"] == ""
    assert services.clean_person(person(phone=""), mode="online")["email"] == "hanako@example.jp"
    # Staff booking a phone consultation for a caller: the number is required of them too.
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(phone="", kana=""), by_staff=True, mode="phone")
    assert exc.value.message_dict == {"phone": [PHONE_NEEDED]}


def test_a_phone_number_alone_is_enough_by_phone(db, en):
    cleaned = services.clean_person(person(email="", phone="０７６ー２２０ー２０２６"), mode="phone")
    assert cleaned["phone"] == "076-220-2026" and cleaned["email"] == ""


@pytest.mark.parametrize("phone", ["call me", "076-220-2026 ext. 5", "0762202026123456789", "076=220=2026"])
def test_a_phone_number_of_other_characters_is_refused(db, en, phone):
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(phone=phone), mode="phone")
    assert exc.value.message_dict["phone"] == [BAD_PHONE]


def test_a_short_number_still_asks_for_the_area_code(db, en):
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(phone="220-2026"), mode="phone")
    assert "area code" in exc.value.message_dict["phone"][0]


def test_the_reading_is_stored_in_katakana_and_checked(db, en):
    assert services.clean_person(person(kana="かなざわ はなこ"))["kana"] == "カナザワ ハナコ"
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(kana="Kanazawa Hanako"))
    assert exc.value.message_dict == {"kana": [NOT_KANA]}
    assert services.clean_person(person(kana="ｶﾅｻﾞﾜ"), by_staff=True)["kana"] == "カナザワ"
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(kana="金沢"), by_staff=True)
    assert exc.value.message_dict == {"kana": [NOT_KANA]}


def test_the_reading_is_optional_in_english_only(db, en):
    assert services.clean_person(person(kana=""), language="en")["kana"] == ""
    with pytest.raises(ValidationError) as exc:
        services.clean_person(person(kana=""), language="ja")
    assert "kana" in exc.value.message_dict


def test_the_booking_stores_the_normalised_number_and_reading(hours, day, topic):
    c = services.book(
        hours, at(day, 10), "phone", topic, person(phone="０９０ー１２３４ー５６７８", kana="かなざわ はなこ")
    )
    c.refresh_from_db()
    assert (c.phone, c.kana) == ("090-1234-5678", "カナザワ ハナコ")


# --- The same words on the form and the API ---------------------------------------------------------


def _details_url(topic, start, mode="phone", prefix="/en"):
    return f"{prefix}/consultation/book/?topic={topic.pk}&mode={mode}&start={quote(start.isoformat())}"


def test_form_and_api_refuse_a_phone_consultation_without_a_number_in_the_same_words(
    client, hours, day, topic
):
    page = client.post(_details_url(topic, at(day, 10)), person(phone="", consent="on"))
    assert page.status_code == 400
    assert PHONE_NEEDED in page.content.decode()
    body = {
        "start": at(day, 10).isoformat(),
        "mode": "phone",
        "topic": topic.pk,
        "language": "en",
        **person(phone=""),
    }
    with translation.override("en"):
        api = client.post(
            "/api/v1/consultations", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert api.status_code == 422
    # The API's paths carry no language prefix, so it answers in the site's default language (Japanese):
    # the same sentence as the page's, translated.
    with translation.override("ja"):
        assert api.json()["errors"]["phone"] == [translation.gettext(PHONE_NEEDED)]
    assert not Consultation.objects.exists()


def test_the_api_stores_the_normalised_phone(client, hours, day, topic):
    body = {"start": at(day, 10).isoformat(), "mode": "phone", "topic": topic.pk,
            **person(phone="０７６ー２２０ー２０２６", kana="ｶﾅｻﾞﾜ ﾊﾅｺ")}  # fmt: skip
    assert client.post("/api/v1/consultations", body, content_type="application/json").status_code == 201
    assert Consultation.objects.values_list("phone", "kana").get() == ("076-220-2026", "カナザワ ハナコ")


def test_by_phone_the_form_asks_for_the_number_first_and_marks_it_required(client, hours, day, topic):
    html = client.get(_details_url(topic, at(day, 10))).content.decode()
    assert html.index('name="phone"') < html.index('name="email"')
    assert re.search(r'<input[^>]*name="phone"[^>]*required', html)
    assert re.search(r'<label for="id_email">E-mail <span class="tag tag-optional">', html)
    assert "(optional)" not in html  # the tag says it, the label never again
    other = client.get(_details_url(topic, at(day, 10), mode="online")).content.decode()
    assert other.index('name="email"') < other.index('name="phone"')
    assert not re.search(r'<input[^>]*name="phone"[^>]*required', other)


def test_on_english_pages_the_reading_is_optional_with_a_katakana_example(client, hours, day, topic):
    html = client.get(_details_url(topic, at(day, 10), mode="online")).content.decode()
    assert re.search(r'<label for="id_kana">Name in katakana <span class="tag tag-optional">', html)
    assert "カナザワ タロウ" in html and "(optional)" not in html
    assert not re.search(r'<input[^>]*name="kana"[^>]*required', html)
    response = client.post(_details_url(topic, at(day, 10), mode="online"), person(kana="", consent="on"))
    assert response.status_code == 302
    assert Consultation.objects.get().kana == ""
    japanese = client.get(_details_url(topic, at(day, 10), mode="online", prefix="")).content.decode()
    assert "カナザワ タロウ" in japanese and re.search(r'<input[^>]*name="kana"[^>]*required', japanese)


# --- The day step: a month calendar with the free times per day --------------------------------------


def test_free_times_are_counted_per_day(hours, day, topic, staff):
    before = services.free_times_by_day(hours)[day]
    services.book(hours, at(day, 10), "in_person", topic, person(), actor=staff, coordinator=staff)
    services.book(hours, at(day, 10), "in_person", topic, person(email="b@example.jp"), actor=staff)
    assert services.free_times_by_day(hours)[day] == before - 1  # 10:00 has no coordinator left
    months = services.booking_months(services.free_times_by_day(hours))
    cells = [c for m in months for w in m.weeks for c in w if c is not None]
    assert {c.date: c.free for c in cells}[day] == before - 1
    assert all(len(week) == 7 for m in months for week in m.weeks)
    assert all(w[0] is None or w[0].date.weekday() == 6 for m in months for w in m.weeks)  # Sunday first


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_day_step_is_a_calendar_table_with_counts_and_a_list(client_for, persona, hours, day, topic):
    response = client_for(persona).get(f"/en/consultation/?topic={topic.pk}&mode=online")
    html = response.content.decode()
    assert response.status_code == 200
    count = services.free_times_by_day(hours)[day]
    table = html[html.index('<table class="month-calendar">') : html.index("</table>")]
    assert '<th scope="col">' in table and f"date={day.isoformat()}" in table
    assert f"{count} free" in table
    # The same day in the list fallback, the date kept whole.
    listed = html[html.index('class="day-list"') :]
    assert f"date={day.isoformat()}" in listed and '<span class="date">' in listed


def test_the_move_page_shows_the_calendar_too(client, hours, day, topic):
    c = services.book(hours, at(day, 10), "in_person", topic, person(), actor=None, user=None)
    from kyodo.consultations.tests.conftest import confirm_from_mail

    c = confirm_from_mail(c)
    html = client.get(f"/en/consultation/b/{c.manage_token}/move/").content.decode()
    assert 'class="month-calendar"' in html and f"?date={day.isoformat()}" in html


# --- Staff book for a caller by tapping a free time ---------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("member_a", 403), ("member_b", 403),
                                                  ("staff", 200), ("admin", 200)])  # fmt: skip
def test_staff_tap_a_free_time_and_the_form_is_filled(client_for, persona, status, hours, day, topic):
    client = client_for(persona)
    response = client.get(f"/en/consultation/staff/new/?location={hours.pk}&date={day.isoformat()}")
    assert response.status_code == status
    if status != 200:
        return
    html = response.content.decode()
    link = f"?location={hours.pk}&amp;date={day.isoformat()}&amp;time=10:00#booking-form"
    assert link in html
    tapped = client.get(f"/en/consultation/staff/new/?location={hours.pk}&date={day.isoformat()}&time=10:00")
    form_html = tapped.content.decode()
    assert re.search(r'name="time"[^>]*value="10:00', form_html)
    assert re.search(rf'name="date"[^>]*value="{day.isoformat()}"', form_html)
    assert 'aria-current="true"' in form_html
    booked = client.post(
        f"/en/consultation/staff/new/?location={hours.pk}&date={day.isoformat()}",
        {"location": hours.pk, "date": day.isoformat(), "time": "10:00", "topic": topic.pk, "mode": "phone",
         "name": "電話 太郎", "phone": "０７６ー２２０ー２０２６"},
    )  # fmt: skip
    assert booked.status_code == 302
    assert Consultation.objects.get().phone == "076-220-2026"


def test_staff_booking_by_phone_without_a_number_is_refused(client_for, hours, day, topic):
    response = client_for("staff").post(
        "/en/consultation/staff/new/",
        {"location": hours.pk, "date": day.isoformat(), "time": "10:00", "topic": topic.pk, "mode": "phone",
         "name": "x", "email": "x@example.jp"},
    )  # fmt: skip
    assert response.status_code == 400 and PHONE_NEEDED in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_full_time_is_shown_but_not_offered(client_for, hours, day, topic, staff, coordinator2):
    for coordinator in (staff, coordinator2):
        services.book(hours, at(day, 10), "in_person", topic, person(), actor=staff, coordinator=coordinator)
    html = (
        client_for("staff")
        .get(f"/en/consultation/staff/new/?location={hours.pk}&date={day}")
        .content.decode()
    )
    assert "time=10:00" not in html and "Fully booked" in html and "time=11:00" in html
    assert timezone.localdate() <= day + dt.timedelta(days=1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_details_step_by_phone_for_every_persona(client_for, persona, hours, day, topic):
    """Anyone books (no account needed); by phone the number comes first and is required for all."""
    client = client_for(persona)
    html = client.get(_details_url(topic, at(day, 10))).content.decode()
    assert html.index('name="phone"') < html.index('name="email"')
    response = client.post(_details_url(topic, at(day, 10)), person(phone="", consent="on"))
    assert response.status_code == 400 and PHONE_NEEDED in response.content.decode()
    response = client.post(_details_url(topic, at(day, 10)), person(phone="076ー220ー2026", consent="on"))
    assert response.status_code == 302
    assert Consultation.objects.get().phone == "076-220-2026"
