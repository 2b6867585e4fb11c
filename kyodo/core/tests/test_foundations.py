"""The core's shared door, lock and input helpers behave as every app relies on."""

import datetime as dt
import threading

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import RequestFactory
from pydantic import Field

from kyodo.core import doors, locking
from kyodo.core.errors import Busy, RateLimited, Unavailable
from kyodo.core.forms import TokenForm
from kyodo.core.inputs import DATE_MAX, DATE_MIN, BoundedDate, Input, check_date_range, in_date_range
from kyodo.core.models import Location


class Sample(Input):
    quantity: int = Field(ge=1, le=20)
    day: BoundedDate
    note: str = Field(default="", max_length=5)


def test_date_range_edges_are_inside_and_one_day_past_is_outside():
    assert in_date_range(DATE_MIN) and in_date_range(DATE_MAX)
    assert not in_date_range(DATE_MIN - dt.timedelta(days=1))
    assert not in_date_range(DATE_MAX + dt.timedelta(days=1))
    check_date_range(None)
    with pytest.raises(ValidationError) as info:
        check_date_range(dt.date(2101, 1, 1), "start")
    assert info.value.message_dict == {"start": ["2000年から2100年までの日付を入力してください。"]}


def test_input_limits_are_inclusive_and_read_back_for_forms():
    assert Sample.parse({"quantity": 20, "day": "2100-12-31"}).quantity == 20
    assert Sample.parse({"quantity": 1, "day": "2000-01-01"}).quantity == 1
    with pytest.raises(ValidationError) as info:
        Sample.parse({"quantity": 21, "day": "2026-01-01", "note": "123456"})
    assert info.value.message_dict == {
        "quantity": ["20以下の数を入力してください。"],
        "note": ["5文字以内で入力してください。"],
    }
    with pytest.raises(ValidationError) as info:
        Sample.parse({"quantity": 0, "day": "1999-12-31"})
    assert set(info.value.message_dict) == {"quantity", "day"}
    assert Sample.bound("quantity", "le") == 20 and Sample.bound("quantity", "ge") == 1
    assert Sample.bound("note", "max_length") == 5 and Sample.bound("day", "le") is None


def test_input_messages_follow_the_active_language():
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as info:
        Sample.parse({"day": "2026-01-01"})
    assert info.value.message_dict == {"quantity": ["This field is required."]}


@pytest.mark.django_db(transaction=True)
def test_lock_refuses_to_run_outside_a_transaction(location):
    with pytest.raises(RuntimeError):
        locking.lock(Location.objects.all())
    with pytest.raises(RuntimeError):
        locking.lock_one(Location.objects.all())
    with transaction.atomic():
        assert locking.lock(Location.objects.all()) == [location]
        assert locking.lock_one(Location.objects.filter(pk=location.pk)) == location
        assert locking.lock_one(Location.objects.filter(pk=-1)) is None


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_past_the_timeout_answers_busy_on_postgresql(settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's transaction is the lock: its wait is the connection's busy timeout")
    from conftest import make_location

    location = make_location()
    settings.KYODO_LOCK_TIMEOUT_MS = 200
    held, release = threading.Event(), threading.Event()

    def holder():
        with transaction.atomic():
            locking.lock(Location.objects.filter(pk=location.pk))
            held.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(10)
        with pytest.raises(Busy), transaction.atomic():
            locking.lock(Location.objects.filter(pk=location.pk))
    finally:
        release.set()
        thread.join()


def _form():
    form = TokenForm({"name": "x"})
    assert form.is_valid()
    return form


def test_submit_maps_each_domain_error_to_its_status_and_keeps_it_on_the_form():
    def raising(exc):
        def call():
            raise exc

        return call

    form = _form()
    assert doors.submit(form, lambda: 7) == (7, 200) and not form.errors
    form = _form()
    assert doors.submit(form, raising(ValidationError({"name": "taken"}))) == (None, 400)
    assert form.errors["name"] == ["taken"]
    form = _form()
    assert doors.submit(form, raising(ValidationError({"elsewhere": "bad"}))) == (None, 400)
    assert form.non_field_errors() == ["bad"]
    form = _form()
    assert doors.submit(form, raising(Unavailable("gone"))) == (None, 409)
    assert form.non_field_errors() == ["gone"]
    form = _form()
    assert doors.submit(form, raising(RateLimited("slow down"))) == (None, 429)
    assert form.non_field_errors() == ["slow down"]


def _request():
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_act_turns_the_outcome_into_a_message():
    request = _request()
    assert doors.act(request, lambda: None, "done") is True
    request2 = _request()

    def fail():
        raise ValidationError("not now")

    assert doors.act(request2, fail, "done") is False
    assert [str(m) for m in get_messages(request)] == ["done"]
    assert [str(m) for m in get_messages(request2)] == ["not now"]


def test_act_may_word_its_success_from_the_result():
    request = _request()
    assert doors.act(request, lambda: "山田", lambda name: f"{name} was removed") is True
    assert [str(m) for m in get_messages(request)] == ["山田 was removed"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "exc,status",
    [
        (Unavailable("取られました"), 409),
        (Busy(), 409),
        (RateLimited("多すぎます", 120), 429),
        (ValidationError("だめ"), 400),
    ],
)
def test_the_middleware_answers_an_unhandled_domain_error_with_its_status(exc, status):
    request = RequestFactory().get("/")
    response = doors.DomainErrorMiddleware(lambda r: None).process_exception(request, exc)
    assert response.status_code == status
    if status == 429:
        assert response["Retry-After"] == "120"
    assert doors.DomainErrorMiddleware(lambda r: None).process_exception(request, KeyError()) is None
