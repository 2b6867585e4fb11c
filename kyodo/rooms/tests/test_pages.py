"""Every rooms page per persona: the grid (no sign-in), booking from a cell with a review step, the done
page, the 使用申請, my bookings, cancelling, the staff pages. Bad input is a 4xx, never a 500."""

import csv
import io

import pytest
from django.utils import translation

from conftest import PERSONAS
from kyodo.rooms import services
from kyodo.rooms.models import Payment, RoomBooking, RoomBookingPeriod
from kyodo.rooms.tests.conftest import at, d

EN = "/en"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


DAY = d(3)


def booked(member, group, room, day=DAY, status="provisional", staff=None, periods=("evening",)):
    booking = services.book(member, {"room": room.pk, "date": day, "periods": list(periods), "group": group.pk,
                                     "terms_accepted": True, "attendees": 10, "purpose": "総会"})  # fmt: skip
    if status in ("applied", "approved"):
        services.apply(member, booking.pk, {"purpose": "総会", "attendees": 10, "person_in_charge": "山田",
                                            "terms_accepted": True})  # fmt: skip
    if status == "approved":
        services.approve(staff, booking.pk)
    return RoomBooking.objects.get(pk=booking.pk)


# --- the grid --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_grid_is_public_a_real_table_with_words(
    client_for, persona, hall, meeting_room, member_a, group_a
):
    booked(member_a, group_a, hall)
    response = client_for(persona).get(f"{EN}/rooms/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "Free" in html and "Taken" in html and "Closed" in html and "○" in html and "×" in html
    # staff book for a phone caller from the same grid
    book = "/rooms/staff/book/" if persona in ("staff", "admin") else "/rooms/book/"
    assert f"{book}?room={hall.pk}&amp;date=2027-06-03&amp;period=morning" in html


def test_the_grid_one_room_and_not_open_yet(client, hall, meeting_room):
    html = client.get(f"{EN}/rooms/", {"room": hall.pk, "start": "2027-09-28"}).content.decode()
    assert "Not open yet" in html and "交流ホール" in html and f'id="room-{meeting_room.pk}"' not in html


@pytest.mark.parametrize(
    "query", [{"start": "nonsense"}, {"room": "99999999999999999999999"}, {"start": "9999-12-31"}]
)
def test_the_grid_refuses_bad_input_without_500(client, hall, query):
    assert client.get(f"{EN}/rooms/", query).status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_room_page_and_the_open_data(client_for, persona, hall):
    assert client_for(persona).get(f"{EN}/rooms/{hall.pk}/").status_code == 200
    raw = client_for(persona).get("/rooms/opendata/facilities.csv").content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows[0]) == 24 and rows[0][0] == "都道府県コード又は市区町村コード" and rows[0][-1] == "備考"
    assert all(len(r) == 24 for r in rows) and rows[1][1] == "0000000001" and rows[1][16] == "火水木金土日"
    assert rows[1][17] == "09:00" and len(rows[1][0]) == 6


# --- booking from a cell ---------------------------------------------------------------------------


def form(room, group, overrides=None, **extra):
    return {**{"room": room.pk, "date": "2027-06-03", "periods": ["evening"], "group": group.pk, "purpose": "総会",
            "attendees": "10", "use": "meeting", "terms_accepted": "on", **extra}, **(overrides or {})}  # fmt: skip


def test_anonymous_is_sent_to_sign_in_from_a_cell(client, hall):
    response = client.get(f"{EN}/rooms/book/?room={hall.pk}&date=2027-06-03&period=evening")
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_member_books_with_a_review_then_the_done_page(client_for, personas, hall, group_a):
    client = client_for("member_a")
    page = client.get(f"{EN}/rooms/book/?room={hall.pk}&date=2027-06-03&period=evening").content.decode()
    assert "Required" in page and "Optional" in page and "data-error-summary" not in page
    key = page.split('name="once" value="')[1].split('"')[0]
    review = client.post(f"{EN}/rooms/book/", form(hall, group_a, stage="review", once=key))
    html = review.content.decode()
    assert (
        review.status_code == 200
        and "Please check before booking" in html
        and RoomBooking.objects.count() == 0
    )
    assert f'name="once" value="{key}"' in html and 'name="stage" value="commit"' in html
    done = client.post(f"{EN}/rooms/book/", form(hall, group_a, stage="commit", once=key))
    booking = RoomBooking.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/rooms/bookings/{booking.pk}/?done=1")
    again = client.post(f"{EN}/rooms/book/", form(hall, group_a, stage="commit", once=key))  # a double submit
    assert again.status_code == 302 and again["Location"] == done["Location"]
    assert RoomBooking.objects.count() == 1
    shown = client.get(again["Location"]).content.decode()
    assert "We have already received this application." in shown and booking.reference in shown
    page = client.get(done["Location"]).content.decode()
    assert booking.reference in page and "data-print" in page and "booking.ics" in page
    ics = client.get(f"{EN}/rooms/bookings/{booking.pk}/booking.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_booking_errors_show_at_the_top_with_their_status(
    client_for, personas, hall, group_a, member_b, group_b
):
    client = client_for("member_a")
    response = client.post(f"{EN}/rooms/book/", form(hall, group_a, terms_accepted="", action="check"))
    assert response.status_code == 400 and b"data-error-summary" in response.content
    assert b"accept the terms" in response.content
    booked(member_b, group_b, hall)
    taken = client.post(f"{EN}/rooms/book/", form(hall, group_a, action="send"))
    assert taken.status_code == 409 and b"already taken" in taken.content.lower()
    for bad in (
        {"date": "31-31-31"},
        {"room": "x"},
        {"periods": ["zzz"]},
        {"attendees": "-4"},
        {"group": "999999999999999999999"},
    ):
        assert client.post(f"{EN}/rooms/book/", form(hall, group_a, bad, action="check")).status_code == 400
    assert (
        client.post(f"{EN}/rooms/book/", form(hall, group_b, action="check")).status_code == 400
    )  # not theirs
    assert RoomBooking.objects.count() == 1


def test_a_member_without_a_group_is_told_to_register(client, hall):
    from conftest import make_user

    client.force_login(make_user("loner@example.jp"))
    assert b"register your group" in client.get(f"{EN}/rooms/book/").content.lower()


# --- the booking, the application, cancelling ------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_a_booking(client_for, persona, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall)
    response = client_for(persona).get(f"{EN}/rooms/bookings/{booking.pk}/")
    expected = {"anonymous": 302, "member_a": 200, "member_b": 404, "staff": 200, "admin": 200}[persona]
    assert response.status_code == expected
    for path in ("booking.ics", "apply/", "cancel/"):
        code = client_for(persona).get(f"{EN}/rooms/bookings/{booking.pk}/{path}").status_code
        assert code == expected, path


def test_the_use_application_with_a_reduction_reviewed_then_sent(
    client_for, personas, hall, member_a, group_a
):
    booking = booked(member_a, group_a, hall)
    client = client_for("member_a")
    data = {"purpose": "講座", "attendees": "30", "person_in_charge": "山田", "use": "lecture",
            "reduction": "half", "reduction_reason": "公益活動", "terms_accepted": "on"}  # fmt: skip
    review = client.post(f"{EN}/rooms/bookings/{booking.pk}/apply/", {**data, "action": "check"})
    assert (
        review.status_code == 200
        and b"Please check before sending" in review.content
        and b"500" in review.content
    )
    booking.refresh_from_db()
    assert booking.is_provisional()
    bad = client.post(
        f"{EN}/rooms/bookings/{booking.pk}/apply/", {**data, "reduction_reason": "", "action": "send"}
    )
    assert bad.status_code == 400 and b"reason for the fee reduction" in bad.content
    over = client.post(
        f"{EN}/rooms/bookings/{booking.pk}/apply/", {**data, "attendees": "61", "action": "send"}
    )
    assert over.status_code == 400
    sent = client.post(f"{EN}/rooms/bookings/{booking.pk}/apply/", {**data, "action": "send"})
    assert sent.status_code == 302
    booking.refresh_from_db()
    assert booking.is_applied() and booking.fee_due == 500
    assert (
        client.post(f"{EN}/rooms/bookings/{booking.pk}/apply/", {**data, "action": "send"}).status_code == 409
    )


def test_cancel_asks_first_then_cancels(client_for, personas, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall, day=d(20))
    client = client_for("member_a")
    confirm = client.get(f"{EN}/rooms/bookings/{booking.pk}/cancel/")
    assert confirm.status_code == 200 and b"Yes, cancel this booking" in confirm.content
    assert client.post(f"{EN}/rooms/bookings/{booking.pk}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.is_cancelled() and not RoomBookingPeriod.objects.active().exists()
    assert client.post(f"{EN}/rooms/bookings/{booking.pk}/cancel/").status_code == 400


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_bookings(client_for, persona, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall)
    response = client_for(persona).get(f"{EN}/rooms/mine/")
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert (booking.reference in response.content.decode()) is (persona == "member_a")


# --- permit and receipt ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_permit_and_the_receipt_pages(client_for, persona, hall, member_a, group_a, staff):
    booking = booked(member_a, group_a, hall, status="approved", staff=staff)
    payment = services.take_payment(staff, booking.pk)
    expected = {"anonymous": 302, "member_a": 200, "member_b": 404, "staff": 200, "admin": 200}[persona]
    permit = client_for(persona).get(f"{EN}/rooms/bookings/{booking.pk}/permit/")
    receipt = client_for(persona).get(f"{EN}/rooms/receipts/{payment.pk}/")
    assert permit.status_code == receipt.status_code == expected
    if expected == 200:
        assert booking.permit_number in permit.content.decode() and b"data-print" in permit.content
        assert payment.receipt_number in receipt.content.decode()


def test_no_permit_before_approval(client_for, personas, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall)
    assert client_for("member_a").get(f"{EN}/rooms/bookings/{booking.pk}/permit/").status_code == 404


# --- staff ---------------------------------------------------------------------------------------------

STAFF_PAGES = ["/rooms/staff/applications/", "/rooms/staff/day/", "/rooms/staff/book/", "/rooms/staff/recurring/",
               "/rooms/staff/block/", "/rooms/staff/statistics/"]  # fmt: skip


CONFIRMED = ("return", "cancel", "refund")  # GET: the confirmation page (core.confirm); POST acts
POST_ONLY = ("approve", "payment", "attendance", "key")


@pytest.mark.parametrize("persona", PERSONAS)
def test_staff_pages_per_persona(client_for, persona, hall, member_a, group_a, staff):
    """Every rooms staff URL (core.access.staff_member_required): the signed-out go to /accounts/login/,
    signed-in non-staff get 403, before anything is read or written."""
    booking = booked(member_a, group_a, hall, status="applied")
    pages = [*STAFF_PAGES, f"/rooms/staff/bookings/{booking.pk}/"]
    pages += [f"/rooms/staff/bookings/{booking.pk}/{action}/" for action in CONFIRMED]
    for path in pages:
        response = client_for(persona).get(EN + path)
        if persona in ("staff", "admin"):
            assert response.status_code == 200, path
        else:
            assert _turned_away(response, persona), path
    for action in (*CONFIRMED, *POST_ONLY):
        response = client_for(persona).post(f"{EN}/rooms/staff/bookings/{booking.pk}/{action}/")
        if persona in ("staff", "admin"):
            # a return or a cancel without its reason is the confirmation again (400), nothing changed
            assert response.status_code == (400 if action in ("return", "cancel") else 302), action
        else:
            assert _turned_away(response, persona), action
    for action in POST_ONLY:  # a link followed (a prefetch, a scanner) changes nothing: 405 for everyone
        assert client_for(persona).get(f"{EN}/rooms/staff/bookings/{booking.pk}/{action}/").status_code == 405


def test_staff_cancel_asks_first_with_a_reason_then_cancels(client_for, personas, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall, status="applied")
    client = client_for("staff")
    page = client.get(f"{EN}/rooms/staff/bookings/{booking.pk}/").content.decode()
    assert f'href="/en/rooms/staff/bookings/{booking.pk}/cancel/"' in page
    assert f'action="/en/rooms/staff/bookings/{booking.pk}/cancel/"' not in page
    url = f"{EN}/rooms/staff/bookings/{booking.pk}/cancel/"
    confirmation = client.get(url).content.decode()
    assert booking.reference in confirmation and 'class="danger"' in confirmation
    booking.refresh_from_db()
    assert booking.is_applied()
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "data-error-summary" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.is_applied()
    assert client.post(url, {"reason": "設備点検のため"}).status_code == 302
    booking.refresh_from_db()
    assert booking.is_cancelled() and booking.cancel_reason == "設備点検のため"


def test_staff_approve_take_payment_print_receipt(client_for, personas, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall, status="applied")
    client = client_for("staff")
    queue = client.get(f"{EN}/rooms/staff/applications/").content.decode()
    assert booking.reference in queue
    client.post(f"{EN}/rooms/staff/bookings/{booking.pk}/approve/")
    booking.refresh_from_db()
    assert booking.is_approved() and booking.permit_number
    response = client.post(f"{EN}/rooms/staff/bookings/{booking.pk}/payment/", {"method": "cash"})
    payment = Payment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/rooms/receipts/{payment.pk}/")
    assert payment.amount == 1000
    sheet = client.get(f"{EN}/rooms/staff/day/?date=2027-06-03").content.decode()
    assert booking.reference in sheet and "paid" in sheet


def test_staff_return_needs_a_reason(client_for, personas, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall, status="applied")
    client = client_for("staff")
    confirmation = client.get(f"{EN}/rooms/staff/bookings/{booking.pk}/return/")
    assert confirmation.status_code == 200 and booking.reference in confirmation.content.decode()
    refused = client.post(f"{EN}/rooms/staff/bookings/{booking.pk}/return/", {"reason": ""})
    assert refused.status_code == 400
    booking.refresh_from_db()
    assert booking.is_applied()
    client.post(f"{EN}/rooms/staff/bookings/{booking.pk}/return/", {"reason": "人数を確認"})
    booking.refresh_from_db()
    assert booking.is_returned()


def test_staff_book_for_a_caller(client_for, personas, hall, group_a):
    client = client_for("staff")
    data = form(hall, group_a, action="send")
    data.pop("terms_accepted")
    response = client.post(f"{EN}/rooms/staff/book/", data)
    booking = RoomBooking.objects.get()
    assert response.status_code == 302 and f"/rooms/staff/bookings/{booking.pk}/" in response["Location"]
    assert booking.booked_by_staff and booking.group == group_a


def test_staff_recurring_reports_the_dates(client_for, personas, hall, group_a, member_b, group_b):
    booked(member_b, group_b, hall, day=d(13, 7))
    response = client_for("staff").post(
        f"{EN}/rooms/staff/recurring/",
        {"room": hall.pk, "group": group_a.pk, "weekday": "1", "nth": "2", "periods": ["evening"],
         "start": "2027-06-01", "end": "2027-09-30"},
    )  # fmt: skip
    html = response.content.decode()
    assert (
        response.status_code == 200
        and "✗" in html
        and "already taken" in html.lower()
        and html.count("✓") == 3
    )
    assert client_for("staff").post(f"{EN}/rooms/staff/recurring/", {"room": "x"}).status_code == 400


def test_staff_block_and_day_sheet_attendance(clock, client_for, personas, hall, member_a, group_a, staff):
    client = client_for("staff")
    assert client.post(f"{EN}/rooms/staff/block/", {"room": hall.pk, "date": "2027-06-04", "kind": "maintenance",
                                                     "reason": "点検"}).status_code == 302  # fmt: skip
    assert (
        b"\xe7\x82\xb9\xe6\xa4\x9c" in client.get(f"{EN}/rooms/?start=2027-06-04").content
    )  # 点検 in the grid
    assert client.post(f"{EN}/rooms/staff/block/", {"room": "", "date": "x"}).status_code == 400
    booking = booked(member_a, group_a, hall, status="approved", staff=staff)
    clock.set(at(3, 21))
    client.post(f"{EN}/rooms/staff/bookings/{booking.pk}/attendance/", {"attendance": "9", "next": "day"})
    booking.refresh_from_db()
    assert booking.attendance == 9
    assert client.get(f"{EN}/rooms/staff/day/?date=bad").status_code == 200
    assert client.get(f"{EN}/rooms/staff/statistics/?year=abc").status_code == 200


def test_the_profile_and_the_dashboard_show_the_rooms(client_for, personas, hall, member_a, group_a):
    booking = booked(member_a, group_a, hall, status="applied")
    assert booking.reference in client_for("member_a").get(f"{EN}/me/").content.decode()
    dashboard = client_for("staff").get(f"{EN}/staff/")
    assert (
        dashboard.status_code == 200 and "/rooms/staff/applications/" in dashboard.content.decode()
    )  # the staff home
    assert b"/rooms/" in client_for("anonymous").get(f"{EN}/").content  # the main menu


def _turned_away(response, persona):
    """A staff page: the signed-out are sent to the site's sign-in, signed-in non-staff get 403."""
    if persona == "anonymous":
        return response.status_code == 302 and response["Location"].split("?")[0].endswith("/accounts/login/")
    return response.status_code == 403
