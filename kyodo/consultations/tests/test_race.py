"""Never a double booking: 16 parallel clients race for one slot through the real booking paths (the
HTML form and the JSON API), against the file SQLite database or PostgreSQL (DATABASE_URL)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from kyodo.consultations.models import Consultation
from kyodo.consultations.tests.conftest import at, bookable_day, confirm_from_mail, person

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
CLIENTS = 16


def race(worker):
    """Run `worker(i)` in CLIENTS threads released at the same moment; return their results."""
    barrier = threading.Barrier(CLIENTS)
    results = [None] * CLIENTS

    def run(i):
        try:
            barrier.wait()
            results[i] = worker(i)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@pytest.fixture
def race_setup(hours, topic, settings):
    settings.RATE_LIMITS_ON = False  # 16 bookings from one address; the limit is not what is tested here
    return hours, topic, at(bookable_day(hours), 11)


def test_form_race_books_exactly_the_free_coordinators(race_setup, staff, coordinator2):
    location, topic, start = race_setup
    url = f"/consultation/book/?topic={topic.pk}&mode=in_person&start={start.isoformat().replace('+', '%2B')}"

    def post(i):
        data = person(email=f"racer{i}@example.jp", consent="on")
        return Client().post(url, data).status_code

    statuses = race(post)
    assert sorted(statuses) == [302] * 2 + [409] * (CLIENTS - 2), statuses
    # 仮受付 (the default for anonymous bookings) hold their time: they race like bookings.
    rows = Consultation.objects.taking_time(timezone.now()).filter(start=start)
    assert rows.count() == 2
    assert {r.coordinator_id for r in rows} == {staff.pk, coordinator2.pk}


def test_api_race_books_exactly_the_free_coordinators(race_setup, staff, coordinator2):
    location, topic, start = race_setup
    # One coordinator is already busy: only one booking can succeed.
    Client().post(
        f"/consultation/book/?topic={topic.pk}&mode=in_person&start={start.isoformat().replace('+', '%2B')}",
        person(email="first@example.jp", consent="on"),
    )
    assert Consultation.objects.taking_time(timezone.now()).filter(start=start).count() == 1

    def post(i):
        body = {
            "start": start.isoformat(),
            "mode": "online",
            "topic": topic.pk,
            **person(email=f"api{i}@example.jp"),
        }
        response = Client().post("/api/v1/consultations", body, content_type="application/json")
        return response.status_code

    statuses = race(post)
    assert sorted(statuses) == [201] + [409] * (CLIENTS - 1), statuses
    # 仮受付 (the default for anonymous bookings) hold their time: they race like bookings.
    rows = Consultation.objects.taking_time(timezone.now()).filter(start=start)
    assert rows.count() == 2
    assert {r.coordinator_id for r in rows} == {staff.pk, coordinator2.pk}


def test_moves_racing_into_one_free_place_only_one_wins(race_setup, staff, coordinator2):
    from kyodo.consultations import services

    location, topic, target = race_setup
    services.book(location, target, "in_person", topic, person(), actor=staff, coordinator=coordinator2)
    other_day = bookable_day(location, after_days=(target.date() - bookable_day(location, 0)).days + 4)
    movers = [
        confirm_from_mail(
            services.book(
                location, at(other_day, 10 + i // 2), "in_person", topic, person(email=f"m{i}@example.jp")
            )
        )
        for i in range(8)
    ]

    def post(i):
        token = movers[i % len(movers)].manage_token
        return Client().post(f"/consultation/b/{token}/move/", {"start": target.isoformat()}).status_code

    statuses = race(post)
    assert set(statuses) <= {302, 409}, statuses
    winners = {i % len(movers) for i, status in enumerate(statuses) if status == 302}
    assert len(winners) == 1, statuses  # (its second client finds it already there: a no-op)
    rows = Consultation.objects.active().filter(start=target)
    assert rows.count() == 2 and {r.coordinator_id for r in rows} == {staff.pk, coordinator2.pk}
