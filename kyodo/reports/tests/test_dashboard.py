import datetime as dt

import pytest
from django.utils import timezone

from conftest import PERSONAS, PHONE, axe_check, browser_login
from kyodo.core.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(location, group_a, group_b, staff):
    from kyodo.community.models import Event
    from kyodo.consultations.models import Consultation, Topic
    from kyodo.groups.models import Group
    from kyodo.lending.models import EquipmentType, Reservation, ReservationItem

    today = timezone.localdate()
    camera = EquipmentType.objects.create(name="WEBカメラ", category="camera", location=location)

    def reservation(group, pickup, ret, status):
        r = Reservation.objects.create(
            group=group, location=location, pickup_date=pickup, return_date=ret, hold_until=ret,
            purpose="総会", status=status,
        )  # fmt: skip
        ReservationItem.objects.create(reservation=r, equipment_type=camera, quantity=1)
        return r

    group_b.contact_phone = "076-999-0000"
    group_b.save()
    reservation(group_a, today, today + dt.timedelta(days=2), "approved")
    reservation(group_a, today - dt.timedelta(days=3), today, "checked_out")
    reservation(group_b, today - dt.timedelta(days=10), today - dt.timedelta(days=4), "checked_out")
    reservation(group_a, today + dt.timedelta(days=20), today + dt.timedelta(days=21), "requested")
    topic = Topic.objects.create(name="機材の使い方")
    start = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0)
    Consultation.objects.create(
        location=location, coordinator=staff, topic=topic, mode="online", start=start,
        end=start + dt.timedelta(hours=1), blocked_until=start + dt.timedelta(hours=1), name="相談 花子",
    )  # fmt: skip
    Group.objects.create(
        name="審査待ちの会", kana="しんさまち", representative="x", contact_email="p@example.jp"
    )
    Event.objects.create(
        title="申請中の催し", start_date=today, end_date=today, venue_name="会場", state="submitted"
    )
    OutboundEmail.objects.create(
        subject="x", from_email="a@example.jp", to=["b@example.jp"], body="x", attempts=3
    )
    return today


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_is_staff_only(client_for, persona, busy_day):
    response = client_for(persona).get("/staff/")
    if persona in ("staff", "admin"):
        assert response.status_code == 200
    elif persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403


def test_dashboard_shows_the_day_and_what_waits(client_for, busy_day, location):
    html = client_for("staff").get(f"/staff/?location={location.pk}").content.decode()
    assert "相談 花子" in html and "15:00" in html and "オンライン" in html
    board = html.split("ショートカット")[0]  # the dashboard's own day columns, not the apps' shortcut blocks
    assert (
        "15:00 相談 花子" in board
        and "/consultation/staff/?date=" in board
        and "/equipment/staff/counter/?date=" in board
    )
    assert "件の延長申請" in html and "件の貸出申請" in html  # our wording, not another app's
    assert "4日延滞" in html and "076-999-0000" in html  # overdue with the group's contact
    assert html.count("/equipment/staff/checkout/") >= 1 and "/equipment/staff/return/" in html
    for link in ["/groups/review/", "/equipment/staff/requests/", "/events/manage/", "/staff/outbox/"]:
        assert f'href="{link}"' in html
    waiting = html.split('id="waiting-h"')[1].split("</section>")[0]
    assert [int(n) for n in __import__("re").findall(r'class="big">(\d+)<', waiting)] == [
        1,
        0,
        1,
        0,
        1,
        1,
    ]  # groups, calls to make, loans, extensions, events, e-mails


def test_dashboard_for_another_location_is_empty(client_for, busy_day):
    from conftest import make_location

    other = make_location("分館")
    html = client_for("staff").get(f"/staff/?location={other.pk}").content.decode()
    html = html.split("ショートカット")[0]  # the dashboard itself, not the apps' shortcut blocks
    assert "相談 花子" not in html and "延滞中の貸出はありません" in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dashboard_on_a_phone(new_page, busy_day):
    page = new_page(PHONE)
    browser_login(page, "staff@example.jp")
    for path in ["/staff/", "/staff/stats/", "/en/staff/"]:
        page.goto(path)
        axe_check(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1, path


def test_the_dashboard_is_assembled_from_each_app_s_part(rf, monkeypatch, location):
    """Cards, attention blocks and day columns come from the apps' sections, sorted into place."""
    import types

    from kyodo.core import sections
    from kyodo.core.sections import Attention, Board, DayColumn, Waiting

    today = dt.date(2026, 12, 3)
    board = Board(today=today, dates=[today, dt.date(2026, 12, 4)], location=None)
    first = types.SimpleNamespace(
        dashboard=lambda request, b: [
            Waiting(20, "b", 2, "/b/"),
            DayColumn(20, today, "later", "t.html", [1]),
            DayColumn(5, dt.date(2030, 1, 1), "not shown", "t.html", []),
        ]
    )
    second = types.SimpleNamespace(
        dashboard=lambda request, b: [
            Waiting(10, "a", 1, "/a/"),
            Attention(1, "x.html"),
            DayColumn(10, today, "first", "t.html", []),
        ]
    )
    monkeypatch.setattr(sections, "app_modules", lambda name: [first, types.SimpleNamespace(), second])
    result = sections.dashboard_sections(rf.get("/"), board)
    assert [w.label for w in result.waiting] == ["a", "b"]
    assert [a.template for a in result.attention] == ["x.html"]
    assert [(date, [c.title for c in columns]) for date, columns in result.days] == [
        (today, ["first", "later"]),
        (dt.date(2026, 12, 4), []),
    ]


def test_mail_given_up_shows_on_the_staff_day_with_its_error_and_a_retry(client_for, busy_day):
    OutboundEmail.objects.create(
        subject="承認のお知らせ", from_email="a@example.jp", to=["gone@example.jp"], body="x", attempts=9,
        status=OutboundEmail.Status.FAILED, last_error="SMTPRecipientsRefused: 550 no such user",
    )  # fmt: skip
    html = client_for("staff").get("/staff/").content.decode()
    block = html.split('id="given-up-h"')[1].split("</section>")[0]
    assert "承認のお知らせ" in block and "550 no such user" in block and "gone@example.jp" in block
    assert 'action="/staff/outbox/"' in block


def test_a_phone_only_hold_waits_on_the_staff_day_with_its_number(client_for, busy_day, location, staff):
    from kyodo.consultations.models import Consultation, Topic

    start = timezone.localtime().replace(hour=11, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    Consultation.objects.create(
        location=location, coordinator=staff, topic=Topic.objects.first(), mode="phone", start=start,
        end=start + dt.timedelta(hours=1), blocked_until=start + dt.timedelta(hours=1), name="電話 太郎",
        phone="076-111-2222", email="", status=Consultation.Status.PENDING,
        held_until=start - dt.timedelta(hours=1),
    )  # fmt: skip
    html = client_for("staff").get("/staff/").content.decode()
    block = html.split('id="calls-h"')[1].split("</section>")[0]
    assert "電話 太郎" in block and 'href="tel:076-111-2222"' in block
    waiting = html.split('id="waiting-h"')[1].split("</section>")[0]
    assert [int(n) for n in __import__("re").findall(r'class="big">(\d+)<', waiting)][1] == 1
