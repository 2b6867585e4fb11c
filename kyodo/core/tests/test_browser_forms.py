"""The error summary in a browser at 375 px (issue 12): an empty submit shows it focused, at the top,
with a link that moves the focus to the field in error."""

import pytest

from conftest import PHONE, axe_check
from kyodo.consultations.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_empty_submit_focuses_the_summary_which_links_to_the_field(new_page, location):
    Topic.objects.get_or_create(name="機材の使い方", defaults={"name_en": "Using the equipment"})
    page = new_page(PHONE, locale="en-GB")
    page.goto("/en/consultation/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'")
    top = summary.bounding_box()
    assert top is not None and top["y"] < PHONE["height"]  # seen without scrolling
    link = summary.locator("a[href='#id_topic']")
    assert link.count() == 1
    axe_check(page)
    link.click()
    focused = page.evaluate("document.activeElement.name")
    assert focused == "topic"  # the first choice of the field in error
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
