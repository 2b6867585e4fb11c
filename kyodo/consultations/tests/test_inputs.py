"""Every limit is stated once (consultations.inputs): the service, the API and the form answer alike."""

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError

from kyodo.consultations import services
from kyodo.consultations.forms import DetailsForm, StaffBookingForm
from kyodo.consultations.inputs import PersonInput
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at, person

TOO_LONG = "あ" * 2001
WORDS = "2000文字以内で入力してください。"


def test_a_message_past_the_limit_gets_the_same_words_from_service_api_and_form(client, hours, day, topic):
    with pytest.raises(ValidationError) as exc:
        services.book(hours, at(day, 10), "in_person", topic, person(message=TOO_LONG))
    assert exc.value.message_dict["message"] == [WORDS]

    body = {"start": at(day, 10).isoformat(), "mode": "phone", "topic": topic.pk, **person(message=TOO_LONG)}
    api = client.post("/api/v1/consultations", body, content_type="application/json")
    assert api.status_code == 422 and api.json()["errors"]["message"] == [WORDS]

    url = f"/consultation/book/?topic={topic.pk}&mode=phone&start={quote(at(day, 10).isoformat())}"
    page = client.post(url, person(message=TOO_LONG, consent="on"))
    assert page.status_code == 400 and WORDS in page.content.decode()
    assert not Consultation.objects.exists()


def test_the_form_shows_the_services_messages_only_once(db):
    form = DetailsForm({"name": "", "kana": "", "email": "bad", "consent": ""})
    assert not form.is_valid()
    assert form.errors["name"] == ["お名前を入力してください。"]
    assert form.errors["email"] == ["正しいメールアドレスを入力してください。"]
    assert form.errors["consent"] == ["個人情報の取り扱いへの同意が必要です。"]


def test_staff_need_an_email_address_or_a_phone_number_but_no_furigana_or_consent(db):
    form = StaffBookingForm({"name": "電話 花子"}, locations=None)
    form.is_valid()
    assert "kana" not in form.errors and "consent" not in form.errors
    assert form.errors["phone"] == ["メールアドレスか電話番号を入力してください。"]


def test_the_widgets_carry_the_inputs_limits(db):
    html = str(DetailsForm()["name"]) + str(DetailsForm()["message"])
    assert f'maxlength="{PersonInput.bound("name", "max_length")}"' in html
    assert 'maxlength="2000"' in html


def test_names_are_stripped_and_e_mail_addresses_lowered_for_every_door(hours, day, topic):
    c = services.book(
        hours, at(day, 10), "in_person", topic, person(name="  金沢 花子 ", email=" Hanako@Example.JP ")
    )
    assert (c.name, c.email) == ("金沢 花子", "hanako@example.jp")
