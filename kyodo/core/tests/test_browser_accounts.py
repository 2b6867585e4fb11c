"""Sign-up and /me/ in the system Chromium, at 375 px and 1280 px, in both languages: axe finds nothing
serious, a rejected sign-up shows each error beside its field, and the password rules are the text the
password field is described by."""

import pytest

from conftest import DESKTOP, PHONE, axe_check, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_sign_up_and_my_page_pass_axe(new_page, location, member_a, viewport, prefix):
    page = new_page(viewport)
    page.goto(f"{prefix}/accounts/signup/")
    axe_check(page)
    described = page.evaluate(
        "document.getElementById(document.getElementById('id_password1').getAttribute('aria-describedby')"
        ".split(' ')[0]).querySelectorAll('li').length"
    )
    assert described >= 3
    page.fill("#id_email", "not-an-address")
    page.fill("#id_password1", "short")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)
    assert page.locator(".field:has(#id_name) .errorlist").is_visible()
    assert page.locator(".field:has(#id_email) .errorlist").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1

    browser_login(page, member_a.email, prefix=prefix)
    for path in ("/me/", "/me/developer/"):
        page.goto(prefix + path)
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, path
    assert page.get_by_text("Authorization: Bearer <token>").is_visible()
