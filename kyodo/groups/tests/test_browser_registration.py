"""Browser journey: sign up → verify the e-mail → register a group → staff approve it.

On a phone (375×667) and a desktop (1280×800), in Japanese and in English, with an axe scan of each page."""

import re

import pytest

from conftest import DESKTOP, PHONE, axe_check, browser_login, make_user
from kyodo.core.models import OutboundEmail
from kyodo.groups.models import Group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "": {"signup": "ユーザー登録", "apply": "申請する", "approve": "承認する", "approved": "承認済み"},
    "/en": {"signup": "Sign Up", "apply": "Apply", "approve": "Approve", "approved": "Approved"},
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("prefix", ["", "/en"], ids=["ja", "en"])
def test_sign_up_register_and_get_approved(new_page, location, viewport, prefix):
    from kyodo.groups.models import ActivityField

    ActivityField.objects.create(name="地域・町会", name_en="Neighbourhood associations")
    make_user("staff@example.jp", is_staff=True)
    text = TEXT[prefix]
    email = f"chokai-{viewport['width']}{prefix.strip('/')}@example.jp"

    page = new_page(viewport)
    page.goto(f"{prefix}/accounts/signup/")
    axe_check(page)
    page.fill("input[name=name]", "花園 一郎")  # sign-up asks for the person's name
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", "a-long-pass-1234")
    page.fill("input[name=password2]", "a-long-pass-1234")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page)  # "verify your e-mail address"

    body = OutboundEmail.objects.filter(to=[email]).latest("id").body
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", "", link))
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{prefix}/groups/register/")
    axe_check(page)
    page.fill("input[name=name]", "花園町会")
    page.fill("input[name=kana]", "はなぞのちょうかい")
    page.fill("input[name=representative]", "花園 一郎")
    page.fill("input[name=contact_email]", email)
    page.check("input[name=fields]")
    page.fill("input[name=member_count]", "120")
    page.locator("button[name=stage][value=review]").click()  # 確認画面 (its words: NEW_MSGIDS_forms)
    page.wait_for_load_state()
    axe_check(page)
    page.locator("button[name=stage][value=commit]").click()
    page.wait_for_load_state()
    assert "花園町会" in page.content()
    axe_check(page)
    group = Group.objects.get(name="花園町会")
    assert group.status == "pending"

    staff_page = new_page(viewport)
    browser_login(staff_page, "staff@example.jp", prefix=prefix)
    staff_page.goto(f"{prefix}/groups/review/")
    axe_check(staff_page)
    staff_page.get_by_role("link", name="花園町会").click()
    staff_page.wait_for_load_state()
    axe_check(staff_page)
    staff_page.get_by_role("button", name=text["approve"]).click()
    staff_page.wait_for_load_state()
    group.refresh_from_db()
    assert group.status == "approved"

    page.goto(f"{prefix}/groups/mine/{group.pk}/")
    assert text["approved"] in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
