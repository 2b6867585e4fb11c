"""Every consultation mail, as delivered and parsed by a mail program: the center's voice
(core.tests.mailcheck), 「金沢 花子 様」, in the booking's language, with the booking's own links."""

import datetime as dt

import pytest
from django.test import Client

from kyodo.consultations import services
from kyodo.consultations.tests.conftest import at, mailed_token, person
from kyodo.core.mail import Addressee
from kyodo.core.tests.mailcheck import SITE_URL, check, delivered

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_mail_of_a_booking(hours, day, topic, language):
    hanako = Addressee(name="金沢 花子")
    prefix = "/en" if language == "en" else ""

    pending = services.book(hours, at(day, 10), "in_person", topic, person(), language=language)
    token = mailed_token(pending)  # read before delivery: a delivered access mail keeps no body
    [held] = delivered()  # 仮受付: the confirmation link
    text = check(held, greeting=hanako, location=hours, language=language, anonymous=Client())
    assert f"{SITE_URL}{prefix}/consultation/confirm/" in text

    consultation = services.confirm_email(token)
    [booked] = delivered()
    text = check(booked, greeting=hanako, location=hours, language=language, anonymous=Client())
    assert f"{SITE_URL}{prefix}/consultation/b/{consultation.manage_token}/" in text

    services.move(consultation, at(day, 13))
    [moved] = delivered()
    check(moved, greeting=hanako, location=hours, language=language, anonymous=Client())

    services.send_reminders(day - dt.timedelta(days=1))
    [reminder] = delivered()
    check(reminder, greeting=hanako, location=hours, language=language, anonymous=Client())

    services.cancel(consultation)
    [cancelled] = delivered()
    text = check(cancelled, greeting=hanako, location=hours, language=language, anonymous=Client())
    assert f"{SITE_URL}{prefix}/consultation/" in text


def test_the_center_is_the_sender_and_replies_reach_it(hours, day, topic):
    services.book(hours, at(day, 10), "in_person", topic, person())
    [held] = delivered()
    assert str(held["Reply-To"]) == hours.email
