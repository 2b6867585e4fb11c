"""A password change or reset offers to revoke the person's API tokens; they stay unless chosen."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str

from conftest import PASSWORD
from kyodo.core.models import ApiToken, AuditEntry
from kyodo.core.tokens import issue_token

NEW = "another-pass-5678"


@pytest.fixture
def with_tokens(member_a, member_b):
    issue_token(member_a, "script 1")
    issue_token(member_a, "script 2")
    issue_token(member_b, "b's script")
    return member_a


def _change(client, **extra):
    data = {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW, **extra}
    return client.post("/en/accounts/password/change/", data)


def test_the_change_page_offers_to_revoke_and_says_how_many(client_for, with_tokens):
    html = client_for("member_a").get("/en/accounts/password/change/").content.decode()
    assert 'name="revoke_tokens"' in html and "Also revoke my API tokens (2)" in html


def test_no_box_for_someone_without_tokens(client_for, with_tokens):
    html = client_for("staff").get("/en/accounts/password/change/").content.decode()
    assert 'name="revoke_tokens"' not in html


def test_changing_the_password_with_the_box_revokes_only_my_tokens(client_for, with_tokens, member_b):
    response = _change(client_for("member_a"), revoke_tokens="on")
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=with_tokens).exists()
    assert ApiToken.objects.filter(user=member_b).count() == 1
    assert AuditEntry.objects.filter(action="token.revoke_all").count() == 1


def test_without_the_box_the_tokens_stay(client_for, with_tokens):
    assert _change(client_for("member_a")).status_code == 302
    assert ApiToken.objects.filter(user=with_tokens).count() == 2


def test_a_password_reset_offers_it_too(client, with_tokens):
    uid = user_pk_to_url_str(with_tokens)
    key = default_token_generator.make_token(with_tokens)
    page = client.get(f"/en/accounts/password/reset/key/{uid}-{key}/", follow=True)
    assert 'name="revoke_tokens"' in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0], {"password1": NEW, "password2": NEW, "revoke_tokens": "on"}
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=with_tokens).exists()
