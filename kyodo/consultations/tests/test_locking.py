"""A booking locks only the coordinators it may take: those of its location (and weekday), or the one
staff chose. Bookings at another location never queue behind it."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from conftest import make_location, make_user
from kyodo.consultations import services
from kyodo.consultations.models import Consultation, CoordinatorException, CoordinatorHours
from kyodo.consultations.services import holding
from kyodo.consultations.tests.conftest import WORKDAYS, at, bookable_day, person
from kyodo.core import locking
from kyodo.core.errors import Busy
from kyodo.core.models import User


@pytest.fixture
def second_location(hours):
    """Location B with its own coordinator (hours Tuesday–Saturday), beside A (`hours`)."""
    other = make_location("第二センター")
    coordinator3 = make_user("coordinator3@example.jp", is_staff=True, is_coordinator=True)
    for weekday in WORKDAYS:
        CoordinatorHours.objects.create(
            coordinator=coordinator3, location=other, weekday=weekday, start=dt.time(10), end=dt.time(17)
        )
    return other, coordinator3


@pytest.fixture
def locked(monkeypatch):
    """The ids of the users each core.locking.lock call took, in order."""
    calls = []
    real = locking.lock

    def spy(queryset):
        rows = real(queryset)
        if queryset.model is User:
            calls.append({row.pk for row in rows})
        return rows

    monkeypatch.setattr(locking, "lock", spy)
    return calls


def test_a_booking_at_one_location_locks_only_that_locations_coordinators(
    hours, day, topic, staff, coordinator2, second_location, locked
):
    other, coordinator3 = second_location
    services.book(hours, at(day, 10), "in_person", topic, person())
    services.book(other, at(bookable_day(other), 10), "in_person", topic, person(email="b@example.jp"))
    assert locked == [{staff.pk, coordinator2.pk}, {coordinator3.pk}]


def test_extra_hours_at_the_location_that_day_count_and_a_chosen_coordinator_is_locked_alone(
    hours, day, topic, staff, coordinator2, second_location, locked
):
    other, coordinator3 = second_location
    CoordinatorException.objects.create(
        coordinator=staff, location=other, date=day, kind="extra", start=dt.time(17), end=dt.time(19)
    )
    assert set(holding.coordinators_for(other, at(day, 17))) == {staff, coordinator3}
    monday = day + dt.timedelta(days=(7 - day.weekday()) % 7)
    assert not holding.coordinators_for(hours, at(monday, 10)).exists()  # nobody works on Mondays
    c = services.book(hours, at(day, 11), "in_person", topic, person(), actor=staff, coordinator=coordinator2)
    services.move(c, at(day, 14), actor=staff)
    assert locked == [{coordinator2.pk}, {staff.pk, coordinator2.pk}]


@pytest.mark.django_db(transaction=True)
def test_locking_refuses_to_run_outside_a_transaction(hours, day):
    with pytest.raises(RuntimeError):
        holding.lock_coordinators(hours, at(day, 10))


@pytest.mark.django_db(transaction=True)
def test_with_location_a_locked_a_booking_at_b_goes_through_and_one_at_a_is_busy(
    hours, topic, staff, coordinator2, second_location, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's write lock is the whole database: PostgreSQL locks rows")
    other, _coordinator3 = second_location
    settings.KYODO_LOCK_TIMEOUT_MS = 300
    held, release = threading.Event(), threading.Event()

    def hold_location_a():
        try:
            with transaction.atomic():
                locking.lock(User.objects.filter(pk__in=[staff.pk, coordinator2.pk]))
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=hold_location_a)
    thread.start()
    try:
        assert held.wait(10)
        booked = services.book(other, at(bookable_day(other), 10), "in_person", topic, person())
        assert booked.location == other
        with pytest.raises(Busy):
            services.book(
                hours, at(bookable_day(hours), 10), "in_person", topic, person(email="a@example.jp")
            )
    finally:
        release.set()
        thread.join(10)
    assert Consultation.objects.filter(location=hours).count() == 0
