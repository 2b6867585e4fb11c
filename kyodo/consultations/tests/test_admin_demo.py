"""Admin pages (topics, hours, exceptions, settings), the demo loader, garbage in URLs, several locations."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import PERSONAS
from kyodo.consultations import services
from kyodo.consultations.models import Consultation, CoordinatorHours, Topic
from kyodo.consultations.tests.conftest import at, person
from kyodo.core.errors import Unavailable

ADMIN_PAGES = [
    "/admin/consultations/topic/",
    "/admin/consultations/topic/add/",
    "/admin/consultations/coordinatorhours/",
    "/admin/consultations/coordinatorhours/add/",
    "/admin/consultations/coordinatorexception/",
    "/admin/consultations/coordinatorexception/add/",
    "/admin/consultations/consultationsettings/",
    "/admin/consultations/consultationsettings/add/",
    "/admin/consultations/coordinatorprofile/",
    "/admin/consultations/consultation/",
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_pages_for_each_persona(client_for, persona, hours, day, topic):
    services.book(hours, at(day, 10), "in_person", topic, person(name="管理 画面"))
    client = client_for(persona)
    for path in ADMIN_PAGES:
        response = client.get(path)
        if persona in ("admin", "staff"):  # staff keep the center's data (core.User.has_perm)
            assert response.status_code == 200, path
        else:
            assert response.status_code == 302, path
            assert "管理 画面" not in response.content.decode()


def test_admin_cancel_action_goes_through_the_service(client_for, hours, day, topic):
    c = services.book(hours, at(day, 10), "in_person", topic, person())
    response = client_for("admin").post(
        "/admin/consultations/consultation/", {"action": "cancel_selected", "_selected_action": [c.pk]}
    )
    assert response.status_code == 302
    assert Consultation.objects.get().status == "cancelled"
    from kyodo.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="consultation.cancel").exists()


def _admin_cancel(client, *consultations):
    response = client.post(
        "/admin/consultations/consultation/",
        {"action": "cancel_selected", "_selected_action": [c.pk for c in consultations]},
        follow=True,
    )
    return [(m.level_tag, m.message) for m in response.context["messages"]]


def test_admin_cancel_shows_the_services_refusal_and_cancels_the_others(client_for, staff, hours, day, topic):
    held = services.book(hours, at(day, 10), "in_person", topic, person(name="済み 一郎"))
    Consultation.objects.filter(pk=held.pk).update(status="held")
    booked = services.book(hours, at(day, 12), "in_person", topic, person(name="予約 花子"))
    held.refresh_from_db()
    with translation.override("ja"), pytest.raises(ValidationError) as refusal:
        services.cancel(held, actor=staff)
    shown = _admin_cancel(client_for("admin"), held, booked)
    assert ("error", f"{held}: {' '.join(refusal.value.messages)}") in shown
    assert [level for level, _ in shown].count("error") == 1
    assert Consultation.objects.get(pk=booked.pk).is_cancelled
    assert Consultation.objects.get(pk=held.pk).status == "held"


def test_admin_cancel_shows_an_unavailable_message_word_for_word(client_for, hours, day, topic, monkeypatch):
    first = services.book(hours, at(day, 10), "in_person", topic, person(name="一番 一郎"))
    second = services.book(hours, at(day, 12), "in_person", topic, person(name="二番 花子"))
    real_cancel = services.cancel

    def cancel(consultation, **kwargs):
        if consultation.pk == first.pk:
            raise Unavailable("ただいま混み合っています。")
        return real_cancel(consultation, **kwargs)

    monkeypatch.setattr(services, "cancel", cancel)
    shown = _admin_cancel(client_for("admin"), first, second)
    assert ("error", f"{first}: ただいま混み合っています。") in shown
    assert Consultation.objects.get(pk=second.pk).is_cancelled
    assert not Consultation.objects.get(pk=first.pk).is_cancelled


def test_demo_is_idempotent_and_has_two_coordinators(db, location):
    from kyodo.consultations import demo
    from kyodo.core import demo as core_demo

    core_demo.load()
    demo.load()
    counts = (Topic.objects.count(), CoordinatorHours.objects.count(), Consultation.objects.count())
    demo.load()
    assert (Topic.objects.count(), CoordinatorHours.objects.count(), Consultation.objects.count()) == counts
    coordinators = set(CoordinatorHours.objects.values_list("coordinator__email", flat=True))
    assert coordinators == {"staff@example.jp", "coordinator2@example.jp"}
    assert Topic.objects.filter(name="オンライン会議の開き方").exists()
    assert Consultation.objects.exists()


@pytest.mark.parametrize(
    "path",
    ["/consultation/?topic={t}&mode=phone&date=9999-12-31", "/consultation/?topic={t}&mode=phone&date=0001-01-01",
     "/consultation/book/?topic={t}&mode=phone&start=9999-12-31T23:59:59", "/consultation/book/?topic={t}&mode=phone&start=",
     "/consultation/staff/?date=9999-12-31&view=week", "/consultation/staff/?date=0001-01-01",
     "/consultation/staff/new/?date=9999-12-31", "/api/v1/consultations/slots?start=9999-12-30&end=9999-12-31",
     "/api/v1/consultations?start=9999-12-31", "/consultation/staff/99999/"],
)  # fmt: skip
def test_garbage_dates_are_never_a_500(client_for, hours, topic, path):
    response = client_for("staff").get(path.format(t=topic.pk))
    assert response.status_code in (200, 302, 400, 404, 422), (path, response.status_code)


def test_a_second_location_is_offered_and_booked_there(client, hours, day, topic, staff):
    from kyodo.core.models import Location, OpeningHours

    branch = Location.objects.create(
        name="分館", name_en="Branch", address="金沢市", phone="1", email="b@example.jp", order=5
    )
    for weekday in range(7):
        OpeningHours.objects.create(location=branch, weekday=weekday, opens="09:00", closes="21:00")
    CoordinatorHours.objects.create(
        coordinator=staff, location=branch, weekday=day.weekday(), start="18:00", end="20:00"
    )
    html = client.get("/consultation/").content.decode()
    assert "分館" in html and 'name="location"' in html
    times = client.get(
        f"/consultation/?location={branch.pk}&topic={topic.pk}&mode=phone&date={day}"
    ).content.decode()
    assert "18:00" in times and "10:00" not in times and f"location={branch.pk}" in times
    start = at(day, 18).isoformat().replace("+", "%2B")
    client.post(
        f"/consultation/book/?location={branch.pk}&topic={topic.pk}&mode=in_person&start={start}",
        person(consent="on"),
    )
    assert Consultation.objects.get().location == branch


def test_late_booking_for_today_or_tomorrow_still_gets_its_reminder(hours, day, topic, staff):
    import datetime as dt

    from kyodo.consultations import daily
    from kyodo.core.models import OutboundEmail

    services.book(hours, at(day, 15), "online", topic, person(), actor=staff)
    before = OutboundEmail.objects.count()
    assert daily.run(day).startswith("1 ")  # the run on the day itself catches it
    assert daily.run(day - dt.timedelta(days=1)).startswith("0 ")  # never twice
    assert OutboundEmail.objects.count() == before + 1


def test_without_any_location_pages_are_404_not_500(client, db, topic):
    assert client.get("/consultation/").status_code == 404
    assert client.get("/consultation/flyer/").status_code == 404
    assert client.get("/consultation/privacy/").status_code == 200
    assert client.get("/api/v1/consultations/slots?start=2026-12-01&end=2026-12-02").status_code == 404
