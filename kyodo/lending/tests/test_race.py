"""Never a double booking: many clients race for the last free unit through the real API path.

Runs against the file SQLite test database and, with DATABASE_URL, against PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from conftest import make_user
from kyodo.core.tokens import issue_token
from kyodo.groups.models import Group, Membership
from kyodo.lending import availability
from kyodo.lending.models import Reservation
from kyodo.lending.tests.conftest import TODAY, d

pytestmark = [pytest.mark.race, pytest.mark.django_db(transaction=True)]
RACERS = 16


def racers(n):
    tokens = []
    for i in range(n):
        group = Group.objects.create(
            name=f"団体{i}",
            kana=f"だんたい{i}",
            representative="代表",
            contact_email=f"g{i}@example.jp",
            status="approved",
        )
        user = make_user(f"racer{i}@example.jp")
        Membership.objects.create(group=group, user=user)
        tokens.append((group, user, issue_token(user, "race")[1]))
    return tokens


@pytest.mark.parametrize("door", ["api", "html"])
def test_sixteen_clients_race_for_the_last_unit(camera, member_a, group_a, reserve, door):
    reserve(member_a, group_a, {camera: 2}, d(3), d(5))  # 1 of 3 cameras left over these days
    contenders = racers(RACERS)
    barrier = threading.Barrier(RACERS)
    results = []

    def race(group, user, token):
        try:
            if door == "api":
                client = Client(headers={"Authorization": f"Bearer {token}"})
                payload = {
                    "group": group.pk,
                    "items": [{"equipment": camera.pk, "quantity": 1}],
                    "pickup_date": "2027-06-04",
                    "return_date": "2027-06-05",
                    "purpose": "配信",
                }
                barrier.wait()
                response = client.post("/api/v1/reservations", payload, content_type="application/json")
                results.append(
                    (response.status_code, response.json()["detail"] if response.status_code != 201 else "")
                )
            else:
                client = Client()
                client.force_login(user)
                form = {
                    "group": group.pk, f"type_{camera.pk}": "1", "pickup_date": "2027-06-04",
                    "return_date": "2027-06-05", "purpose": "配信", "action": "send",
                }  # fmt: skip
                barrier.wait()
                response = client.post("/equipment/request/", form)
                code = 201 if response.status_code == 302 else response.status_code
                results.append((code, "空きのない機材" if code == 409 else ""))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=contender) for contender in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    codes = sorted(code for code, _detail in results)
    assert codes == [201] + [409] * (RACERS - 1), results
    assert all(detail for code, detail in results if code == 409)
    assert Reservation.objects.count() == 2
    free = availability.free_by_day([camera.pk], d(1), d(10), TODAY)[camera.pk]
    assert min(free.values()) == 0  # fully booked on the contested days, never below zero
