"""Every rooms rule at the service level (English messages: the catalogues are compiled by the lead)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from kyodo.core.errors import Unavailable
from kyodo.core.models import AuditEntry, Closure, OutboundEmail
from kyodo.groups.models import Group
from kyodo.rooms import services
from kyodo.rooms.models import FeeCategory, Payment, RoomBlock, RoomBookingPeriod
from kyodo.rooms.services import lapse
from kyodo.rooms.tests.conftest import at, d


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def data(room, date, periods=("evening",), group=None, **extra):
    return {"room": room.pk, "date": date, "periods": list(periods), "group": group.pk if group else None,
            "purpose": "総会", "attendees": 10, "terms_accepted": True, **extra}  # fmt: skip


def codes(exc):
    error = exc.value
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def messages(exc):
    return " ".join(exc.value.messages)


# --- the window -------------------------------------------------------------------------------------


def test_a_booking_is_provisional_with_a_reference_and_holds_its_periods(member_a, group_a, hall):
    booking = services.book(member_a, data(hall, d(3), ["afternoon", "evening"], group_a))
    assert booking.is_provisional() and booking.reference == f"RM-{booking.pk:06d}"
    assert booking.fee == 2000 and booking.fee_due == 2000 and booking.fee_category == FeeCategory.REGISTERED
    assert booking.application_due == d(2)  # 7 days, but before the day itself
    assert RoomBookingPeriod.objects.active().filter(booking=booking).count() == 2


def test_month_m_opens_at_nine_on_the_first_of_m_minus_three(clock, member_a, group_a, hall):
    clock.set(at(1, 8, 59, month=7))  # 2027-07-01 08:59: October is not open yet
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(5, 10), group=group_a))
    assert "open at" in messages(exc) and codes(exc) == {"not_open_yet"}
    clock.set(at(1, 9, 0, month=7))
    assert services.book(member_a, data(hall, d(5, 10), group=group_a)).is_provisional()


def test_september_is_open_on_june_first_but_not_october(member_a, group_a, hall):
    assert services.book(member_a, data(hall, d(30, 9), group=group_a))
    with pytest.raises(ValidationError):
        services.book(member_a, data(hall, d(1, 10), group=group_a))


def test_bookings_close_open_days_before_the_day(member_a, group_a, hall, location):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(1), group=group_a))  # today
    assert codes(exc) == {"too_late"}
    assert services.book(member_a, data(hall, d(2), group=group_a))  # the next open day
    rules = services.settings_for(location)
    rules.close_days_before = 3
    rules.save()
    with pytest.raises(ValidationError):
        services.book(member_a, data(hall, d(3), ["morning"], group=group_a))
    assert services.book(member_a, data(hall, d(4), ["morning"], group=group_a))


def test_a_closed_day_cannot_be_booked(member_a, group_a, hall, location):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(7), group=group_a))  # a Monday
    assert codes(exc) == {"closed"}
    Closure.objects.create(location=location, start_date=d(10), end_date=d(10), reason="点検")
    with pytest.raises(ValidationError):
        services.book(member_a, data(hall, d(10), group=group_a))


# --- never twice ------------------------------------------------------------------------------------


def test_a_taken_period_is_refused_with_already_taken(member_a, group_a, member_b, group_b, hall):
    services.book(member_a, data(hall, d(3), group=group_a))
    with pytest.raises(Unavailable) as exc:
        services.book(member_b, data(hall, d(3), ["afternoon", "evening"], group=group_b))
    assert "already taken" in exc.value.message.lower()
    assert services.book(member_b, data(hall, d(3), ["afternoon"], group=group_b))  # the other one is free


def test_the_constraint_refuses_a_second_active_row_even_past_the_service(member_a, group_a, hall):
    from django.db import IntegrityError, transaction

    booking = services.book(member_a, data(hall, d(3), group=group_a))
    row = booking.periods.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBookingPeriod.objects.create(booking=booking, room=hall, date=d(3), period=row.period)
    RoomBookingPeriod.objects.create(booking=booking, room=hall, date=d(3), period=row.period, active=False)


def test_periods_must_be_consecutive_and_known(member_a, group_a, hall):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(3), ["morning", "evening"], group_a))
    assert codes(exc) == {"not_consecutive"}
    with pytest.raises(ValidationError):
        services.book(member_a, data(hall, d(3), ["midnight"], group_a))
    whole = services.book(member_a, data(hall, d(3), ["all"], group_a))
    assert whole.periods.count() == 3 and whole.fee == 3000


def test_a_blocked_room_is_unavailable_and_a_block_refuses_a_booked_period(member_a, group_a, hall, staff):
    services.block(staff, {"room": hall.pk, "date": d(4), "reason": "空調点検"})
    with pytest.raises(Unavailable) as exc:
        services.book(member_a, data(hall, d(4), group=group_a))
    assert "空調点検" in exc.value.message
    services.book(member_a, data(hall, d(5), group=group_a))
    with pytest.raises(Unavailable):
        services.block(staff, {"room": hall.pk, "date": d(5), "period": "evening"})
    with pytest.raises(PermissionDenied):
        services.block(member_a, {"room": hall.pk, "date": d(6)})
    assert RoomBlock.objects.count() == 1


# --- who books, and the terms ---------------------------------------------------------------------


def test_capacity_is_checked_on_the_provisional_booking(member_a, group_a, meeting_room):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(meeting_room, d(3), group=group_a, attendees=13))
    assert codes(exc) == {"capacity"} and "12" in messages(exc)


@pytest.mark.parametrize("use", ["commercial", "religious", "political"])
def test_uses_excluded_by_the_terms(member_a, group_a, hall, use):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(3), group=group_a, use=use))
    assert codes(exc) == {"excluded_use"}


def test_the_terms_must_be_accepted(member_a, group_a, hall):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(3), group=group_a, terms_accepted=False))
    assert codes(exc) == {"terms"}


def test_only_members_of_a_registered_group(member_a, group_a, member_b, hall):
    with pytest.raises(PermissionDenied):
        services.book(member_b, data(hall, d(3), group=group_a))
    group_a.status = Group.Status.PENDING
    group_a.save()
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(3), group=group_a))
    assert codes(exc) == {"group_not_registered"}


def test_without_a_group_only_rooms_open_to_accounts_at_the_general_fee(member_a, hall, meeting_room):
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(3)))
    assert codes(exc) == {"group_required"}
    booking = services.book(member_a, data(meeting_room, d(3)))
    assert booking.fee_category == FeeCategory.GENERAL and booking.fee == 800


def test_staff_book_for_the_center_at_no_fee_and_for_a_caller_by_the_same_rules(staff, group_a, hall):
    own = services.book(staff, data(hall, d(3), ["all"], terms_accepted=False))
    assert own.for_center and own.is_approved() and own.fee == 0
    caller = services.book(staff, data(hall, d(4), group=group_a, terms_accepted=False))
    assert caller.group == group_a and caller.booked_by_staff and caller.is_provisional()
    with pytest.raises(ValidationError):
        services.book(staff, data(hall, d(1, 10), group=group_a))  # the window holds for callers too


def test_anonymous_cannot_book(hall):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.book(AnonymousUser(), data(hall, d(3)))


# --- limits -----------------------------------------------------------------------------------------


def test_the_periods_per_month_limit_names_the_rule(member_a, group_a, hall, location):
    rules = services.settings_for(location)
    rules.max_periods_per_month = 3
    rules.save()
    services.book(member_a, data(hall, d(3), ["all"], group_a))
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(4), group=group_a))
    assert codes(exc) == {"limit_periods_per_month"} and "3 periods a month" in messages(exc)
    assert services.book(member_a, data(hall, d(1, 7), group=group_a))  # another month


def test_the_future_bookings_limit_names_the_rule(member_a, group_a, hall, location):
    rules = services.settings_for(location)
    rules.max_future_bookings = 2
    rules.save()
    services.book(member_a, data(hall, d(3), group=group_a))
    services.book(member_a, data(hall, d(4), group=group_a))
    with pytest.raises(ValidationError) as exc:
        services.book(member_a, data(hall, d(5), group=group_a))
    assert codes(exc) == {"limit_future_bookings"} and "2 future bookings" in messages(exc)


# --- 使用申請, 減免 ------------------------------------------------------------------------------


def application(**extra):
    return {
        "purpose": "総会",
        "attendees": 20,
        "person_in_charge": "山田 花子",
        "terms_accepted": True,
        **extra,
    }


def test_the_use_application_with_a_half_reduction(member_a, group_a, hall):
    booking = services.book(member_a, data(hall, d(3), ["afternoon", "evening"], group_a))
    applied = services.apply(member_a, booking.pk, application(reduction="half", reduction_reason="公益活動"))
    assert applied.is_applied() and applied.fee == 2000 and applied.fee_due == 1000
    assert applied.reduction_reason == "公益活動" and applied.person_in_charge == "山田 花子"


def test_a_full_exemption_and_odd_yen(member_a, group_a, hall):
    booking = services.book(member_a, data(hall, d(3), group=group_a))
    assert (
        services.apply(member_a, booking.pk, application(reduction="full", reduction_reason="公益")).fee_due
        == 0
    )
    assert services.reduced(1001, "half") == 501 and isinstance(services.reduced(1001, "half"), int)


def test_a_reduction_needs_its_reason_and_a_registered_group(member_a, group_a, hall, meeting_room):
    booking = services.book(member_a, data(hall, d(3), group=group_a))
    with pytest.raises(ValidationError) as exc:
        services.apply(member_a, booking.pk, application(reduction="half"))
    assert codes(exc) == {"reduction_reason"}
    general = services.book(member_a, data(meeting_room, d(3)))
    with pytest.raises(ValidationError) as exc:
        services.apply(member_a, general.pk, application(attendees=5, reduction="half", reduction_reason="x"))
    assert codes(exc) == {"reduction_not_allowed"}


def test_the_application_checks_capacity_and_state(member_a, group_a, member_b, meeting_room, staff):
    booking = services.book(member_a, data(meeting_room, d(3), group=group_a))
    with pytest.raises(ValidationError):
        services.apply(member_a, booking.pk, application(attendees=40))
    with pytest.raises(Http404):
        services.apply(member_b, booking.pk, application(attendees=5))
    services.apply(member_a, booking.pk, application(attendees=5))
    with pytest.raises(ValidationError) as exc:
        services.apply(member_a, booking.pk, application(attendees=5))
    assert codes(exc) == {"state"}


# --- decisions ----------------------------------------------------------------------------------------


def test_approval_issues_a_permit_number(member_a, group_a, hall, staff, make_booking):
    booking = make_booking(member_a, hall, d(3), group=group_a, status="applied")
    with pytest.raises(PermissionDenied):
        services.approve(member_a, booking.pk)
    approved = services.approve(staff, booking.pk)
    assert approved.is_approved() and approved.permit_number == f"P2027-{booking.pk:06d}"
    assert AuditEntry.objects.filter(action="rooms.approve").exists()
    with pytest.raises(ValidationError):
        services.approve(staff, booking.pk)


def test_returned_with_a_reason_then_applied_again(member_a, group_a, hall, staff, make_booking):
    booking = make_booking(member_a, hall, d(20), group=group_a, status="applied")
    with pytest.raises(ValidationError):
        services.return_application(staff, booking.pk, " ")
    returned = services.return_application(staff, booking.pk, "参加人数を確認してください")
    assert returned.is_returned() and returned.return_reason and returned.application_due == d(8)
    assert RoomBookingPeriod.objects.active().filter(booking=booking).exists()  # still held
    assert services.apply(member_a, booking.pk, application()).is_applied()


# --- cancellation -----------------------------------------------------------------------------------


def test_the_group_cancels_before_the_deadline_and_the_period_is_free(
    member_a, group_a, member_b, group_b, hall
):
    booking = services.book(member_a, data(hall, d(20), group=group_a))
    with pytest.raises(Http404):
        services.cancel(member_b, booking.pk)
    cancelled = services.cancel(member_a, booking.pk)
    assert cancelled.is_cancelled() and not cancelled.fee_kept
    assert services.book(member_b, data(hall, d(20), group=group_b))


def test_after_the_deadline_the_fee_is_kept(clock, member_a, group_a, hall, staff, make_booking):
    booking = make_booking(member_a, hall, d(20), group=group_a, status="approved", staff=staff)
    assert services.cancel_deadline(booking) == d(13)
    clock.set(at(14))
    cancelled = services.cancel(member_a, booking.pk)
    assert cancelled.fee_kept and cancelled.outstanding() == 1000


def test_staff_cancel_with_a_reason_and_everyone_is_told(member_a, group_a, hall, staff):
    booking = services.book(member_a, data(hall, d(3), group=group_a))
    with pytest.raises(ValidationError):
        services.cancel(staff, booking.pk)
    before = OutboundEmail.objects.count()
    cancelled = services.cancel(staff, booking.pk, "設備故障のため")
    assert cancelled.cancel_reason == "設備故障のため" and not cancelled.fee_kept
    mails = OutboundEmail.objects.filter(pk__gt=0).order_by("pk")[before:]
    recipients = {address for m in mails for address in m.to}
    assert "member-a@example.jp" in recipients and "staff@example.jp" in recipients
    with pytest.raises(ValidationError):
        services.cancel(staff, booking.pk, "again")


# --- payments -----------------------------------------------------------------------------------------


def test_payment_at_the_counter_with_a_receipt_and_a_refund(member_a, group_a, hall, staff, make_booking):
    booking = make_booking(member_a, hall, d(3), group=group_a, status="approved", staff=staff)
    with pytest.raises(PermissionDenied):
        services.take_payment(member_a, booking.pk)
    with pytest.raises(ValidationError):
        services.take_payment(staff, booking.pk, 5000)
    payment = services.take_payment(staff, booking.pk)
    assert payment.amount == 1000 and payment.receipt_number == f"RC2027-{payment.pk:06d}"
    assert payment.method == Payment.Method.CASH
    booking.refresh_from_db()
    assert booking.is_paid() and booking.outstanding() == 0
    with pytest.raises(ValidationError):
        services.take_payment(staff, booking.pk)
    refund = services.refund(staff, booking.pk)
    assert refund.is_refund() and refund.receipt_number.startswith("RF") and booking.paid() == 0


# --- the day sheet ----------------------------------------------------------------------------------


def test_attendance_is_recorded_after_use(clock, member_a, group_a, hall, staff, make_booking):
    booking = make_booking(member_a, hall, d(3), group=group_a, status="approved", staff=staff)
    with pytest.raises(ValidationError):
        services.record_attendance(staff, booking.pk, 8)
    clock.set(at(3, 21))
    assert services.record_attendance(staff, booking.pk, 8).attendance == 8
    services.key_out(staff, booking.pk)
    assert services.key_in(staff, booking.pk).key_in_at is not None


# --- lapse ----------------------------------------------------------------------------------------


def test_a_provisional_booking_lapses_after_its_deadline_and_frees_the_period(
    member_a, group_a, member_b, group_b, hall, make_booking, staff
):
    late = services.book(member_a, data(hall, d(20), group=group_a))
    applied = make_booking(member_a, hall, d(22), group=group_a, status="applied")
    assert late.application_due == d(8)
    assert lapse.lapse_due(d(8)) == []
    warned = lapse.warn_lapsing(d(8))
    assert warned >= 1 and lapse.warn_lapsing(d(8)) == 0  # dedupe: once
    assert [b.pk for b in lapse.lapse_due(d(9))] == [late.pk]
    late.refresh_from_db()
    applied.refresh_from_db()
    assert late.is_lapsed() and applied.is_applied()
    assert lapse.lapse_due(d(9)) == []  # twice is safe
    assert services.book(member_b, data(hall, d(20), group=group_b))


def test_the_daily_command_runs_the_rooms_job(member_a, group_a, hall):
    from io import StringIO

    from django.core.management import call_command

    services.book(member_a, data(hall, d(20), group=group_a))
    out = StringIO()
    call_command("daily", "--date", "2027-06-09", stdout=out)
    assert "kyodo.rooms: 1 provisional booking(s) lapsed" in out.getvalue()
    out = StringIO()
    call_command("lapse_room_bookings", "--date", "2027-06-09", stdout=out)
    assert "0 provisional" in out.getvalue()


def test_reminder_the_day_before_use(member_a, group_a, hall, staff, make_booking):
    make_booking(member_a, hall, d(3), group=group_a, status="approved", staff=staff)
    assert lapse.remind_use(d(2)) >= 1 and lapse.remind_use(d(2)) == 0


# --- recurring --------------------------------------------------------------------------------------


def test_recurring_every_second_tuesday_reports_what_failed(
    staff, member_b, group_a, group_b, hall, location
):
    services.book(member_b, data(hall, d(13, 7), group=group_b))  # 2nd Tuesday of July, taken
    Closure.objects.create(location=location, start_date=d(10, 8), end_date=d(10, 8), reason="臨時休館")
    outcomes = services.book_recurring(
        staff,
        {"room": hall.pk, "group": group_a.pk, "weekday": 1, "nth": 2, "periods": ["evening"],
         "start": d(1, 6), "end": d(31, 12)},
    )  # fmt: skip
    by_date = {o.date: o for o in outcomes}
    assert list(by_date) == [d(8, 6), d(13, 7), d(10, 8), d(14, 9), d(12, 10), d(9, 11), d(14, 12)]
    assert by_date[d(8, 6)].booked() and by_date[d(14, 12)].booked()  # beyond the window: staff override
    assert "already taken" in by_date[d(13, 7)].reason.lower()
    assert "closed" in by_date[d(10, 8)].reason.lower()
    assert len({o.booking.series for o in outcomes if o.booked()}) == 1
    with pytest.raises(PermissionDenied):
        services.book_recurring(member_b, {"room": hall.pk, "weekday": 1, "periods": ["evening"],
                                           "start": d(1, 6), "end": d(30, 6)})  # fmt: skip


# --- mail ---------------------------------------------------------------------------------------------


def test_each_step_mails_the_reference_and_an_ics(member_a, group_a, hall, staff):
    booking = services.book(member_a, data(hall, d(3), group=group_a))
    mail = next(m for m in OutboundEmail.objects.order_by("-pk") if "member-a@example.jp" in m.to)
    assert booking.reference in mail.subject and booking.reference in mail.body
    assert mail.attachments[0]["mimetype"].startswith("text/calendar")
    services.apply(member_a, booking.pk, application())
    services.approve(staff, booking.pk)
    booking.refresh_from_db()
    mail = next(m for m in OutboundEmail.objects.order_by("-pk") if "member-a@example.jp" in m.to)
    assert booking.permit_number in mail.body


# --- statistics ------------------------------------------------------------------------------------


def test_the_year_counts_occupancy_fees_and_waivers(member_a, group_a, hall, staff, make_booking, location):
    from kyodo.rooms.services import stats

    booking = make_booking(member_a, hall, d(3), ["afternoon", "evening"], group=group_a)
    services.apply(member_a, booking.pk, application(reduction="half", reduction_reason="公益"))
    services.approve(staff, booking.pk)
    services.take_payment(staff, booking.pk)
    year = stats.year(location, 2027)
    row = next(r for r in year.rooms if r.room == hall)
    assert row.booked == 2 and row.bookable > 600 and 0 < row.occupancy < 0.01
    assert year.collected == 1000 and year.waived == 1000 and year.bookings == 1
    assert len(year.months) == 12 and year.months[2] == (d(1), 1, 2, 0)
