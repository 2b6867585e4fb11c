"""Sign-up with e-mail verification, sign-in, throttling, password reset, preferred language."""

import re

import pytest
from django.core.cache import cache

from kyodo.core.models import OutboundEmail, User

pytestmark = pytest.mark.django_db


def _link(body, part):
    return re.search(rf"https?://[^\s]+{part}[^\s]*", body).group(0)


def test_sign_up_needs_e_mail_verification(client, location):
    response = client.post(
        "/accounts/signup/",
        {
            "name": "新規 花子",
            "email": "new@example.jp",
            "password1": "a-long-pass-1234",
            "password2": "a-long-pass-1234",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.jp")
    assert user.preferred_language == "ja" and user.name == "新規 花子"
    # Not verified yet: signing in leads to the "verify your e-mail" page, not the profile.
    client.logout()
    response = client.post("/accounts/login/", {"login": "new@example.jp", "password": "a-long-pass-1234"})
    assert response.status_code == 302 and "confirm-email" in response["Location"]
    mail = OutboundEmail.objects.filter(to=["new@example.jp"]).last()
    link = _link(mail.body, "/accounts/confirm-email/")
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # a page with a button; GET confirms nothing
    response = client.post(path)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified


def test_sign_up_in_english_remembers_english(client, location):
    client.post(
        "/en/accounts/signup/",
        {
            "name": "Ann",
            "email": "en@example.jp",
            "password1": "a-long-pass-1234",
            "password2": "a-long-pass-1234",
        },
    )
    assert User.objects.get(email="en@example.jp").preferred_language == "en"
    mail = OutboundEmail.objects.filter(to=["en@example.jp"]).last()
    assert "Confirm" in mail.subject or "confirm" in mail.body


def test_sign_in_and_out(client, member_a):
    response = client.post("/accounts/login/", {"login": member_a.email, "password": "test-pass-1234"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302


def test_failed_sign_ins_are_throttled(client, member_a):
    cache.clear()
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": member_a.email, "password": "wrong"})
        assert response.status_code == 200
    # Now even the right password is refused for a while, with a clear message.
    response = client.post("/accounts/login/", {"login": member_a.email, "password": "test-pass-1234"})
    assert response.status_code == 200
    assert "ログイン失敗が連続しています" in response.content.decode()
    assert client.get("/me/").status_code == 302
    cache.clear()


def test_password_reset_sends_a_link(client, member_a):
    client.post("/accounts/password/reset/", {"email": member_a.email})
    mail = OutboundEmail.objects.filter(to=[member_a.email]).last()
    assert "/accounts/password/reset/key/" in mail.body


def test_profile_saves_preferred_language_and_redirects_to_it(client_for, personas):
    client = client_for("member_a")
    response = client.post(
        "/me/", {"name": "A 太郎", "kana": "えー たろう", "phone": "", "preferred_language": "en"}
    )
    assert response.status_code == 302 and response["Location"] == "/en/me/"
    personas["member_a"].refresh_from_db()
    assert personas["member_a"].preferred_language == "en" and personas["member_a"].name == "A 太郎"
