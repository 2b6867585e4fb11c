import pytest

from conftest import DESKTOP, PHONE, axe_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_home_and_calendar_pass_axe(new_page, location, viewport, prefix):
    page = new_page(viewport)
    for path in [
        "/",
        "/locations/",
        f"/locations/{location.pk}/calendar/",
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        page.goto(prefix + path)
        axe_check(page)
        # Nothing wider than the screen: the layout works at 375 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, path
