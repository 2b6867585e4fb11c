"""The journey: a member asks for the online-meeting kit on a phone, staff approve, check it out by typing
the asset tags, and take it back. Every page visited passes axe."""

import pytest

from conftest import DESKTOP, PHONE, axe_check, browser_login
from kyodo.lending.models import Reservation, Unit
from kyodo.lending.tests.conftest import d

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_screen(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1, page.url


def test_member_requests_kit_staff_approve_check_out_and_take_back(
    new_page, kit, member_a, staff, monkeypatch
):
    from kyodo.lending import services

    # The member, on a phone.
    phone = new_page(PHONE)
    browser_login(phone, member_a.email)
    phone.goto("/equipment/")
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    phone.get_by_role("link", name="オンライン総会セット").click()
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    phone.get_by_role("link", name="このセットを申請する").click()
    assert phone.input_value(f"#id_kit_{kit.pk}") == "1"
    phone.fill("#id_pickup_date", "2027-06-03")
    phone.fill("#id_return_date", "2027-06-05")
    phone.fill("#id_purpose", "町会総会（オンライン）")
    phone.fill("#id_audience_size", "45")
    phone.get_by_role("button", name="空きを確認").click()
    assert phone.get_by_text("空きがあります").is_visible()
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    phone.locator("button[name=stage][value=review]").click()  # 確認画面 (its words: NEW_MSGIDS_forms)
    phone.wait_for_load_state()
    assert "町会総会（オンライン）" in phone.locator(".review-list").inner_text()
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    phone.locator("button[name=stage][value=commit]").click()
    phone.wait_for_url("**/equipment/reservations/*/")
    assert phone.get_by_text("申請を送りました").is_visible()
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    reservation = Reservation.objects.get()
    assert reservation.status == "requested" and reservation.items.count() == 2

    # Staff, at the counter's desktop: approve.
    desk = new_page(DESKTOP)
    browser_login(desk, staff.email)
    desk.goto("/equipment/staff/requests/")
    axe_check(desk)
    desk.get_by_role("link", name=f"#{reservation.pk}").click()
    axe_check(desk)
    desk.get_by_role("button", name="承認する").click()
    assert desk.get_by_text("申請を承認しました").is_visible()
    assert Reservation.objects.get().status == "approved"

    # Pickup day: check out by typing the tags (a scanner types each tag and Enter).
    monkeypatch.setattr(services.clock, "today", lambda: d(3))
    desk.goto("/equipment/staff/counter/")
    axe_check(desk)
    desk.get_by_role("link", name="貸出", exact=True).first.click()
    axe_check(desk)
    desk.click("#id_tags")
    desk.keyboard.type("CAM-001")
    desk.keyboard.press("Enter")
    desk.keyboard.type("mic-001")
    desk.keyboard.press("Enter")
    desk.get_by_label("WEBカメラ（サンプル）: USBケーブル").check()
    desk.get_by_role("button", name="貸出", exact=True).click()
    assert desk.get_by_text(f"貸し出しました：予約 #{reservation.pk}").is_visible()
    assert Reservation.objects.get().status == "checked_out"

    # The member sees the loan on their phone.
    phone.goto("/me/")
    assert phone.get_by_text("貸出中").first.is_visible()
    axe_check(phone)

    # Return day: take it back, the camera damaged.
    monkeypatch.setattr(services.clock, "today", lambda: d(5))
    desk.goto("/equipment/staff/counter/")
    desk.get_by_role("link", name="返却受付", exact=True).first.click()
    axe_check(desk)
    camera_loan = reservation.units.get(unit__asset_tag="CAM-001")
    desk.check(f"#damaged_{camera_loan.pk}")
    desk.fill(f"#note_{camera_loan.pk}", "レンズに傷")
    desk.get_by_role("button", name="返却受付").click()
    assert desk.get_by_text(f"返却を受け付けました：予約 #{reservation.pk}").is_visible()
    assert Reservation.objects.get().status == "returned"
    assert Unit.objects.get(asset_tag="CAM-001").status == "under_repair"

    # The unit's page (what its QR label opens) and the label sheet.
    desk.goto(f"/equipment/units/{camera_loan.unit_id}/")
    axe_check(desk)
    assert desk.get_by_text("レンズに傷").first.is_visible()
    desk.goto("/equipment/staff/labels/")
    axe_check(desk)
    for path in ["/staff/", "/equipment/staff/rules/", f"/equipment/staff/requests/{reservation.pk}/"]:
        desk.goto(path)
        axe_check(desk)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_catalogue_pages_pass_axe_on_a_phone(new_page, kit, camera, prefix):
    page = new_page(PHONE)
    for path in ["/equipment/", f"/equipment/{camera.pk}/", "/equipment/?start=2027-06-03&end=2027-06-05"]:
        page.goto(prefix + path)
        axe_check(page)
        fits_the_screen(page, PHONE)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_free_day_on_a_phone_starts_the_request_with_the_item(new_page, camera, kit, member_a, prefix):
    phone = new_page(PHONE)
    browser_login(phone, member_a.email, prefix=prefix)
    phone.goto(f"{prefix}/equipment/kits/{kit.pk}/")
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    phone.locator("a.start-request[href*='pickup=2027-06-03']").click()
    phone.wait_for_url("**/equipment/request/**")
    axe_check(phone)
    fits_the_screen(phone, PHONE)
    assert phone.input_value(f"#id_kit_{kit.pk}") == "1"
    assert phone.input_value("#id_pickup_date") == "2027-06-03"
    assert not phone.locator(f"#id_type_{camera.pk}").is_visible()  # behind "add other equipment"
    phone.locator(".other-items summary").click()
    assert phone.locator(f"#id_type_{camera.pk}").is_visible()


def test_the_qr_label_opens_a_public_page_on_a_phone(new_page, camera):
    unit = Unit.objects.get(asset_tag="CAM-001")
    for prefix in ("", "/en"):
        phone = new_page(PHONE)
        phone.goto(f"{prefix}/equipment/units/{unit.pk}/")
        axe_check(phone)
        fits_the_screen(phone, PHONE)
        assert phone.locator("a[href^='tel:']").count() >= 1
