"""Every message is written as the center writes: core.mail.compose, and allauth's account mail through it."""

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.core.mail import send_mail
from django.test import Client
from django.utils import translation

from conftest import make_location
from kyodo.core import mail
from kyodo.core.mail import SIGNATURE_RULE, Addressee, Center, opening_hours_lines
from kyodo.core.models import OpeningHours, OutboundEmail, User
from kyodo.core.tests.mailcheck import SITE_URL, check, delivered, html_of, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE_URL


def test_greetings_name_the_person_the_group_or_the_staff():
    with translation.override("en"):
        assert Addressee(name="Hanako").greeting("en") == "Dear Hanako,"
        assert Addressee(name="Hanako", organisation="A町会").greeting("en") == "Dear Hanako of A町会,"
        assert Addressee(organisation="A町会").greeting("en") == "Dear A町会,"
        assert Addressee().greeting("en") == "Dear user,"
        assert Addressee(staff=True).greeting("en") == "Dear staff,"
    # A name typed with a line break cannot break the greeting line.
    assert "\n" not in Addressee(name="花子\n様").greeting("ja")


def test_opening_hours_in_a_few_words(location):
    assert opening_hours_lines(location, "en") == [
        "Opening hours: Tue–Sun 9:00–21:00",
        "Closed: Mon, national holidays, the year-end holidays (December 29 to January 3)",
    ]
    OpeningHours.objects.filter(location=location, weekday=5).update(closes=dt.time(17))
    location.refresh_from_db()
    lines = opening_hours_lines(location, "ja")
    assert "火～金、日 9:00～21:00" in lines[0] and "土 9:00～17:00" in lines[0]
    assert "月曜" in lines[1]


def test_compose_writes_both_parts_greeting_and_signature(location):
    message = mail.compose(
        "件名", "本文です。\nhttps://kyodo.example.jp/a?b=1&c=<2>", ["a@example.jp"],
        language="en", addressee=Addressee(name="Hanako <b>"), location=location,
    )  # fmt: skip
    assert message.from_email == "Test Center <noreply@example.jp>"
    assert message.reply_to == ["center@example.jp"]  # a reply reaches the center, not noreply
    text = message.body
    assert text.startswith("Dear Hanako <b>,\n\n本文です。")
    assert (
        SIGNATURE_RULE + "\nTest Center\n金沢市テスト町1\nPhone 076-000-0000 / E-mail center@example.jp"
        in text
    )
    assert text.rstrip().endswith(SITE_URL + "/en/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Hanako &lt;b&gt;" in html and "<b>" not in html  # everything escaped
    assert (
        '<a href="https://kyodo.example.jp/a?b=1&amp;c=">https://kyodo.example.jp/a?b=1&amp;c=</a>&lt;2&gt;'
        in html
    )


def test_every_queued_message_has_date_in_japan_and_message_id_on_the_site():
    send_mail("件名", "本文", None, ["a@example.jp"])
    row = OutboundEmail.objects.get()
    assert row.headers["Date"].endswith("+0900")
    assert row.headers["Message-ID"].endswith("@kyodo.example.jp>")
    mail.deliver_pending()
    sent = django_mail.outbox[0].message()
    assert sent["Date"] == row.headers["Date"] and sent["Message-ID"] == row.headers["Message-ID"]


def test_django_mail_without_a_sender_is_sent_by_the_center(location):
    send_mail("件名", "本文", None, ["a@example.jp"])
    assert OutboundEmail.objects.get().from_email == "テストセンター <noreply@example.jp>"


def test_the_center_is_read_once_per_location_and_language(location, django_assert_num_queries):
    Center.of(location, "ja")
    with django_assert_num_queries(0):
        Center.of(location, "ja")


def test_links_are_in_the_language_of_the_message(location):
    """Staff approving in English write to a group that reads Japanese, and the other way round."""
    body = f"{SITE_URL}/en/groups/mine/1/ {SITE_URL}/consultation/?a=1 {SITE_URL}/api/v1/me https://example.org/en/x"
    assert mail.compose("s", body, ["a@example.jp"], language="ja", location=location).body.split("\n\n")[
        1
    ] == (
        f"{SITE_URL}/groups/mine/1/ {SITE_URL}/consultation/?a=1 {SITE_URL}/api/v1/me https://example.org/en/x"
    )
    english = mail.compose("s", body, ["a@example.jp"], language="en", location=location).body.split("\n\n")[
        1
    ]
    assert english.startswith(
        f"{SITE_URL}/en/groups/mine/1/ {SITE_URL}/en/consultation/?a=1 {SITE_URL}/api/v1/me"
    )


def test_each_location_signs_its_own_mail(location):
    branch = make_location("テスト分室")
    text = mail.compose("s", "b", ["a@example.jp"], language="ja", location=branch).body
    assert "テスト分室" in text and "テストセンター" not in text


# --- allauth's mail, one test per message Kyodo can send ----------------------------------------------


def _signup(client, email="new@example.jp", prefix=""):
    return client.post(
        f"{prefix}/accounts/signup/",
        {
            "name": "新規 花子",
            "email": email,
            "password1": "a-long-pass-1234",
            "password2": "a-long-pass-1234",
        },
    )


@pytest.mark.parametrize("language,prefix", [("ja", ""), ("en", "/en")])
def test_sign_up_mail(client, location, language, prefix):
    _signup(client, prefix=prefix)
    [message] = delivered()
    text = check(message, greeting=Addressee(name="新規 花子"), location=location, language=language)
    assert f"{SITE_URL}{prefix}/accounts/confirm-email/" in text
    assert "こんにちは" not in text and "Hello from" not in text
    with translation.override(language):
        assert str(message["Subject"]).strip() == translation.gettext(
            "Your account: please confirm your e-mail address"
        )


def test_the_confirmation_link_works_for_the_signed_out(client, location):
    _signup(client)
    [message] = delivered()
    text = check(message, greeting=Addressee(name="新規 花子"), location=location, anonymous=Client())
    link = next(u for u in text.split() if "/accounts/confirm-email/" in u)
    path = link[len(SITE_URL) :]
    assert Client().post(path).status_code == 302
    assert User.objects.get(email="new@example.jp").emailaddress_set.get().verified


def test_password_reset_mail(client, member_a, location):
    client.post("/accounts/password/reset/", {"email": member_a.email})
    [message] = delivered()
    text = check(message, greeting=Addressee(name=member_a.name), location=location, anonymous=Client())
    assert f"{SITE_URL}/accounts/password/reset/key/" in text


def test_password_reset_for_an_unknown_address(client, location):
    client.post("/accounts/password/reset/", {"email": "nobody@example.jp"})
    [message] = delivered()
    text = check(message, greeting=Addressee(), location=location, anonymous=Client())
    assert "nobody@example.jp" in text and f"{SITE_URL}/accounts/signup/" in text


def test_sign_up_with_an_address_that_has_an_account(client, member_a, location):
    _signup(client, email=member_a.email)
    [message] = delivered()
    text = check(message, greeting=Addressee(), location=location, anonymous=Client())
    assert f"{SITE_URL}/accounts/password/reset/" in text


def test_confirmation_sent_again_for_a_new_address(client, member_a, location):
    client.force_login(member_a)
    client.post("/accounts/email/", {"action_add": "", "email": "second@example.jp"})
    [message] = delivered()
    text = check(message, greeting=Addressee(name=member_a.name), location=location)
    assert f"{SITE_URL}/accounts/confirm-email/" in text


def test_account_mail_is_only_for_its_addressee(client, location):
    _signup(client)
    row = OutboundEmail.objects.get()
    assert row.grants_access and row.template == "account/email/email_confirmation_signup"
    assert row.alternatives and row.alternatives[0][1] == "text/html"
    message = delivered()[0]
    assert "https://" in html_of(message) and text_of(message)
    row.refresh_from_db()
    assert row.body == "" and row.alternatives == []  # dropped once delivered
