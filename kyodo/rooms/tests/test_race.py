"""Never a double booking: at least 32 clients race for the same 区分 through the real path (the API and
the booking page), each thread with its own database connection.

Runs against the file SQLite test database and, with DATABASE_URL, against PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from conftest import make_user
from kyodo.core.tokens import issue_token
from kyodo.groups.models import Group, Membership
from kyodo.rooms.models import RoomBooking, RoomBookingPeriod
from kyodo.rooms.tests.conftest import at

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
RACERS = 32


def racers(n):
    out = []
    for i in range(n):
        group = Group.objects.create(
            name=f"団体{i}", kana=f"だんたい{i}", representative="代表", contact_email=f"g{i}@example.jp",
            status="approved",
        )  # fmt: skip
        user = make_user(f"racer{i}@example.jp")
        Membership.objects.create(group=group, user=user)
        out.append((group, user, issue_token(user, "race")[1]))
    return out


@pytest.mark.parametrize("door", ["api", "html"])
def test_thirty_two_clients_race_for_one_period_at_the_opening(clock, hall, door):
    clock.set(at(1, 9, 0, month=7))  # 9:00:00 on July 1st: October opens
    contenders = racers(RACERS)
    barrier = threading.Barrier(RACERS)
    results = []
    lock = threading.Lock()

    def race(group, user, token):
        try:
            with translation.override("en"):
                if door == "api":
                    client = Client(headers={"Authorization": f"Bearer {token}"})
                    payload = {"room": hall.pk, "date": "2027-10-05", "periods": ["evening"], "group": group.pk,
                               "purpose": "定例会", "attendees": 10}  # fmt: skip
                    barrier.wait()
                    response = client.post("/api/v1/room-bookings", payload, content_type="application/json")
                    answer = response.json()
                    detail = (
                        f"{answer.get('code', '')} {answer.get('detail', '')}"
                        if response.status_code != 201
                        else ""
                    )
                    code = response.status_code
                else:
                    client = Client()
                    client.force_login(user)
                    form = {"room": hall.pk, "date": "2027-10-05", "periods": ["evening"], "group": group.pk,
                            "purpose": "定例会", "attendees": "10", "use": "meeting", "terms_accepted": "on",
                            "action": "send", "key": f"race-{user.pk}"}  # fmt: skip
                    barrier.wait()
                    response = client.post("/en/rooms/book/", form)
                    code = 201 if response.status_code == 302 else response.status_code
                    detail = "already taken" if b"already taken" in response.content.lower() else ""
            with lock:
                results.append((code, detail))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=c) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    codes = sorted(code for code, _detail in results)
    assert codes == [201] + [409] * (RACERS - 1), results
    # "already taken": the API's code (and the English words); the page's words (served in English here)
    assert all("already" in detail.lower() for code, detail in results if code == 409), results
    assert RoomBooking.objects.count() == 1
    assert RoomBookingPeriod.objects.active().count() == 1
