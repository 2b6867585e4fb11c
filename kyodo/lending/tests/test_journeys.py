"""Issue 12 (journeys): the rules before the request, a request started from a free day, the staff
change mail, a group under review, the directory as the group's choice, the return checklist, and the
unit's QR page. English (/en/) or structure: the Japanese catalogue is the lead's to compile."""

import re

import pytest

from conftest import PERSONAS
from kyodo.core.models import OutboundEmail
from kyodo.groups.models import Group, Membership
from kyodo.lending import services
from kyodo.lending.models import LendingRules, Reservation, ReservationUnit, Unit
from kyodo.lending.tests.conftest import TODAY, d


@pytest.fixture
def rules(location):
    return LendingRules.objects.create(
        location=location, max_days=5, min_days_ahead=3, inspection_days=2, max_units_per_group=4,
        pickup_hours="10:00–16:00", what_to_bring="登録証", what_to_bring_en="Your group's card",
    )  # fmt: skip


# --- The rules before the request -------------------------------------------------------------------


def test_the_summary_states_every_rule_with_defaults_for_blank_settings(location, camera):
    summary = services.summary(location, TODAY)
    assert (summary.max_days, summary.min_days_ahead, summary.inspection_days) == (7, 2, 1)
    assert summary.pickup_hours == summary.return_hours == "09:00–21:00"  # the same hours every open day
    assert summary.what_to_bring and summary.liability  # the defaults
    assert summary.earliest_pickup == d(3)  # two open days after Tuesday 1 June


def test_the_summary_reads_the_settings_in_the_readers_language(rules, camera):
    from django.utils import translation

    with translation.override("en"):
        summary = services.summary(rules.location, TODAY)
    assert (summary.max_days, summary.min_days_ahead, summary.max_units_per_group) == (5, 3, 4)
    assert summary.pickup_hours == "10:00–16:00" and summary.return_hours == "09:00–21:00"
    assert summary.what_to_bring == "Your group's card"
    with translation.override("ja"):
        assert services.summary(rules.location, TODAY).what_to_bring == "登録証"
    assert services.summaries(TODAY) == [services.summary(rules.location, TODAY)]


RULE_WORDS = ["Longest loan", "5 days, from pickup to return", "At least 3 open days before pickup",
              "Inspection day", "Limit per group", "4 units per group", "10:00–16:00", "What to bring",
              "Your group&#x27;s card", "Loss or damage"]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_catalogue_tells_the_rules(client_for, persona, rules, camera):
    html = client_for(persona).get("/en/equipment/").content.decode()
    for words in RULE_WORDS:
        assert words in html, words


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("member_a", 200), ("member_b", 200),
                                                  ("staff", 200), ("admin", 200)])  # fmt: skip
def test_the_request_form_tells_the_rules(client_for, persona, status, rules, camera):
    response = client_for(persona).get("/en/equipment/request/")
    assert response.status_code == status
    html = response.content.decode()
    if persona.startswith("member"):
        for words in RULE_WORDS:
            assert words in html, words
    elif status == 200:  # staff and admin belong to no group: told how to get one, not the form
        assert "Register a group" in html and "Longest loan" not in html


def test_staff_set_the_new_rules_and_the_change_is_audited(client_for, location):
    response = client_for("staff").post(
        f"/en/equipment/staff/rules/?location={location.pk}",
        {"min_days_ahead": 2, "max_days": 7, "inspection_days": 1, "max_units_per_request": 10,
         "max_units_per_group": 10, "pickup_hours": "13:00–17:00", "what_to_bring": "印鑑", "liability": "団体"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = LendingRules.objects.get(location=location)
    assert (saved.pickup_hours, saved.what_to_bring, saved.liability) == ("13:00–17:00", "印鑑", "団体")


# --- Start a request from a free day ------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_free_day_on_the_calendar_starts_a_request_with_the_item(client_for, persona, camera, kit):
    client = client_for(persona)
    html = client.get(f"/en/equipment/{camera.pk}/").content.decode()
    # 1 and 2 June are too soon (two open days ahead); 3 June is the first, and "next free" agrees.
    assert f"/equipment/request/?type={camera.pk}&amp;pickup=2027-06-03" in html
    assert "pickup=2027-06-02" not in html and "too soon" in html
    assert "Next free date:" in html and "Thu, 3 Jun 2027" in html
    assert f"/equipment/request/?type={camera.pk}&amp;pickup=2027-06-07" not in html  # closed Monday
    kit_html = client.get(f"/en/equipment/kits/{kit.pk}/").content.decode()
    assert f"/equipment/request/?kit={kit.pk}&amp;pickup=2027-06-03" in kit_html


def test_signing_in_from_a_free_day_keeps_the_item_and_the_day(client, kit):
    response = client.get(f"/equipment/request/?kit={kit.pk}&pickup=2027-06-03")
    assert response.status_code == 302
    assert f"next=/equipment/request/%3Fkit%3D{kit.pk}%26pickup%3D2027-06-03" in response.url


def test_a_full_day_offers_no_request(client_for, camera, member_b, group_b):
    services.create_request(member_b, group_b, [services.Line(3, camera.pk)], d(4), d(4), "配信", day=TODAY)
    html = client_for("anonymous").get(f"/en/equipment/{camera.pk}/").content.decode()
    assert "pickup=2027-06-04" not in html and "pickup=2027-06-03" in html


def test_next_free_date_counts_from_the_earliest_pickup(client_for, camera, member_b, group_b):
    # Every camera is taken on the 3rd (and held through the inspection day, the 4th): the next free
    # date is the 5th, not today (free, but too soon), and the calendar marks the same days.
    services.create_request(member_b, group_b, [services.Line(3, camera.pk)], d(3), d(3), "配信", day=TODAY)
    html = client_for("anonymous").get(f"/en/equipment/{camera.pk}/").content.decode()
    assert "Sat, 5 Jun 2027" in html.split("Next free date:")[1][:200]
    assert "pickup=2027-06-05" in html and "pickup=2027-06-03" not in html


def test_a_kit_request_shows_the_kit_alone_and_the_rest_behind_add_other(client_for, kit, camera, mic):
    html = (
        client_for("member_a").get(f"/en/equipment/request/?kit={kit.pk}&pickup=2027-06-03").content.decode()
    )
    chosen = html[html.index('class="chosen-items"') : html.index('class="other-items"')]
    assert f'name="kit_{kit.pk}"' in chosen and 'name="type_' not in chosen
    assert re.search(rf'name="kit_{kit.pk}"[^>]*value="1"', chosen)
    others = html[html.index('class="other-items"') :]
    assert "<summary>Add other equipment</summary>" in others and f'name="type_{camera.pk}"' in others
    assert '<details class="other-items">' in html  # closed until asked
    assert re.search(r'name="pickup_date"[^>]*value="2027-06-03"', html)
    plain = client_for("member_a").get("/en/equipment/request/").content.decode()
    assert 'class="chosen-items"' not in plain and f'name="type_{camera.pk}"' in plain


def test_the_prefilled_kit_request_is_sent(client_for, kit, group_a):
    client = client_for("member_a")
    url = f"/en/equipment/request/?kit={kit.pk}&pickup=2027-06-03"
    data = {"group": group_a.pk, f"kit_{kit.pk}": 1, "pickup_date": "2027-06-03", "return_date": "2027-06-04",
            "purpose": "総会", "action": "send"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Reservation.objects.get().items.count() == 2


@pytest.mark.parametrize("query", ["kit=abc", "type=99999999999999", "pickup=2027-13-45", "return=x"])
def test_wrong_prefills_are_ignored(client_for, camera, query):
    assert client_for("member_a").get(f"/en/equipment/request/?{query}").status_code == 200


# --- Staff change dates or quantities: the group is told -----------------------------------------------


def test_a_staff_change_mails_the_group_before_and_after(staff, member_a, group_a, camera, mic):
    r = services.create_request(
        member_a,
        group_a,
        [services.Line(1, camera.pk), services.Line(1, mic.pk)],
        d(3),
        d(4),
        "総会",
        day=TODAY,
    )
    OutboundEmail.objects.all().delete()
    camera_item = r.items.get(equipment_type=camera)
    mic_item = r.items.get(equipment_type=mic)
    services.edit(staff, r.pk, d(3), d(5), {camera_item.pk: 2, mic_item.pk: 0}, day=TODAY)
    mails = list(OutboundEmail.objects.filter(template="lending/email/changed"))
    recipients = {address for mail in mails for address in mail.to}
    assert recipients == {address for address, _language in group_a.mail_recipients()}  # the group's mail
    for mail in mails:
        assert "2027年6月4日(金) → 2027年6月5日(土)" in mail.body  # the return date, before → after
        assert "WEBカメラ（サンプル）: 1 → 2" in mail.body
        assert "マイクスピーカー（サンプル）: 1 → " in mail.body  # removed
        assert "2027年6月3日(木) →" not in mail.body  # the pickup did not change: not listed


def test_an_edit_that_changes_nothing_sends_nothing(staff, member_a, group_a, camera):
    r = services.create_request(
        member_a, group_a, [services.Line(1, camera.pk)], d(3), d(4), "総会", day=TODAY
    )
    OutboundEmail.objects.all().delete()
    services.edit(staff, r.pk, d(3), d(4), {r.items.get().pk: 1}, day=TODAY)
    assert not OutboundEmail.objects.filter(template="lending/email/changed").exists()


# --- A group under review --------------------------------------------------------------------------


def test_a_member_of_a_group_under_review_is_told_so_not_to_register_again(client, camera):
    from conftest import make_user

    user = make_user("new@example.jp")
    group = Group.objects.create(name="新しい町会", kana="あたらしいちょうかい", representative="代表",
                                 contact_email="new@example.jp", status="pending", created_by=user)  # fmt: skip
    Membership.objects.create(group=group, user=user, role=Membership.Role.MANAGER)
    assert services.borrowers(user).pending == [group] and services.borrowers(user).approved == []
    client.force_login(user)
    html = client.get("/en/equipment/request/").content.decode()
    assert "under review" in html and "新しい町会" in html and "What happens next" in html
    assert "/groups/register/" not in html.split("<main")[1].split("</main>")[0]


# --- Return: the checklist, missing accessories, the warning -------------------------------------------


@pytest.fixture
def loan_out(reserve, member_a, group_a, staff, camera):
    return reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)


def test_the_return_checklist_is_not_pre_ticked(client_for, loan_out):
    html = client_for("staff").get(f"/en/equipment/staff/return/{loan_out.pk}/").content.decode()
    boxes = re.findall(r'<input type="checkbox" name="acc_[^>]*>', html)
    assert len(boxes) == 2 and not any("checked" in b for b in boxes)


def test_a_refused_return_keeps_what_was_ticked(client_for, loan_out):
    loan = ReservationUnit.objects.get(reservation=loan_out)
    response = client_for("staff").post(f"/en/equipment/staff/return/{loan_out.pk}/",
                                        {f"acc_{loan.pk}": ["USBケーブル"], f"condition_{loan.pk}": "damaged"})  # fmt: skip
    assert response.status_code == 400  # a damaged unit needs a note
    boxes = re.findall(r'<input type="checkbox" name="acc_[^>]*>', response.content.decode())
    assert ["checked" in b for b in boxes] == [True, False]


def test_a_missing_accessory_shows_on_the_reservation_and_the_unit(client_for, loan_out, staff):
    loan = ReservationUnit.objects.get(reservation=loan_out)
    client = client_for("staff")
    response = client.post(f"/en/equipment/staff/return/{loan_out.pk}/",
                           {f"acc_{loan.pk}": ["USBケーブル"], f"condition_{loan.pk}": "ok"})  # fmt: skip
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.missing_accessories() == ["クリップ"]
    counter = client.get(response["Location"]).content.decode()  # the counter says it at once
    assert f"Not returned: {loan.unit.asset_tag}: クリップ." in counter
    member_view = client_for("member_a").get(f"/en/equipment/reservations/{loan_out.pk}/").content.decode()
    assert "Missing accessories" in member_view and "クリップ" in member_view
    review = client.get(f"/en/equipment/staff/requests/{loan_out.pk}/").content.decode()
    assert "Missing accessories: クリップ" in review
    unit_view = client.get(f"/en/equipment/units/{loan.unit_id}/").content.decode()
    assert "クリップ" in unit_view.split("Loan history")[1]
    assert "クリップ" in Unit.objects.get(pk=loan.unit_id).condition_notes


def test_all_accessories_back_says_nothing_is_missing(client_for, loan_out):
    loan = ReservationUnit.objects.get(reservation=loan_out)
    client = client_for("staff")
    response = client.post(f"/en/equipment/staff/return/{loan_out.pk}/",
                           {f"acc_{loan.pk}": ["USBケーブル", "クリップ"], f"condition_{loan.pk}": "ok"})  # fmt: skip
    assert response.status_code == 302
    assert "Not returned" not in client.get(response["Location"]).content.decode()


def test_all_accessories_back_is_nothing_missing(loan_out, staff):
    loan = ReservationUnit.objects.get(reservation=loan_out)
    services.return_loan(
        staff, loan_out.pk, [services.ReturnedUnit(loan.unit_id, ["USBケーブル", "クリップ"])], day=d(4)
    )
    loan.refresh_from_db()
    assert (
        loan.missing_accessories() == []
        and "missing" not in Unit.objects.get(pk=loan.unit_id).condition_notes
    )


def test_short_reservations_after_a_return_are_a_warning(client_for, loan_out, member_b, group_b, camera):
    services.create_request(member_b, group_b, [services.Line(3, camera.pk)], d(10), d(11), "配信", day=TODAY)
    loan = ReservationUnit.objects.get(reservation=loan_out)
    response = client_for("staff").post(
        f"/en/equipment/staff/return/{loan_out.pk}/",
        {f"condition_{loan.pk}": "damaged", f"note_{loan.pk}": "broken"}, follow=True,
    )  # fmt: skip
    html = response.content.decode()
    warnings = re.findall(r'<p class="message message-warning">([^<]*)</p>', html)
    assert any("short of units" in w for w in warnings)  # a warning (the missing accessories are another)
    assert not re.search(r'class="message message-success">[^<]*short of units', html)


# --- The unit's QR page ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_qr_page_is_public_and_staff_keep_theirs(client_for, persona, loan_out):
    unit = ReservationUnit.objects.get(reservation=loan_out).unit
    response = client_for(persona).get(f"/en/equipment/units/{unit.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    if persona in ("staff", "admin"):
        assert "Change the status" in html and "Loan history" in html
        return
    assert "Web camera (sample)" in html and "076-000-0000" in html and "center@example.jp" in html
    assert "<strong>USB</strong>" in html  # the setup guide
    assert "09:00–21:00" in html and re.search(
        r"<dt>Closed on</dt><dd><ul[^>]*><li>Mon</li><li>national holidays", html
    )
    assert "Change the status" not in html and "A町会" not in html  # nothing of the loan's group
    has_return = "Please return it by" in html
    assert has_return == (persona == "member_a")
    if has_return:
        assert "Fri, 4 Jun 2027" in html


def test_only_staff_change_a_unit_and_a_retired_one_has_no_public_page(client_for, camera):
    unit = camera.units.first()
    assert client_for("member_a").post(
        f"/en/equipment/units/{unit.pk}/", {"status": "retired"}
    ).status_code in (302, 403)
    assert Unit.objects.get(pk=unit.pk).status == "in_service"
    unit.status = "retired"
    unit.save()
    assert client_for("anonymous").get(f"/en/equipment/units/{unit.pk}/").status_code == 404
    assert client_for("staff").get(f"/en/equipment/units/{unit.pk}/").status_code == 200


def test_the_label_sheet_keeps_name_and_code_together_with_the_center(client_for, camera):
    html = client_for("staff").get("/en/equipment/staff/labels/").content.decode()
    labels = re.findall(r"<li><svg.*?</li>", html, re.S)
    assert len(labels) == 3
    for label in labels:
        text = label.split("</svg>")[1]
        assert re.search(r'<span class="tag">CAM-00\d</span><span class="name">WEBカメラ', text)
        assert "テストセンター" in text and "076-000-0000" in text


@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("member_a", 200), ("member_b", 404),
                                                  ("staff", 200), ("admin", 200)])  # fmt: skip
def test_who_sees_the_missing_accessory_on_the_reservation(client_for, persona, status, loan_out, staff):
    loan = ReservationUnit.objects.get(reservation=loan_out)
    services.return_loan(staff, loan_out.pk, [services.ReturnedUnit(loan.unit_id, ["USBケーブル"])], day=d(4))
    response = client_for(persona).get(f"/en/equipment/reservations/{loan_out.pk}/")
    assert response.status_code == status
    if status == 200:
        assert "Missing accessories: クリップ" in response.content.decode()


def test_the_unit_card_gives_the_return_date_only_to_the_borrowing_group(loan_out, member_a, member_b, staff):
    from django.contrib.auth.models import AnonymousUser

    unit = ReservationUnit.objects.get(reservation=loan_out).unit
    assert services.unit_card(unit, member_a).return_date == d(4)
    assert services.unit_card(unit, member_a).reservation_id == loan_out.pk
    for other in (member_b, AnonymousUser()):
        card = services.unit_card(unit, other)
        assert card.return_date is None and card.reservation_id is None
        assert card.location == unit.equipment_type.location and card.closed_weekdays == [0]  # Mondays
    services.return_loan(
        staff, loan_out.pk, [services.ReturnedUnit(unit.pk, ["USBケーブル", "クリップ"])], day=d(4)
    )
    assert services.unit_card(unit, member_a).return_date is None  # back at the center
