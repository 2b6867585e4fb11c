"""The booking rules, through the services every door uses."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kyodo.consultations import services
from kyodo.consultations.models import (
    Consultation,
    ConsultationSettings,
    CoordinatorException,
    CoordinatorProfile,
)
from kyodo.consultations.tests.conftest import at, bookable_day, confirm_from_mail, mailed_token, person
from kyodo.core.errors import Unavailable
from kyodo.core.models import AuditEntry, OutboundEmail


def book(location, start, topic, mode="in_person", **kw):
    data = kw.pop("data", None) or person()
    return services.book(location, start, mode, topic, data, **kw)


def booked(location, start, topic, mode="in_person", **kw):
    """An anonymous booking the person has confirmed from the mail (a 仮受付 until then, by default)."""
    return confirm_from_mail(book(location, start, topic, mode, **kw))


def test_booking_assigns_a_free_coordinator_until_none_is_left(hours, day, topic, staff, coordinator2):
    first = book(hours, at(day, 10), topic)
    second = book(hours, at(day, 10), topic, data=person(email="b@example.jp"))
    assert {first.coordinator, second.coordinator} == {staff, coordinator2}
    assert first.status == Consultation.Status.PENDING  # a 仮受付 holds its coordinator too
    assert first.end - first.start == dt.timedelta(minutes=60)
    with pytest.raises(Unavailable):
        book(hours, at(day, 10), topic, data=person(email="c@example.jp"))
    assert Consultation.objects.count() == 2


def test_the_least_booked_coordinator_that_day_gets_the_booking(hours, day, topic, staff, coordinator2):
    earlier = book(hours, at(day, 10), topic, coordinator=staff, actor=staff)
    assert earlier.coordinator == staff
    later = book(hours, at(day, 14), topic)
    assert later.coordinator == coordinator2


def test_confirmation_mail_carries_the_private_link_and_an_ics(hours, day, topic):
    consultation = booked(hours, at(day, 11), topic)
    mail = OutboundEmail.objects.get(template="consultations/email/booked")
    assert mail.to == ["hanako@example.jp"]
    assert consultation.manage_token in mail.body
    assert "予約" in mail.subject
    assert mail.attachments[0]["mimetype"] == "text/calendar; method=PUBLISH"
    assert len(consultation.manage_token) >= 40


def test_a_time_off_the_grid_or_outside_hours_is_422(hours, day, topic):
    for start in (at(day, 10, 30), at(day, 8), at(day, 17)):
        with pytest.raises(ValidationError) as exc:
            book(hours, start, topic)
        assert "start" in exc.value.message_dict


def test_closed_day_has_no_slots(hours, day, topic):
    monday = day + dt.timedelta(days=(7 - day.weekday()) % 7)
    assert monday.weekday() == 0
    assert services.public_slots(hours, monday, monday) == []
    with pytest.raises(ValidationError):
        book(hours, at(monday, 10), topic)


def test_buffer_spaces_the_slots_and_blocks_the_next_one(hours, day, topic, staff, coordinator2):
    ConsultationSettings.objects.create(location=hours, buffer_minutes=15)
    starts = [s.start for s in services.public_slots(hours, day, day)]
    assert starts[:3] == [at(day, 10), at(day, 11, 15), at(day, 12, 30)]
    consultation = book(hours, at(day, 11, 15), topic, coordinator=staff, actor=staff)
    assert consultation.blocked_until == at(day, 12, 30)
    free = {s.start: s.coordinator_ids for s in services.public_slots(hours, day, day)}
    assert staff.pk not in free[at(day, 11, 15)]
    assert staff.pk in free[at(day, 12, 30)] and staff.pk in free[at(day, 10)]


def test_notice_from_the_next_open_day_and_the_horizon(hours, topic, staff):
    now = timezone.now()
    today = timezone.localdate()
    slots = services.public_slots(hours, today, today + dt.timedelta(days=90), now=now)
    assert slots
    assert all(timezone.localdate(s.start) > today for s in slots)
    assert all(timezone.localdate(s.start) <= today + dt.timedelta(days=60) for s in slots)
    assert all(s.start.utcoffset() == dt.timedelta(hours=9) for s in slots)
    ConsultationSettings.objects.create(location=hours, notice_open_days=3, horizon_days=10)
    from kyodo.core.calendar import add_open_days

    first_allowed = add_open_days(hours, today, 3)
    slots = services.public_slots(hours, today, today + dt.timedelta(days=90), now=now)
    assert min(timezone.localdate(s.start) for s in slots) >= first_allowed
    assert max(timezone.localdate(s.start) for s in slots) <= today + dt.timedelta(days=10)


def test_staff_may_book_inside_the_notice_period(hours, topic, staff):
    ConsultationSettings.objects.create(location=hours, notice_open_days=30)
    start = at(bookable_day(hours, after_days=1), 16)
    with pytest.raises(ValidationError):
        book(hours, start, topic)
    consultation = book(
        hours, start, topic, actor=staff, data=person(email="", phone="076-111-2222", kana="")
    )
    assert consultation.start == start and consultation.created_by == staff
    assert AuditEntry.objects.filter(action="consultation.book").exists()


def test_exceptions_off_and_extra(hours, day, topic, staff, coordinator2):
    CoordinatorException.objects.create(coordinator=staff, date=day, kind="off")
    CoordinatorException.objects.create(
        coordinator=coordinator2, location=hours, date=day, kind="extra", start=dt.time(17), end=dt.time(19)
    )
    slots = {s.start: s.coordinator_ids for s in services.public_slots(hours, day, day)}
    assert all(staff.pk not in ids for ids in slots.values())
    assert slots[at(day, 18)] == [coordinator2.pk]


def test_validation_names_every_bad_field(hours, day, topic, other_topic):
    other_topic.active = False
    other_topic.save()
    with pytest.raises(ValidationError) as exc:
        services.book(
            hours, "not a time", "carrier pigeon", other_topic.pk, {"email": "nope", "consent": False}
        )
    assert {"start", "mode", "topic", "name", "kana", "email", "consent"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        book(hours, at(day, 10), topic, data=person(message="x" * 2001))
    assert not Consultation.objects.exists() and not OutboundEmail.objects.exists()


def test_honeypot_is_refused(hours, day, topic):
    with pytest.raises(ValidationError):
        book(hours, at(day, 10), topic, data=person(website="http://spam.example"))
    assert not Consultation.objects.exists()


def test_non_staff_actor_cannot_book_for_others(hours, day, topic, member_a):
    with pytest.raises(PermissionDenied):
        book(hours, at(day, 10), topic, actor=member_a)


def test_rate_limit_per_email_and_per_ip(hours, day, topic, settings, monkeypatch):
    settings.RATE_LIMITS_ON = True
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_EMAIL", "1/3600")
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_IP", "2/3600")
    book(hours, at(day, 10), topic, ip="10.0.0.1")
    with pytest.raises(services.RateLimited) as exc:
        book(hours, at(day, 11), topic, ip="10.0.0.2")
    assert "e-mail" in exc.value.message or "メール" in exc.value.message
    book(hours, at(day, 12), topic, ip="10.0.0.1", data=person(email="other@example.jp"))
    with pytest.raises(services.RateLimited):
        book(hours, at(day, 13), topic, ip="10.0.0.1", data=person(email="third@example.jp"))
    assert Consultation.objects.count() == 2


def test_rate_limits_off_switch(hours, day, topic, settings, monkeypatch):
    settings.RATE_LIMITS_ON = False
    monkeypatch.setenv("KYODO_RATE_LIMIT_CONSULTATION_EMAIL", "1/3600")
    book(hours, at(day, 10), topic)
    book(hours, at(day, 11), topic)
    assert Consultation.objects.count() == 2


def test_pending_until_email_confirmed_then_held(hours, day, topic, staff, coordinator2):
    pending = book(hours, at(day, 10), topic)  # confirmation is on by default
    assert pending.status == Consultation.Status.PENDING
    assert (
        "confirm" in OutboundEmail.objects.get().subject.lower()
        or "確認" in OutboundEmail.objects.get().subject
    )
    # Held: one coordinator is left at that time.
    assert {s.start: s.free for s in services.public_slots(hours, day, day)}[at(day, 10)] == 1
    token = mailed_token(pending)
    confirmed = services.confirm_email(token)
    assert confirmed.status == Consultation.Status.BOOKED
    with pytest.raises(ValidationError):
        services.confirm_email(token)  # single-purpose: used once
    assert Consultation.objects.get(pk=pending.pk).status == Consultation.Status.BOOKED


def test_unconfirmed_bookings_lapse_after_their_hold(hours, day, topic):
    pending = book(hours, at(day, 10), topic)
    token = mailed_token(pending)
    assert services.expire_pending(now=timezone.now() + dt.timedelta(minutes=29)) == 0
    assert services.expire_pending(now=timezone.now() + dt.timedelta(minutes=31)) == 1
    pending.refresh_from_db()
    assert pending.status == Consultation.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.confirm_email(token)  # too late: the hold lapsed


def test_pending_confirmation_fails_when_the_time_was_taken(hours, day, topic, staff, coordinator2):
    ConsultationSettings.objects.create(location=hours, require_email_confirmation=True)
    pending = book(hours, at(day, 10), topic)
    token = mailed_token(pending)
    later = timezone.now() + dt.timedelta(minutes=31)  # the hold lapsed; staff gave the time away
    book(hours, at(day, 10), topic, actor=staff, coordinator=staff, now=later)
    book(hours, at(day, 10), topic, actor=staff, coordinator=coordinator2, now=later)
    with pytest.raises(ValidationError):
        services.confirm_email(token)
    assert Consultation.objects.get(pk=pending.pk).status == Consultation.Status.CANCELLED


def test_move_keeps_the_coordinator_and_mails(hours, day, topic, staff, coordinator2):
    consultation = booked(hours, at(day, 10), topic)
    moved = services.move(consultation, at(day, 14))
    assert moved.start == at(day, 14) and moved.coordinator_id == consultation.coordinator_id
    assert moved.sequence == 1
    assert (
        OutboundEmail.objects.filter(subject__icontains="moved").exists()
        or OutboundEmail.objects.filter(subject__contains="変更").exists()
    )


def test_move_to_a_full_time_is_409_and_changes_nothing(hours, day, topic, staff, coordinator2):
    mine = book(hours, at(day, 10), topic)
    book(hours, at(day, 14), topic, actor=staff, coordinator=staff)
    book(hours, at(day, 14), topic, actor=staff, coordinator=coordinator2)
    with pytest.raises(Unavailable):
        services.move(mine, at(day, 14))
    assert Consultation.objects.get(pk=mine.pk).start == at(day, 10)


def test_cancel_by_the_person_and_not_after_it_started(hours, day, topic, staff):
    consultation = booked(hours, at(day, 10), topic)
    services.cancel(consultation)
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.CANCELLED
    assert OutboundEmail.objects.count() == 3  # to confirm, booked, cancelled
    assert services.cancel(consultation).status == Consultation.Status.CANCELLED  # idempotent
    past = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="x",
        start=timezone.now() - dt.timedelta(hours=2), end=timezone.now() - dt.timedelta(hours=1),
        blocked_until=timezone.now() - dt.timedelta(hours=1),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.cancel(past)
    services.cancel(past, actor=staff)
    assert Consultation.objects.get(pk=past.pk).status == Consultation.Status.CANCELLED


def test_reassign_only_to_a_free_coordinator(hours, day, topic, staff, coordinator2, member_a):
    a = book(hours, at(day, 10), topic, actor=staff, coordinator=staff)
    book(hours, at(day, 10), topic, actor=staff, coordinator=coordinator2)
    with pytest.raises(Unavailable):
        services.reassign(a, coordinator2, actor=staff)
    with pytest.raises(PermissionDenied):
        services.reassign(a, coordinator2, actor=member_a)
    b = book(hours, at(day, 14), topic, actor=staff, coordinator=staff)
    CoordinatorProfile.objects.create(coordinator=coordinator2, meeting_url="https://meet.example.jp/c2")
    b.mode = "online"
    b.save()
    services.reassign(b, coordinator2, actor=staff)
    b.refresh_from_db()
    assert b.coordinator == coordinator2 and b.meeting_url == "https://meet.example.jp/c2"


def test_mark_held_only_after_it_started(hours, day, topic, staff):
    future = booked(hours, at(day, 10), topic)
    with pytest.raises(ValidationError):
        services.mark(future, "held", actor=staff)
    services.mark(future, "no_show", actor=staff, now=at(day, 10, 5))
    assert Consultation.objects.get(pk=future.pk).status == "no_show"


def test_staff_notes_and_meeting_link(hours, day, topic, staff, member_a):
    consultation = book(hours, at(day, 10), topic, mode="online")
    services.update_staff_fields(
        consultation, actor=staff, staff_notes="緊張気味", meeting_url="https://m.example.jp/x"
    )
    consultation.refresh_from_db()
    assert consultation.staff_notes == "緊張気味"
    with pytest.raises(ValidationError):
        services.update_staff_fields(consultation, actor=staff, meeting_url="javascript:alert(1)")
    with pytest.raises(PermissionDenied):
        services.update_staff_fields(consultation, actor=member_a, staff_notes="x")


def test_reminder_the_day_before_once_with_the_meeting_link(hours, day, topic, staff):
    CoordinatorProfile.objects.create(coordinator=staff, meeting_url="https://meet.example.jp/staff")
    online = book(hours, at(day, 10), topic, mode="online", coordinator=staff, actor=staff)
    book(hours, at(day + dt.timedelta(days=1), 10), topic, data=person(email="later@example.jp"))
    from kyodo.consultations import daily

    before = OutboundEmail.objects.count()
    assert daily.run(day - dt.timedelta(days=2)).startswith("0 ")
    report = daily.run(day - dt.timedelta(days=1))
    assert report.startswith("1 ")
    assert daily.run(day - dt.timedelta(days=1)).startswith("0 ")
    reminders = OutboundEmail.objects.order_by("id")[before:]
    assert len(reminders) == 1
    assert "https://meet.example.jp/staff" in reminders[0].body
    assert "10:00–11:00" in reminders[0].body and "10:00" in reminders[0].subject  # Asia/Tokyo, not UTC
    online.refresh_from_db()
    assert online.reminder_sent_at is not None


def test_anonymise_keeps_statistics_and_kills_the_link(hours, topic, staff, client):
    old = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="online", name="古い 予約", email="old@example.jp",
        phone="090", group_name="G", message="m", staff_notes="n", status="held",
        start=at(dt.date(2025, 1, 7), 10), end=at(dt.date(2025, 1, 7), 11), blocked_until=at(dt.date(2025, 1, 7), 11),
    )  # fmt: skip
    recent = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="新しい", status="held",
        start=at(dt.date(2026, 1, 6), 10), end=at(dt.date(2026, 1, 6), 11), blocked_until=at(dt.date(2026, 1, 6), 11),
    )  # fmt: skip
    token = old.manage_token
    from django.core.management import call_command

    call_command("anonymise_consultations", "--date", "2026-03-01", stdout=open("/dev/null", "w"))
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (
        old.anonymised and old.name == "" and old.email == "" and old.message == "" and old.staff_notes == ""
    )
    assert (old.topic, old.mode, old.status, old.start) == (
        topic,
        "online",
        "held",
        at(dt.date(2025, 1, 7), 10),
    )
    assert not recent.anonymised and recent.name == "新しい"
    assert client.get(f"/consultation/b/{token}/").status_code == 404
    assert services.months_before(dt.date(2026, 3, 31), 13) == dt.date(2025, 2, 28)


def test_database_refuses_overlap_on_postgresql(hours, day, topic, staff):
    """The safety net: on PostgreSQL an exclusion constraint; on SQLite the service's lock is the guard."""
    book(hours, at(day, 10), topic, coordinator=staff, actor=staff)
    overlapping = Consultation(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="x",
        start=at(day, 10, 30), end=at(day, 11, 30), blocked_until=at(day, 11, 30),
    )  # fmt: skip
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
        overlapping.status = Consultation.Status.CANCELLED
        overlapping.save()  # cancelled rows hold nothing
    else:
        with pytest.raises(ValidationError):
            book(hours, at(day, 10, 30), topic, coordinator=staff, actor=staff)
    assert Consultation.objects.active().filter(coordinator=staff).count() == 1


@pytest.mark.parametrize(
    "now_date,first,last",
    [(dt.date(2026, 12, 15), dt.date(2026, 12, 20), dt.date(2027, 1, 20)),  # year-end closure
     (dt.date(2027, 1, 20), dt.date(2027, 2, 1), dt.date(2027, 2, 28))],  # 建国記念の日 (Thursday)
)  # fmt: skip
def test_slots_never_fall_on_a_closed_day_of_the_real_calendar(hours, topic, now_date, first, last):
    from kyodo.core.calendar import is_open
    from kyodo.core.models import Closure

    Closure.objects.create(
        location=hours, start_date=first + dt.timedelta(days=3), end_date=first + dt.timedelta(days=5)
    )
    now = at(now_date, 9)
    slots = services.public_slots(hours, first, last, now=now)
    dates = {timezone.localdate(s.start) for s in slots}
    assert dates, "some open days have slots"
    assert all(is_open(hours, d) and d.weekday() in (1, 2, 3, 4, 5) for d in dates)
    assert not any(dt.date(2026, 12, 29) <= d <= dt.date(2027, 1, 3) for d in dates)
    assert dt.date(2027, 2, 11) not in dates
    assert not any(first + dt.timedelta(days=3) <= d <= first + dt.timedelta(days=5) for d in dates)
    assert all(d <= now_date + dt.timedelta(days=60) for d in dates)


def test_ics_of_a_booking_read_back_from_the_database_is_in_tokyo_time(hours, day, topic):
    from icalendar import Calendar

    consultation = Consultation.objects.get(pk=booked(hours, at(day, 10), topic).pk)
    services.cancel(consultation)
    import base64

    mail = OutboundEmail.objects.latest("id")
    ics = Calendar.from_ical(base64.b64decode(mail.attachments[0]["content"]))
    event = next(iter(ics.walk("VEVENT")))
    assert event["STATUS"] == "CANCELLED"
    start = event.decoded("DTSTART")
    assert start == at(day, 10) and start.utcoffset() == dt.timedelta(hours=9)


def test_reassign_respects_the_new_coordinators_hours_and_tells_the_person(
    hours, day, topic, staff, coordinator2
):
    from kyodo.consultations.models import CoordinatorException

    a = book(hours, at(day, 10), topic, actor=staff, coordinator=staff)
    CoordinatorException.objects.create(coordinator=coordinator2, location=hours, date=day, kind="off")
    with pytest.raises((ValidationError, Unavailable)):
        services.reassign(a, coordinator2, actor=staff)
    assert Consultation.objects.get(pk=a.pk).coordinator == staff
    CoordinatorException.objects.all().delete()
    before = OutboundEmail.objects.count()
    services.reassign(a, coordinator2, actor=staff)
    assert Consultation.objects.get(pk=a.pk).coordinator == coordinator2
    assert OutboundEmail.objects.count() == before + 1  # the person hears of the change (new .ics)
    assert AuditEntry.objects.filter(action="consultation.reassign", target_id=str(a.pk)).exists()


def test_slots_see_a_booking_that_started_before_the_range_and_ignore_old_ones(
    hours, day, topic, staff, coordinator2
):
    """slots_for reads bookings from a day before the first window (not from the first booking ever);
    one that began earlier still blocks the time it reaches into."""
    from kyodo.consultations.slots import slots_for

    reach = dict(mode="in_person", topic=topic, name="x", email="x@example.jp", location=hours)
    # Hours were once wider: a booking from 9:15 kept coordinator2 busy until 10:30 (end + buffer).
    Consultation.objects.create(coordinator=coordinator2, start=at(day, 9, 15), end=at(day, 10, 15),
                                blocked_until=at(day, 10, 30), **reach)  # fmt: skip
    # Years ago: irrelevant, and outside the read.
    Consultation.objects.create(coordinator=coordinator2, start=at(day, 10) - dt.timedelta(days=900),
                                end=at(day, 11) - dt.timedelta(days=900),
                                blocked_until=at(day, 11, 15) - dt.timedelta(days=900), **reach)  # fmt: skip
    slots = {s.start: s for s in slots_for(hours, day, day, timezone.now())}
    assert slots[at(day, 10)].coordinator_ids == [staff.pk]
    later = [s for start, s in slots.items() if start > at(day, 11)]
    assert later and all(set(s.coordinator_ids) == {staff.pk, coordinator2.pk} for s in later)


def test_anonymising_a_booking_strips_names_from_its_audit_log(hours, topic, staff):
    old_day, recent_day = dt.date(2025, 1, 7), dt.date(2026, 1, 6)
    old = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="古い 予約", status="held",
        start=at(old_day, 10), end=at(old_day, 11), blocked_until=at(old_day, 11),
    )  # fmt: skip
    recent = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="新しい 予約", status="held",
        start=at(recent_day, 10), end=at(recent_day, 11), blocked_until=at(recent_day, 11),
    )  # fmt: skip
    services.update_staff_fields(old, actor=staff, staff_notes="x")
    services.update_staff_fields(recent, actor=staff, staff_notes="y")
    assert "古い 予約" in AuditEntry.objects.get(target_id=str(old.pk)).target_repr

    assert services.anonymise_old(dt.date(2026, 3, 1)) == 1
    entry = AuditEntry.objects.get(target_id=str(old.pk))
    assert entry.target_repr == "" and entry.action == "consultation.edit"  # the number stays
    assert "新しい 予約" in AuditEntry.objects.get(target_id=str(recent.pk)).target_repr
