"""A staff member who is not a coordinator (the counter): every staff page and action works for them,
bookings go to coordinators, never to them. No other test may rely on staff being a coordinator."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from kyodo.consultations import services
from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at, person
from kyodo.core.tokens import issue_token


@pytest.fixture
def clerk_client(clerk):
    client = Client()
    client.force_login(clerk)
    return client


def test_a_clerk_sees_every_staff_page(clerk_client, hours, day, topic):
    c = services.book(hours, at(day, 10), "in_person", topic, person(name="窓口 花子"))
    for path in ["/consultation/staff/", f"/consultation/staff/?view=week&date={day}",
                 "/consultation/staff/new/", f"/consultation/staff/{c.pk}/"]:  # fmt: skip
        response = clerk_client.get(path)
        assert response.status_code == 200, path
    assert "窓口 花子" in clerk_client.get(f"/consultation/staff/?date={day}").content.decode()


def test_a_clerk_books_on_behalf_and_the_booking_goes_to_a_coordinator(
    clerk_client, clerk, hours, day, topic, staff, coordinator2
):
    form = {"location": hours.pk, "date": day.isoformat(), "time": "10:00", "topic": topic.pk,
            "mode": "phone", "name": "電話 花子", "phone": "076-111-2222"}  # fmt: skip
    assert clerk_client.post("/consultation/staff/new/", form).status_code == 302
    c = Consultation.objects.get()
    assert c.created_by == clerk and c.coordinator in (staff, coordinator2)
    chosen = clerk_client.post("/consultation/staff/new/", {**form, "time": "11:00", "coordinator": clerk.pk})
    assert chosen.status_code == 400  # not in the list of coordinators
    assert Consultation.objects.count() == 1


def test_a_clerk_runs_the_staff_actions(clerk_client, hours, day, topic, staff, coordinator2):
    c = services.book(hours, at(day, 10), "in_person", topic, person(), actor=staff, coordinator=staff)
    url = f"/consultation/staff/{c.pk}/"
    assert clerk_client.post(url + "notes/", {"staff_notes": "窓口で受付"}).status_code == 302
    assert clerk_client.post(url + "reassign/", {"coordinator": coordinator2.pk}).status_code == 302
    assert clerk_client.post(url + "move/", {"date": day.isoformat(), "time": "14:00"}).status_code == 302
    c.refresh_from_db()
    assert (c.staff_notes, c.coordinator, c.start) == ("窓口で受付", coordinator2, at(day, 14))
    assert clerk_client.post(url + "cancel/").status_code == 302
    assert Consultation.objects.get().is_cancelled


def test_a_clerk_records_the_outcome_once_it_started(clerk_client, hours, topic, staff):
    now = timezone.now()
    c = Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="済み",
        start=now - dt.timedelta(hours=1), end=now, blocked_until=now,
    )  # fmt: skip
    assert (
        clerk_client.post(f"/consultation/staff/{c.pk}/outcome/", {"outcome": "no_show"}).status_code == 302
    )
    assert Consultation.objects.get().status == "no_show"


def test_a_clerk_is_never_a_coordinator_to_reassign_to(clerk, hours, day, topic, staff):
    c = services.book(hours, at(day, 10), "in_person", topic, person(), actor=staff, coordinator=staff)
    with pytest.raises(ValidationError) as exc:
        services.reassign(c, clerk, actor=clerk)
    assert "coordinator" in exc.value.message_dict
    page = Client()
    page.force_login(clerk)
    schedule = page.get("/consultation/staff/").content.decode()
    assert f'<option value="{staff.pk}">{staff}</option>' in schedule
    assert f'<option value="{clerk.pk}">{clerk}</option>' not in schedule  # not a coordinator to filter by


def test_a_clerk_sees_todays_bookings_on_the_staff_home_and_in_the_api(
    clerk_client, clerk, hours, topic, staff
):
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    if start.date() != timezone.localdate():
        start = timezone.localtime()
    Consultation.objects.create(
        location=hours, coordinator=staff, topic=topic, mode="phone", name="今日の人",
        start=start, end=start + dt.timedelta(minutes=1), blocked_until=start + dt.timedelta(minutes=1),
    )  # fmt: skip
    assert "今日の人" in clerk_client.get("/staff/").content.decode()
    _row, raw = issue_token(clerk, "test")
    api = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/v1/consultations")
    assert api.status_code == 200 and api.json()[0]["name"] == "今日の人"


def test_a_clerk_has_no_consultations_of_their_own_on_the_profile_page(clerk_client, hours, day, topic):
    services.book(hours, at(day, 10), "in_person", topic, person(name="他人"))
    assert "他人" not in clerk_client.get("/me/").content.decode()
