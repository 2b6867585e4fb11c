"""仮受付 (issue 18, findings 2 and 3): a brief hold confirmed only from the mail's token, the phone-only
hold staff confirm by calling back, and the limits that keep one anonymous client from filling a day."""

import base64
import datetime as dt
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kyodo.consultations import services
from kyodo.consultations.models import Consultation, ConsultationSettings
from kyodo.consultations.tests.conftest import at, confirm_from_mail, mailed_token, person
from kyodo.core.calendar import calendar_for, next_open_day
from kyodo.core.errors import RateLimited
from kyodo.core.models import OutboundEmail
from kyodo.core.tests.icalcheck import problems

PHONE_ONLY = {"email": "", "phone": "090-1234-5678"}


def book(location, start, topic, **overrides):
    kw = {key: overrides.pop(key) for key in ("user", "now", "ip") if key in overrides}
    return services.book(location, start, "in_person", topic, person(**overrides), **kw)


def details_url(topic, start):
    return f"/consultation/book/?topic={topic.pk}&mode=in_person&start={quote(start.isoformat())}"


def free_at(location, day, start, now=None):
    return {s.start: s.free for s in services.public_slots(location, day, day, now=now)}[start]


# --- Confirmation: only the mailed token ----------------------------------------------------------------


def test_the_booker_cannot_confirm_with_what_the_service_returned(hours, day, topic):
    pending = book(hours, at(day, 10), topic, email="victim@example.jp")
    assert pending.status == Consultation.Status.PENDING and len(pending.confirm_token_hash) == 64
    for guess in (pending.manage_token, pending.confirm_token_hash, pending.reference, ""):
        with pytest.raises(ValidationError):
            services.confirm_email(guess)
    assert Consultation.objects.get(pk=pending.pk).status == Consultation.Status.PENDING
    assert confirm_from_mail(pending).status == Consultation.Status.BOOKED


def test_an_expired_token_is_refused(hours, day, topic):
    now = timezone.now()
    pending = book(hours, at(day, 10), topic, now=now)
    assert pending.held_until == now + dt.timedelta(minutes=30)  # KYODO_CONSULTATION_HOLD_MINUTES' default
    with pytest.raises(ValidationError):
        services.confirm_email(mailed_token(pending), now=pending.held_until + dt.timedelta(seconds=1))
    assert Consultation.objects.get(pk=pending.pk).status == Consultation.Status.PENDING  # lapsed, not booked
    assert not Consultation.objects.taking_time(pending.held_until).filter(pk=pending.pk).exists()


def test_the_hold_length_is_a_setting(hours, day, topic, settings):
    settings.CONSULTATION_HOLD_MINUTES = 5
    now = timezone.now()
    assert book(hours, at(day, 10), topic, now=now).held_until == now + dt.timedelta(minutes=5)


def test_the_confirmation_mail_carries_only_the_confirmation_link(hours, day, topic):
    pending = book(hours, at(day, 10), topic)
    mail = OutboundEmail.objects.get()
    assert mail.grants_access and mail.attachments == []
    assert pending.manage_token not in mail.body and "/consultation/b/" not in mail.body
    assert pending.reference in mail.body and f"/consultation/confirm/{mailed_token(pending)}/" in mail.body
    confirm_from_mail(pending)
    booked = OutboundEmail.objects.get(template="consultations/email/booked")
    assert booked.grants_access and pending.manage_token in booked.body
    assert booked.attachments[0]["mimetype"] == "text/calendar; method=PUBLISH"
    invitation = base64.b64decode(booked.attachments[0]["content"])
    assert problems(invitation) == [] and b"ORGANIZER" in invitation  # read back by a second parser


def test_a_signed_in_person_with_a_verified_address_is_booked_at_once(hours, day, topic, member_a):
    assert book(hours, at(day, 10), topic, user=member_a, email=member_a.email).is_active
    other = book(hours, at(day, 11), topic, user=member_a, email="someone-else@example.jp")
    assert other.is_pending  # an address that is not theirs is confirmed from the mail


def test_the_setting_still_turns_confirmation_off(hours, day, topic):
    ConsultationSettings.objects.create(location=hours, require_email_confirmation=False)
    assert book(hours, at(day, 10), topic).status == Consultation.Status.BOOKED


# --- A lapsed hold frees its slot at once ------------------------------------------------------------


def test_a_lapsed_hold_frees_the_slot_before_the_daily_job(hours, day, topic, staff, coordinator2):
    now = timezone.now()
    first = book(hours, at(day, 10), topic, now=now, email="a@example.jp")
    book(hours, at(day, 10), topic, now=now, email="b@example.jp")
    assert free_at(hours, day, at(day, 10), now=now) == 0
    later = now + dt.timedelta(minutes=31)
    assert free_at(hours, day, at(day, 10), now=later) == 2  # no job has run: the holds simply lapsed
    assert book(hours, at(day, 10), topic, now=later, email="c@example.jp").is_pending
    # Under the coordinators' lock the lapsed holds were marked (the PostgreSQL constraint sees them).
    assert Consultation.objects.get(pk=first.pk).is_cancelled
    assert Consultation.objects.holds(later).filter(start=at(day, 10)).count() == 1


# --- A phone number alone: staff call back -----------------------------------------------------------


def test_a_phone_only_booking_is_held_until_the_end_of_the_next_open_day(hours, day, topic):
    now = timezone.now()
    pending = book(hours, at(day, 14), topic, now=now, **PHONE_ONLY)
    following = next_open_day(hours, timezone.localdate(now))
    closes = calendar_for(hours, following, following).day(following).closes
    expected = min(dt.datetime.combine(following, closes, tzinfo=at(day, 0).tzinfo), pending.start)
    assert pending.is_pending and pending.awaits_call and pending.held_until == expected
    assert pending.confirm_token_hash == "" and not OutboundEmail.objects.exists()


def test_phone_only_holds_come_first_on_the_staff_day_and_staff_confirm_them(client_for, hours, day, topic):
    book(hours, at(day, 10), topic, email="early@example.jp", name="朝の人")
    call = book(hours, at(day, 15), topic, name="電話の人", **PHONE_ONLY)
    client = client_for("staff")
    html = client.get(f"/consultation/staff/?date={day.isoformat()}").content.decode()
    assert html.index("電話の人") < html.index("朝の人")
    client_for("member_a").post(f"/consultation/staff/{call.pk}/confirm/")  # not staff: to the sign-in
    assert Consultation.objects.get(pk=call.pk).is_pending
    response = client.post(f"/consultation/staff/{call.pk}/confirm/", follow=True)
    assert response.redirect_chain[0][1] == 302 and "予約を確定しました。" in response.content.decode()
    assert Consultation.objects.get(pk=call.pk).status == Consultation.Status.BOOKED


def test_the_page_of_a_phone_only_hold_shows_the_reference_and_no_link(client, hours, day, topic):
    response = client.post(details_url(topic, at(day, 10)), person(consent="on", **PHONE_ONLY))
    assert response["Location"] == "/consultation/received/"
    consultation = Consultation.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert consultation.reference in page and consultation.manage_token not in page
    assert "/consultation/b/" not in page and "/consultation/confirm/" not in page


# --- The API ------------------------------------------------------------------------------------------


def test_api_answers_201_pending_confirmation_without_manage_url(client, hours, day, topic):
    body = {"start": at(day, 10).isoformat(), "mode": "online", "topic": topic.pk, **person()}
    response = client.post("/api/v1/consultations", body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    consultation = Consultation.objects.get(pk=data["id"])
    assert data["status"] == "pending_confirmation" and "manage_url" not in data
    assert consultation.manage_token not in response.content.decode()
    assert data["reference"] == consultation.reference


# --- Limits -------------------------------------------------------------------------------------------


def test_three_bookings_per_phone_number_counted_by_its_digits(client, hours, day, topic):
    for hour, phone in ((10, "090-1234-5678"), (11, "09012345678"), (12, "０９０ １２３４ ５６７８")):
        book(hours, at(day, hour), topic, email=f"p{hour}@example.jp", phone=phone)
    with pytest.raises(RateLimited) as refused:
        book(hours, at(day, 13), topic, email="p13@example.jp", phone="(090) 1234-5678")
    assert 0 < refused.value.retry_after <= 3600 and "076-000-0000" in refused.value.message
    body = {
        "start": at(day, 14).isoformat(),
        "mode": "online",
        "topic": topic.pk,
        **person(phone="090-1234-5678"),
    }
    response = client.post(
        "/api/v1/consultations", {**body, "email": "p14@example.jp"}, content_type="application/json"
    )
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 3600
    assert "076-000-0000" in response.json()["detail"]


def _fill_with_holds(location, day, topic, count):
    return [book(location, at(day, 10 + i // 2), topic, email=f"h{i}@example.jp") for i in range(count)]


def test_unconfirmed_holds_take_at_most_half_of_a_day(client, hours, day, topic):
    # Two coordinators, 10:00–17:00: 14 places that day; 7 may be held unconfirmed.
    holds = _fill_with_holds(hours, day, topic, 7)
    with pytest.raises(RateLimited) as refused:
        book(hours, at(day, 14), topic, email="eighth@example.jp")
    assert "076-000-0000" in refused.value.message
    assert 0 < refused.value.retry_after <= 30 * 60
    page = client.post(details_url(topic, at(day, 15)), person(consent="on", email="page@example.jp"))
    assert page.status_code == 429 and "Retry-After" in page
    confirm_from_mail(holds[0])  # a confirmed booking is no longer a hold: room for one more
    assert book(hours, at(day, 14), topic, email="eighth@example.jp").is_pending


def test_rate_limits_off_turns_these_limits_off_too(hours, day, topic, settings):
    settings.RATE_LIMITS_ON = False
    _fill_with_holds(hours, day, topic, 8)
    for hour in (14, 15, 16):
        book(hours, at(day, hour), topic, email=f"x{hour}@example.jp", phone="090-1234-5678")
    book(hours, at(day, 16), topic, email="x99@example.jp", phone="090-1234-5678")
    assert Consultation.objects.holds(timezone.now()).count() == 12


@pytest.mark.parametrize("phone", ["なし", "123", "076-22-20"])
def test_a_phone_number_without_its_digits_is_refused(hours, day, topic, phone):
    with pytest.raises(ValidationError) as caught:
        book(hours, at(day, 10), topic, email="", phone=phone)
    assert "phone" in caught.value.message_dict
    assert not Consultation.objects.exists()


def test_the_profile_lists_a_hold_without_its_manage_link(client_for, hours, day, topic, member_a):
    held = book(hours, at(day, 11), topic, user=member_a, email="someone-else@example.jp")
    assert held.is_pending
    html = client_for("member_a").get("/me/").content.decode()
    assert held.manage_token not in html and "お送りしたメールのリンクを開いて" in html
    booked = book(hours, at(day, 10), topic, user=member_a, email=member_a.email)
    assert booked.manage_token in client_for("member_a").get("/me/").content.decode()
