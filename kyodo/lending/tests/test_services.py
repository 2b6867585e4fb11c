"""The lending rules, each through the one service every door uses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from kyodo.core.errors import Unavailable
from kyodo.core.models import OutboundEmail
from kyodo.lending import availability, services
from kyodo.lending.models import ExtensionRequest, LendingRules, Reservation, Unit
from kyodo.lending.tests.conftest import TODAY, d

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are matched in English here; the Japanese catalogue is checked in test_catalogue."""
    with translation.override("en"):
        yield


def lines(*pairs):
    return [services.Line(quantity=q, equipment_type_id=t.pk) for t, q in pairs]


def test_request_holds_units_including_inspection_buffer(member_a, group_a, camera):
    r = services.create_request(member_a, group_a, lines((camera, 2)), d(3), d(5), "総会", 40)
    assert r.status == "requested" and r.hold_until == d(6)  # one open day after return
    free = availability.free_by_day([camera.pk], d(2), d(8), TODAY)[camera.pk]
    assert [free[d(n)] for n in range(2, 9)] == [3, 1, 1, 1, 1, 3, 3]


def test_inspection_buffer_skips_closed_days(member_a, group_a, camera):
    r = services.create_request(member_a, group_a, lines((camera, 1)), d(4), d(6), "総会")
    assert r.hold_until == d(8)  # Sunday return; Monday closed; Tuesday is the inspection day


def test_rules_each_name_the_rule(member_a, group_a, camera):
    cases = [
        ((d(2), d(3)), "pickup_date", "open days ahead"),
        ((d(7), d(8)), "pickup_date", "closed"),
        ((d(3), d(14)), "return_date", "closed"),
        ((d(3), d(12)), "return_date", "longest loan"),
        ((d(5), d(3)), "return_date", "on or after"),
    ]
    for (pickup, ret), field, words in cases:
        with pytest.raises(ValidationError) as exc:
            services.create_request(member_a, group_a, lines((camera, 1)), pickup, ret, "総会")
        assert field in exc.value.message_dict, (pickup, ret)
        assert words in " ".join(exc.value.message_dict[field]), exc.value.message_dict
    assert not Reservation.objects.exists()


def test_rules_are_configurable_per_location(member_a, group_a, camera, location):
    LendingRules.objects.create(
        location=location, min_days_ahead=0, max_days=2, inspection_days=0, max_units_per_request=1
    )
    r = services.create_request(member_a, group_a, lines((camera, 1)), d(1), d(2), "総会")
    assert r.hold_until == d(2)
    with pytest.raises(ValidationError, match="longest loan"):
        services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(5), "総会")
    with pytest.raises(ValidationError, match="units per request"):
        services.create_request(member_a, group_a, lines((camera, 2)), d(3), d(4), "総会")


def test_units_per_group_at_once(member_a, group_a, camera, mic, location):
    LendingRules.objects.create(location=location, max_units_per_group=3)
    services.create_request(member_a, group_a, lines((camera, 2)), d(3), d(5), "総会")
    with pytest.raises(ValidationError, match="units per group"):
        services.create_request(member_a, group_a, lines((mic, 2)), d(5), d(6), "総会")
    services.create_request(member_a, group_a, lines((mic, 1)), d(5), d(6), "総会")  # 3 at once is fine


def test_only_members_of_approved_groups_without_overdue(member_a, member_b, group_a, camera, staff):
    with pytest.raises(PermissionDenied):
        services.create_request(member_b, group_a, lines((camera, 1)), d(3), d(4), "総会")
    group_a.status = "pending"
    group_a.save()
    with pytest.raises(ValidationError, match="approved groups"):
        services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(4), "総会")
    group_a.status = "approved"
    group_a.save()
    r = services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(4), "総会")
    services.approve(staff, r.pk)
    services.checkout(staff, r.pk, ["CAM-001"], day=d(3))
    with pytest.raises(ValidationError, match="overdue"):
        services.create_request(member_a, group_a, lines((camera, 1)), d(10), d(11), "総会", day=d(5))


def test_unavailable_when_units_are_held(member_a, member_b, group_a, group_b, camera):
    services.create_request(member_a, group_a, lines((camera, 3)), d(3), d(5), "総会")
    with pytest.raises(Unavailable) as exc:
        services.create_request(member_b, group_b, lines((camera, 1)), d(6), d(8), "配信")
    assert "Web camera" in exc.value.message or "WEBカメラ" in exc.value.message
    # After the inspection day it is free again.
    services.create_request(member_b, group_b, lines((camera, 3)), d(8), d(9), "配信")


def test_kit_expands_to_its_types(member_a, group_a, kit, camera, mic):
    r = services.create_request(
        member_a, group_a, [services.Line(quantity=2, kit_id=kit.pk)], d(3), d(4), "総会"
    )
    assert sorted((i.equipment_type_id, i.quantity, i.kit_id) for i in r.items.all()) == sorted(
        [(camera.pk, 2, kit.pk), (mic.pk, 2, kit.pk)]
    )
    with pytest.raises(Unavailable):
        services.create_request(
            member_a, group_a, [services.Line(quantity=1, kit_id=kit.pk)], d(3), d(4), "総会"
        )


def test_bad_lines_are_422(member_a, group_a, camera):
    for bad in ([], [services.Line(quantity=0, equipment_type_id=camera.pk)], [services.Line(quantity=1, equipment_type_id=999)],
                [services.Line(quantity=-1, equipment_type_id=camera.pk)], [services.Line(quantity=1, kit_id=999)]):  # fmt: skip
        with pytest.raises(ValidationError):
            services.create_request(member_a, group_a, bad, d(3), d(4), "総会")
    with pytest.raises(ValidationError, match="what the equipment is for"):
        services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(4), "  ")


def test_decline_and_cancel_free_the_units(member_a, group_a, camera, staff, member_b):
    r1 = services.create_request(member_a, group_a, lines((camera, 3)), d(3), d(4), "総会")
    with pytest.raises(ValidationError):
        services.decline(staff, r1.pk, "")
    services.decline(staff, r1.pk, "点検中のため")
    r2 = services.create_request(member_a, group_a, lines((camera, 3)), d(3), d(4), "総会")
    with pytest.raises(Http404):
        services.cancel(member_b, r2.pk)
    services.cancel(member_a, r2.pk)
    assert Reservation.objects.get(pk=r2.pk).status == "cancelled"
    assert availability.free_by_day([camera.pk], d(3), d(3), TODAY)[camera.pk][d(3)] == 3
    with pytest.raises(ValidationError):
        services.cancel(member_a, r2.pk)
    with pytest.raises(PermissionDenied):
        services.approve(member_a, r1.pk)


def test_staff_edit_rechecks_rules_and_availability(member_a, member_b, group_a, group_b, camera, staff):
    r = services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(4), "総会")
    services.create_request(member_b, group_b, lines((camera, 2)), d(10), d(11), "配信")
    item = r.items.get()
    with pytest.raises(Unavailable):
        services.edit(staff, r.pk, d(10), d(11), {item.pk: 2})
    with pytest.raises(ValidationError, match="closed"):
        services.edit(staff, r.pk, d(7), d(8), {})
    services.edit(staff, r.pk, d(2), d(5), {item.pk: 2})  # staff may move it closer than N days
    r.refresh_from_db()
    assert (r.pickup_date, r.return_date, r.hold_until, r.items.get().quantity) == (d(2), d(5), d(6), 2)


def test_checkout_by_tags_and_return_with_damage(member_a, group_a, camera, mic, staff, reserve):
    r = reserve(member_a, group_a, {camera: 1, mic: 1}, d(3), d(5), "approved", staff)
    with pytest.raises(ValidationError, match="not before"):
        services.checkout(staff, r.pk, ["CAM-001", "MIC-001"], day=d(2))
    with pytest.raises(ValidationError) as exc:
        services.checkout(staff, r.pk, ["cam-001", "NOPE"], day=d(3))
    assert "Unknown asset tag: NOPE" in str(exc.value)
    with pytest.raises(ValidationError, match="scan 1, scanned 0"):
        services.checkout(staff, r.pk, ["cam-001"], day=d(3))
    services.checkout(staff, r.pk, [" cam-001 ", "MIC-001"], accessories=["USBケーブル"], day=d(3))
    r.refresh_from_db()
    assert r.status == "checked_out" and r.units.count() == 2
    loans = {lu.unit.asset_tag: lu for lu in r.units.select_related("unit")}
    with pytest.raises(ValidationError, match="describe the damage"):
        services.return_loan(
            staff, r.pk, [services.ReturnedUnit(loans["CAM-001"].unit_id, [], damaged=True)], day=d(4)
        )
    short = services.return_loan(
        staff, r.pk,
        [services.ReturnedUnit(loans["CAM-001"].unit_id, ["USBケーブル"], damaged=True, note="レンズに傷")],
        day=d(4),
    )  # fmt: skip
    assert short == []
    r.refresh_from_db()
    assert r.status == "returned" and r.hold_until == d(5)  # returned early: free after one inspection day
    cam = Unit.objects.get(asset_tag="CAM-001")
    assert cam.status == "under_repair" and "レンズに傷" in cam.condition_notes
    assert Unit.objects.get(asset_tag="MIC-001").status == "in_service"


def test_unit_in_inspection_or_out_cannot_be_scanned_again(
    member_a, group_a, member_b, group_b, camera, staff, reserve
):
    r1 = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)
    r2 = reserve(member_b, group_b, {camera: 1}, d(3), d(4), "approved", staff)
    with pytest.raises(ValidationError, match="on another loan"):
        services.checkout(staff, r2.pk, ["CAM-001"], day=d(3))
    services.checkout(staff, r2.pk, ["CAM-002"], day=d(3))
    assert r1.units.get().unit.asset_tag == "CAM-001"


def test_taking_a_unit_out_of_service_reports_short_reservations(
    member_a, group_a, member_b, group_b, camera, staff
):
    r1 = services.create_request(member_a, group_a, lines((camera, 2)), d(3), d(4), "総会")
    r2 = services.create_request(member_b, group_b, lines((camera, 1)), d(4), d(5), "配信")
    services.create_request(member_b, group_b, lines((camera, 1)), d(15), d(16), "配信")
    short = services.set_unit_status(staff, Unit.objects.get(asset_tag="CAM-003").pk, "under_repair", "故障")
    assert [r.pk for r in short] == [r1.pk, r2.pk]
    with pytest.raises(Unavailable):
        services.approve(staff, r1.pk)
    assert services.set_unit_status(staff, Unit.objects.get(asset_tag="CAM-003").pk, "in_service") == []


def test_extension_approved_only_if_free(member_a, group_a, member_b, group_b, camera, staff, reserve):
    r = reserve(member_a, group_a, {camera: 3}, d(3), d(4), "approved", staff)
    ext = services.request_extension(member_a, r.pk, d(6), "延長したい")
    with pytest.raises(ValidationError, match="already waiting"):
        services.request_extension(member_a, r.pk, d(8))
    services.decide_extension(staff, ext.pk, True)
    r.refresh_from_db()
    assert (r.return_date, r.hold_until) == (d(6), d(8))
    services.create_request(member_b, group_b, lines((camera, 3)), d(9), d(10), "配信", day=d(1))
    ext2 = services.request_extension(member_a, r.pk, d(9))
    with pytest.raises(Unavailable):
        services.decide_extension(staff, ext2.pk, True)
    services.decide_extension(staff, ext2.pk, False)
    assert ExtensionRequest.objects.get(pk=ext2.pk).status == "declined"
    with pytest.raises(ValidationError):
        services.request_extension(member_a, r.pk, d(5))


def test_overdue_loan_holds_its_units_until_it_comes_back(member_a, group_a, camera, staff, reserve):
    reserve(member_a, group_a, {camera: 3}, d(3), d(4), "checked_out", staff)
    free = availability.free_by_day([camera.pk], d(10), d(30), d(9))[camera.pk]
    assert set(free.values()) == {0}


def test_mail_goes_to_group_and_staff_in_their_language(member_a, group_a, camera, staff):
    member_a.preferred_language = "en"
    member_a.save()
    r = services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(4), "総会")
    mails = {tuple(m.to): m for m in OutboundEmail.objects.all()}
    assert "received" in mails[(member_a.email,)].subject
    assert "受け付けました" in mails[(group_a.contact_email,)].subject
    assert (staff.email,) in mails
    assert mails[(member_a.email,)].attachments[0]["mimetype"] == "text/calendar; method=PUBLISH"
    services.approve(staff, r.pk)
    assert OutboundEmail.objects.filter(subject__contains="approved", to=[member_a.email]).exists()


def test_daily_sends_reminders_once(member_a, group_a, member_b, group_b, camera, staff, reserve):
    from kyodo.lending import daily

    reserve(member_a, group_a, {camera: 1}, d(3), d(4), "approved", staff)  # pickup tomorrow (d2)
    reserve(member_b, group_b, {camera: 1}, d(3), d(5), "checked_out", staff)
    before = OutboundEmail.objects.count()
    assert daily.run(d(2)).startswith("messages queued: 2 pickup reminder(s)")
    after_first = OutboundEmail.objects.count()
    assert (
        daily.run(d(2)) == "messages queued: 0 pickup reminder(s), 0 return reminder(s), 0 overdue notice(s)"
    )
    assert OutboundEmail.objects.count() == after_first > before
    assert (
        OutboundEmail.objects.filter(dedupe_key__startswith="lending:pickup:").count() == 2
    )  # member + contact
    daily.run(d(4))  # return reminder for the second loan
    assert OutboundEmail.objects.filter(dedupe_key__startswith="lending:return:").count() == 2
    daily.run(d(8))  # overdue: group and staff
    count = OutboundEmail.objects.filter(dedupe_key__startswith="lending:overdue:").count()
    daily.run(d(9))
    assert OutboundEmail.objects.filter(dedupe_key__startswith="lending:overdue:").count() == count >= 3


def test_mail_carries_an_ics_with_pickup_and_return(member_a, group_a, camera, staff):
    import base64

    from icalendar import Calendar

    r = services.create_request(member_a, group_a, lines((camera, 1)), d(3), d(5), "総会")
    services.approve(staff, r.pk)
    message = OutboundEmail.objects.get(subject__contains="承認", to=[member_a.email])
    assert "2027年6月3日(木)" in message.body and "WEBカメラ（サンプル） × 1" in message.body
    cal = Calendar.from_ical(base64.b64decode(message.attachments[0]["content"]))
    events = {(e.decoded("dtstart"), str(e["status"])) for e in cal.walk("VEVENT")}
    assert events == {(d(3), "CONFIRMED"), (d(5), "CONFIRMED")}


def test_staff_get_one_notice_per_language(staff):
    from conftest import make_user
    from kyodo.lending.emails import staff_recipients

    make_user("staff2@example.jp", is_staff=True)
    english = make_user("staff3@example.jp", is_staff=True)
    english.preferred_language = "en"
    english.save()
    assert sorted(staff_recipients(), key=lambda r: r[1]) == [
        (["staff3@example.jp"], "en"),
        (["staff2@example.jp", "staff@example.jp"], "ja"),
    ]


def _set_rules(location, **values):
    rules = LendingRules.for_location(location)
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()


def test_extension_beyond_longest_loan_is_refused(member_a, group_a, camera, staff, reserve, location):
    r = reserve(member_a, group_a, {camera: 1}, d(3), d(6), "approved", staff)  # 4 days; at most 7
    with pytest.raises(ValidationError, match="longest loan") as refused:
        services.request_extension(member_a, r.pk, d(27))  # 25 days
    assert "new_return_date" in refused.value.message_dict
    assert not ExtensionRequest.objects.exists()
    services.request_extension(member_a, r.pk, d(9))  # 7 days: allowed


def test_extension_over_group_unit_limit_is_refused(member_a, group_a, camera, mic, staff, reserve, location):
    _set_rules(location, max_units_per_group=2)
    r = reserve(member_a, group_a, {camera: 2}, d(3), d(4), "approved", staff)
    reserve(member_a, group_a, {mic: 1}, d(5), d(6))  # never more than 2 on one day: both fit
    with pytest.raises(ValidationError, match="units per group"):
        services.request_extension(member_a, r.pk, d(5))  # 2 + 1 = 3 on the 5th
    assert not ExtensionRequest.objects.exists()
    _set_rules(location, max_units_per_group=3)
    assert services.request_extension(member_a, r.pk, d(5)).is_pending()


def test_approving_an_extension_rechecks_rules_that_changed_since(
    member_a, group_a, camera, staff, reserve, location
):
    r = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)
    ext = services.request_extension(member_a, r.pk, d(8))  # 6 days: allowed when asked
    _set_rules(location, max_days=3)
    with pytest.raises(ValidationError, match="longest loan"):
        services.decide_extension(staff, ext.pk, True)
    r.refresh_from_db()
    ext.refresh_from_db()
    assert (r.return_date, ext.status) == (d(4), "pending")  # nothing half-written
    assert r.units.get().end == r.hold_until


def test_extension_within_every_rule_is_approved(member_a, group_a, camera, staff, reserve):
    r = reserve(member_a, group_a, {camera: 1}, d(3), d(4), "checked_out", staff)
    ext = services.request_extension(member_a, r.pk, d(9))
    services.decide_extension(staff, ext.pk, True)
    r.refresh_from_db()
    assert (r.return_date, r.hold_until, r.units.get().end) == (d(9), d(10), d(10))
    assert ExtensionRequest.objects.get(pk=ext.pk).status == "approved"
