"""Every lending page for every persona, and the main flows through the HTML forms."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from conftest import PERSONAS
from kyodo.core.models import OutboundEmail
from kyodo.lending.models import ExtensionRequest, Reservation, Unit
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas, camera, mic, kit, member_a, group_a, member_b, group_b, staff, reserve):
    """Group A has an approved reservation (purpose 'A秘密の総会'); group B a loan out."""
    from kyodo.lending import services

    a = services.create_request(
        member_a, group_a, [services.Line(1, camera.pk)], d(3), d(4), "A秘密の総会", day=d(1)
    )
    services.approve(staff, a.pk, day=d(1))
    b = reserve(member_b, group_b, {mic: 1}, d(3), d(5), "checked_out", staff)
    return {"a": Reservation.objects.get(pk=a.pk), "b": b, "unit": Unit.objects.get(asset_tag="CAM-001")}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_catalogue_pages(client_for, setup, camera, kit, persona, prefix):
    client = client_for(persona)
    for path in [
        "/equipment/",
        f"/equipment/{camera.pk}/",
        f"/equipment/kits/{kit.pk}/",
        f"/equipment/{camera.pk}/?month=2027-07",
    ]:
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "A秘密の総会" not in html and "Bサークル" not in html  # nothing of any group leaks
    html = client.get(prefix + f"/equipment/{camera.pk}/").content.decode()
    assert ("Web camera (sample)" if prefix else "WEBカメラ（サンプル）") in html
    assert "<strong>USB</strong>" in html  # the setup guide is formatted
    assert 'class="table-wrap" tabindex="0"' in html


def test_catalogue_filters(client, setup, camera, mic, kit):
    html = client.get("/equipment/?category=audio").content.decode()
    assert "マイクスピーカー" in html and "WEBカメラ（サンプル）</a>" not in html
    # Mic: 2 units, one out 3–5 June (+ inspection to the 6th): still 1 free; camera: 2 free.
    html = client.get("/equipment/?start=2027-06-03&end=2027-06-04").content.decode()
    assert "空き1台" in html and "空き2台" in html
    assert client.get("/equipment/?start=2027-06-05&end=2027-06-01").status_code == 400
    assert client.get("/equipment/?start=garbage").status_code == 400
    assert client.get("/equipment/99999/").status_code == 404
    assert client.get("/equipment/kits/99999/").status_code == 404
    assert client.get(f"/equipment/{camera.pk}/?month=2500-01").status_code == 404
    assert client.get(f"/equipment/{camera.pk}/?month=bad").status_code == 200


def test_type_page_shows_free_counts_and_next_free_date(client, setup, mic, member_a, group_a, reserve):
    reserve(member_a, group_a, {mic: 1}, d(3), d(6))  # both mics held 3–8 June (inspection on the 8th)
    html = client.get(f"/equipment/{mic.pk}/?month=2027-06").content.decode()
    # Today is free, but a request made today picks up two open days later (3 June), while both mics are
    # held; the first date one can actually pick is the 8th.
    assert "次に空いている日：" in html and "2027年6月8日(火)" in html
    assert '<td class="full' in html and '<span class="free">0</span>' in html and "休館" in html
    assert '<span class="free">1</span>' in html


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 200), ("member_b", 200), ("staff", 200), ("admin", 200)],
)
def test_request_page_needs_sign_in(client_for, setup, persona, expected):
    assert client_for(persona).get("/equipment/request/").status_code == expected


def test_request_without_an_approved_group_explains(client, setup):
    from conftest import make_user

    client.force_login(make_user("lonely@example.jp"))
    html = client.get("/equipment/request/").content.decode()
    assert "団体を登録する" in html and "申請を送る" not in html


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 200), ("member_b", 404), ("staff", 200), ("admin", 200)],
)
def test_reservation_page_only_for_the_group_and_staff(client_for, setup, persona, expected):
    client = client_for(persona)
    response = client.get(f"/equipment/reservations/{setup['a'].pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert "A秘密の総会" in response.content.decode()
    cancel = client.post(f"/equipment/reservations/{setup['a'].pk}/cancel/")
    assert cancel.status_code == (404 if expected == 404 else 302)
    status = Reservation.objects.get(pk=setup["a"].pk).status
    assert status == ("cancelled" if expected == 200 else "approved")


STAFF_PAGES = [
    "/equipment/staff/requests/",
    "/equipment/staff/requests/?status=checked_out",
    "/equipment/staff/requests/{a}/",
    "/equipment/staff/counter/",
    "/equipment/staff/counter/?date=2027-06-03",
    "/equipment/staff/checkout/{a}/",
    "/equipment/staff/return/{b}/",
    "/equipment/staff/labels/",
]  # a unit's page is the QR label's: public for others (test_journeys), the staff page for staff


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("staff", 200), ("admin", 200)],
)
def test_staff_pages_are_staff_only(client_for, setup, persona, expected):
    client = client_for(persona)
    for path in STAFF_PAGES:
        path = path.format(a=setup["a"].pk, b=setup["b"].pk, unit=setup["unit"].pk)
        assert client.get(path).status_code == expected, path
        assert client.get("/en" + path).status_code == expected, path


def test_group_page_and_profile_show_own_reservations_only(client_for, setup, group_a, group_b):
    a = client_for("member_a")
    assert "A秘密の総会" in a.get(f"/groups/mine/{group_a.pk}/").content.decode()
    assert "A秘密の総会" in a.get("/me/").content.decode()
    b = client_for("member_b")
    assert b.get(f"/groups/mine/{group_a.pk}/").status_code == 404
    html = b.get(f"/groups/mine/{group_b.pk}/").content.decode()
    assert f"#{setup['b'].pk}" in html and f"#{setup['a'].pk}<" not in html
    assert f">#{setup['a'].pk}<" not in b.get("/me/").content.decode()
    staff_html = client_for("staff").get(f"/groups/mine/{group_a.pk}/").content.decode()
    assert f">#{setup['a'].pk}<" in staff_html


def test_staff_home_shows_the_lending_block(client_for, setup):
    html = client_for("staff").get("/staff/").content.decode()
    assert "審査待ちの申請" in html and "今日の窓口" in html


def test_member_requests_through_the_form(client_for, setup, kit, camera, group_a):
    client = client_for("member_a")
    form = {
        "group": group_a.pk,
        "pickup_date": "2027-06-10",
        "return_date": "2027-06-12",
        "purpose": "町会総会",
        "audience_size": "30",
        f"kit_{kit.pk}": "1",
    }
    html = client.get(f"/equipment/request/?kit={kit.pk}").content.decode()
    assert f'name="kit_{kit.pk}" value="1"' in html
    response = client.post("/equipment/request/", {**form, "action": "check"})
    html = response.content.decode()
    assert (
        response.status_code == 200 and "空きがあります" in html and '<span class="badge ok">2</span>' in html
    )
    assert Reservation.objects.count() == 2  # checking writes nothing
    response = client.post("/equipment/request/", {**form, "action": "send"})
    new = Reservation.objects.latest("pk")
    assert response.status_code == 302 and response["Location"].endswith(f"/equipment/reservations/{new.pk}/")
    assert new.status == "requested" and new.items.count() == 2 and new.audience_size == 30
    assert OutboundEmail.objects.filter(subject__contains=f"#{new.pk}").exists()


def test_request_form_errors(client_for, setup, camera, group_a, group_b):
    client = client_for("member_a")
    base = {"group": group_a.pk, "pickup_date": "2027-06-03", "return_date": "2027-06-04", "purpose": "総会"}
    response = client.post("/equipment/request/", {**base, f"type_{camera.pk}": "3", "action": "send"})
    html = response.content.decode()
    assert (
        response.status_code == 409
        and "空きのない機材" in html
        and '<strong class="badge danger">2</strong>' in html
    )
    response = client.post(
        "/equipment/request/", {**base, "pickup_date": "2027-06-02", f"type_{camera.pk}": "1"}
    )
    assert response.status_code == 400 and "申請期限" in response.content.decode()
    response = client.post("/equipment/request/", {**base})
    assert response.status_code == 400 and "1つ以上選び" in response.content.decode()
    response = client.post("/equipment/request/", {**base, "group": group_b.pk, f"type_{camera.pk}": "1"})
    assert response.status_code == 400  # not one of the member's groups
    response = client.post(
        "/equipment/request/", {**base, "pickup_date": "nonsense", f"type_{camera.pk}": "-1"}
    )
    assert response.status_code == 400
    assert Reservation.objects.count() == 2


def test_member_cancels_and_asks_for_extension(client_for, setup):
    client = client_for("member_a")
    pk = setup["a"].pk
    client.post(f"/equipment/reservations/{pk}/extend/", {"new_return_date": "2027-06-05", "reason": "延長"})
    assert ExtensionRequest.objects.filter(reservation_id=pk, status="pending").exists()
    client.post(f"/equipment/reservations/{pk}/extend/", {"new_return_date": "bad"})
    assert client.post(f"/equipment/reservations/{pk}/cancel/").status_code == 302
    assert Reservation.objects.get(pk=pk).status == "cancelled"
    response = client.post(f"/equipment/reservations/{pk}/cancel/", follow=True)
    assert "受け取り前の予約だけ" in response.content.decode()


def test_extension_beyond_longest_loan_shows_on_the_form_and_saves_nothing(client_for, setup):
    pk = setup["a"].pk  # 3rd to 4th; a loan lasts at most 7 days
    response = client_for("member_a").post(
        f"/equipment/reservations/{pk}/extend/", {"new_return_date": "2027-06-27", "reason": "延長"}
    )
    assert response.status_code == 400
    assert "ルール「最長貸出日数」：貸出は最長7日間です。" in response.content.decode()
    assert not ExtensionRequest.objects.filter(reservation_id=pk).exists()
    assert Reservation.objects.get(pk=pk).return_date == d(4)


def test_staff_review_approve_decline_edit(client_for, setup, member_a, group_a, camera):
    from kyodo.lending import services

    r = services.create_request(
        member_a, group_a, [services.Line(1, camera.pk)], d(10), d(11), "総会", day=d(1)
    )
    client = client_for("staff")
    url = f"/equipment/staff/requests/{r.pk}/"
    item = r.items.get()
    response = client.post(
        url + "edit/", {"pickup_date": "2027-06-10", "return_date": "2027-06-14", f"item_{item.pk}": "1"}
    )
    assert response.status_code == 400 and "休館日" in response.content.decode()
    response = client.post(
        url + "edit/", {"pickup_date": "2027-06-10", "return_date": "2027-06-11", f"item_{item.pk}": "9"}
    )
    assert response.status_code == 409
    response = client.post(
        url + "edit/", {"pickup_date": "2027-06-10", "return_date": "2027-06-12", f"item_{item.pk}": "2"}
    )
    assert response.status_code == 302
    assert client.post(url + "decline/", {"reason": ""}).status_code == 400
    assert client.post(url + "approve/").status_code == 302
    r.refresh_from_db()
    assert r.status == "approved" and r.return_date == d(12) and r.items.get().quantity == 2
    response = client.post(url + "approve/")
    assert (
        response.status_code == 400 and "承認できるのは審査待ちの申請だけです。" in response.content.decode()
    )
    assert client.post(url + "decline/", {"reason": "機材点検のため"}).status_code == 302
    assert Reservation.objects.get(pk=r.pk).status == "declined"
    html = client.get(url).content.decode()
    history = html.split("<ul>")[-1].split("</ul>")[0]  # the history is the page's last list
    assert "不承認 機材点検のため" in html and "lending.decline" not in html, history
    assert client.post(url, {"action": "approve"}).status_code == 405  # the page itself only shows


def test_staff_decides_extension(client_for, setup, member_a):
    from kyodo.lending import services

    ext = services.request_extension(member_a, setup["a"].pk, d(5))
    client = client_for("staff")
    assert "確認待ちの延長申請" in client.get("/equipment/staff/requests/").content.decode()
    page = client.get(f"/equipment/staff/requests/{setup['a'].pk}/").content.decode()
    assert f"/equipment/staff/extensions/{ext.pk}/approve/" in page
    response = client.post(f"/equipment/staff/extensions/{ext.pk}/approve/")
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{setup['a'].pk}/")
    assert Reservation.objects.get(pk=setup["a"].pk).return_date == d(5)
    assert client.post(f"/equipment/staff/extensions/{ext.pk}/decline/").status_code == 400  # decided
    assert client.post("/equipment/staff/extensions/999999/approve/").status_code == 404


def test_staff_cancels_from_the_review_page(client_for, setup):
    response = client_for("staff").post(f"/equipment/staff/requests/{setup['a'].pk}/cancel/")
    assert response.status_code == 302
    assert Reservation.objects.get(pk=setup["a"].pk).status == "cancelled"


def test_counter_checkout_by_tags_and_return(client_for, setup, monkeypatch, mic):
    from kyodo.lending import services

    monkeypatch.setattr(services.clock, "today", lambda: d(3))
    client = client_for("staff")
    html = client.get("/equipment/staff/counter/").content.decode()
    assert "受け取り予定" in html and f"#{setup['a'].pk}" in html
    url = f"/equipment/staff/checkout/{setup['a'].pk}/"
    response = client.post(url, {"tags": "MIC-002\nNOPE"})
    assert response.status_code == 400 and "NOPE" in response.content.decode()
    assert (
        client.post(
            url, {"tags": "cam-002\n", "accessories": ["WEBカメラ（サンプル）: USBケーブル"]}
        ).status_code
        == 302
    )
    reservation = Reservation.objects.get(pk=setup["a"].pk)
    assert reservation.status == "checked_out" and reservation.units.get().unit.asset_tag == "CAM-002"
    assert reservation.units.get().accessories_out == ["WEBカメラ（サンプル）: USBケーブル"]
    # Take it back damaged: it goes under repair.
    loan = reservation.units.get()
    url = f"/equipment/staff/return/{reservation.pk}/"
    response = client.post(url, {f"condition_{loan.pk}": "damaged", f"note_{loan.pk}": ""})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            f"condition_{loan.pk}": "damaged",
            f"note_{loan.pk}": "ケーブル断線",
            f"acc_{loan.pk}": ["USBケーブル"],
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(asset_tag="CAM-002").status == "under_repair"
    assert Reservation.objects.get(pk=reservation.pk).status == "returned"
    # The overdue loan of group B shows on the counter after its return date.
    monkeypatch.setattr(services.clock, "today", lambda: d(8))
    html = client.get("/equipment/staff/counter/").content.decode()
    assert "延滞" in html and f"#{setup['b'].pk}" in html


def test_unit_page_status_change_warns_about_short_reservations(client_for, setup, member_b, group_b, camera):
    from kyodo.lending import services

    services.create_request(member_b, group_b, [services.Line(2, camera.pk)], d(3), d(4), "配信", day=d(1))
    client = client_for("staff")
    unit = setup["unit"]
    html = client.get(f"/equipment/units/{unit.pk}/").content.decode()
    assert "CAM-001" in html and "<svg" in html and "センターにあります" in html
    response = client.post(
        f"/equipment/units/{unit.pk}/", {"status": "under_repair", "note": "落下"}, follow=True
    )
    assert "機材が足りなくなりました" in response.content.decode()
    assert client.post(f"/equipment/units/{unit.pk}/", {"status": "bogus"}).status_code == 400
    assert client.get("/equipment/staff/find/?tag=cam-001").url.endswith(f"/equipment/units/{unit.pk}/")
    assert client.get("/equipment/staff/find/?tag=zzz").status_code == 302


def test_labels_sheet_has_a_qr_per_unit(client_for, setup):
    html = client_for("staff").get("/equipment/staff/labels/").content.decode()
    assert html.count("<svg") == 5 and "CAM-003" in html and "MIC-002" in html
    # The A4 print layout is a static stylesheet (the CSP allows no inline <style>).
    assert "/static/lending/labels.css" in html
    assert "size: A4" in Path(finders.find("lending/labels.css")).read_text()


@pytest.mark.parametrize("persona", ["anonymous", "member_a", "member_b"])
def test_staff_actions_refused_to_others_and_nothing_changes(client_for, setup, persona):
    client = client_for(persona)
    a, b, unit = setup["a"], setup["b"], setup["unit"]
    posts = [
        (f"/equipment/staff/requests/{a.pk}/decline/", {"reason": "x"}),
        (f"/equipment/staff/requests/{a.pk}/cancel/", {}),
        (
            f"/equipment/staff/requests/{a.pk}/edit/",
            {"pickup_date": "2027-06-03", "return_date": "2027-06-03"},
        ),
        (f"/equipment/staff/checkout/{a.pk}/", {"tags": "CAM-001"}),
        (f"/equipment/staff/return/{b.pk}/", {}),
        (f"/equipment/units/{unit.pk}/", {"status": "retired"}),
    ]
    for path, data in posts:
        assert client.post(path, data).status_code == (302 if persona == "anonymous" else 403), path
    assert Reservation.objects.get(pk=a.pk).status == "approved"
    assert Reservation.objects.get(pk=b.pk).status == "checked_out"
    assert Unit.objects.get(pk=unit.pk).status == "in_service"


def test_review_warns_when_the_group_has_an_overdue_loan(
    client_for, setup, monkeypatch, member_b, group_b, camera
):
    from kyodo.lending import services

    later = services.create_request(
        member_b, group_b, [services.Line(1, camera.pk)], d(15), d(16), "配信", day=d(1)
    )
    monkeypatch.setattr(services.clock, "today", lambda: d(8))
    html = client_for("staff").get(f"/equipment/staff/requests/{later.pk}/").content.decode()
    assert "返却期限を過ぎた貸出があります：" in html and f"#{setup['b'].pk}" in html


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("staff", 200), ("admin", 200)],
)
def test_rules_page_is_staff_only(client_for, persona, expected, location):
    assert client_for(persona).get("/equipment/staff/rules/").status_code == expected
    client_for(persona).post(
        "/equipment/staff/rules/",
        {
            "min_days_ahead": 0,
            "max_days": 3,
            "inspection_days": 0,
            "max_units_per_request": 5,
            "max_units_per_group": 5,
        },
    )
    from kyodo.lending.models import LendingRules

    assert LendingRules.objects.filter(location=location, max_days=3).exists() == (expected == 200)


def test_staff_change_the_rules_and_they_apply(client_for, location, camera, member_a, group_a):
    from kyodo.core.models import AuditEntry
    from kyodo.lending import services

    client = client_for("staff")
    data = {
        "min_days_ahead": 0,
        "max_days": 2,
        "inspection_days": 0,
        "max_units_per_request": 1,
        "max_units_per_group": 1,
    }
    assert (
        client.post(f"/equipment/staff/rules/?location={location.pk}", {**data, "max_days": 0}).status_code
        == 400
    )
    assert (
        client.post(f"/equipment/staff/rules/?location={location.pk}", {**data, "max_days": "x"}).status_code
        == 400
    )
    assert client.post(f"/equipment/staff/rules/?location={location.pk}", data).status_code == 302
    assert AuditEntry.objects.filter(action="lending.rules").exists()
    r = services.create_request(
        member_a, group_a, [services.Line(1, camera.pk)], d(1), d(2), "総会", day=d(1)
    )
    assert r.hold_until == d(2)  # no inspection day now, and no days ahead needed


def test_next_free_date_honours_days_ahead_accessories_in_english_and_units_are_never_deleted(
    client_for, personas, location
):
    """Next free date honours "open days ahead"; English accessories; units are retired, not deleted."""

    from kyodo.lending import services
    from kyodo.lending.models import EquipmentType, Unit

    camera = EquipmentType.objects.create(
        name="カメラ",
        category="camera",
        location=location,
        accessories="USBケーブル",
        accessories_en="USB cable",
    )
    unit = Unit.objects.create(equipment_type=camera, asset_tag="CAM-9")
    html = client_for("anonymous").get(f"/en/equipment/{camera.pk}/").content.decode()
    assert "USB cable" in html and "USBケーブル" not in html
    earliest = services.earliest_pickup(location, services.rules_for(location), services.today())
    from kyodo.core.dates import format_date

    ja = client_for("anonymous").get(f"/equipment/{camera.pk}/").content.decode()
    assert format_date(earliest, "ja") in ja
    # Requested on Tuesday 1 June, two open days ahead: Wednesday 2 and Thursday 3, so Thursday.
    assert earliest == d(3)
    admin = client_for("admin")
    assert admin.post(f"/admin/lending/unit/{unit.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_catalogue_comes_in_pages_of_24_that_keep_the_filter(client, location, camera):
    from kyodo.lending.models import EquipmentType, Unit

    for i in range(30):
        kind = EquipmentType.objects.create(
            name=f"マイク{i:02d}", category="audio", location=location, order=i
        )
        Unit.objects.create(equipment_type=kind, asset_tag=f"MIC-{i:03d}")
    first = client.get("/equipment/?category=audio").content.decode()
    assert first.count("マイク") >= 24 and "マイク23" in first and "マイク24" not in first
    assert "category=audio&amp;page=2" in first
    second = client.get("/equipment/?category=audio&page=2").content.decode()
    assert "マイク24" in second and "マイク29" in second and "マイク23" not in second
    assert "page=3" not in second
