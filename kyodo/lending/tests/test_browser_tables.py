"""Tables on a phone: at 375 px the tables marked `stack` (my loans, a unit's history, the statistics,
the staff lists) reflow as cards, each value labelled by its column's header, dates unbroken, and no
page scrolls sideways."""

import pytest

from conftest import DESKTOP, PHONE, browser_login
from kyodo.lending.models import Unit
from kyodo.lending.tests.conftest import d

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth"
CARD_STYLE = """() => {
  const table = document.querySelector("table.stack");
  if (!table) return null;
  const row = table.querySelector("tbody tr");
  const cell = row.querySelector("td[data-label]");
  const date = table.querySelector("td.date");
  return {
    row: getComputedStyle(row).display,
    head: table.querySelector("thead").getBoundingClientRect().height,
    label: cell ? getComputedStyle(cell, "::before").content : null,
    date: date ? getComputedStyle(date).whiteSpace : null,
    clipped: [...table.querySelectorAll("td")].some(td => td.scrollWidth > td.clientWidth + 1),
  };
}"""


def test_tables_reflow_as_cards_on_a_phone_and_nothing_scrolls_sideways(
    new_page, camera, mic, member_a, group_a, member_b, group_b, staff, reserve
):
    group_a.name = "金沢市中央地区町会連合会オンライン総会準備委員会"
    group_a.save()
    out = reserve(member_a, group_a, {camera: 2}, d(3), d(5), "checked_out", staff)
    out.purpose = "町会の総会をオンラインで開催し、欠席者にも配信するための機材一式の借用"
    out.save()
    reserve(member_b, group_b, {mic: 1}, d(9), d(11))
    unit = Unit.objects.filter(loans__reservation=out).first()

    page = new_page(PHONE)
    browser_login(page, member_a.email)
    pages = [("/me/", True)]
    page.goto(f"/equipment/reservations/{out.pk}/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= PHONE["width"], page.url
    for path, has_dates in pages:
        page.goto(path)
        _check_cards(page, has_dates)

    staff_page = new_page(PHONE)
    browser_login(staff_page, staff.email)
    for path, has_dates in [
        (f"/equipment/units/{unit.pk}/", True),
        ("/staff/stats/", False),
        ("/en/staff/stats/", False),
        ("/equipment/staff/requests/?status=requested", True),
        ("/equipment/staff/requests/?status=checked_out", True),
        ("/groups/review/?status=approved", True),
        (f"/equipment/staff/requests/{out.pk}/", None),
        (f"/equipment/units/{unit.pk}/retire/", None),
    ]:
        staff_page.goto(path)
        if has_dates is None:
            assert staff_page.evaluate(NO_SIDEWAYS_SCROLL) <= PHONE["width"], path
        else:
            _check_cards(staff_page, has_dates)

    desk = new_page(DESKTOP)
    browser_login(desk, member_a.email)
    desk.goto("/me/")
    wide = desk.evaluate(CARD_STYLE)
    assert wide["row"] == "table-row" and wide["date"] == "nowrap"  # a real table where there is room


def _check_cards(page, has_dates):
    assert page.evaluate(NO_SIDEWAYS_SCROLL) <= PHONE["width"], page.url
    style = page.evaluate(CARD_STYLE)
    assert style is not None, f"{page.url}: no table.stack"
    assert style["row"] == "block" and style["head"] <= 1, (page.url, style)
    assert style["label"] not in (None, "none", "normal", '""'), (page.url, style)
    assert not style["clipped"], (page.url, style)  # nothing hidden inside a card
    if has_dates:  # on a card a date goes below its label, whole: never 2027年6月 / 3日(木)
        assert style["date"] == "nowrap", (page.url, style)
