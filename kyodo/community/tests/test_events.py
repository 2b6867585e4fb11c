"""Events: visibility per persona, submission by members, moderation by staff, filters and validation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import PERSONAS
from kyodo.community import services
from kyodo.community.models import Event
from kyodo.community.tests.helpers import event_form_data, make_event
from kyodo.core.errors import Unavailable
from kyodo.core.models import AuditEntry, OutboundEmail

TODAY = timezone.localdate


@pytest.fixture
def drafts(group_a, group_b, member_a, member_b):
    """A draft of group A and one of group B."""
    return {
        "a": make_event(title="A団体の下書き", group=group_a, state="draft", submitted_by=member_a),
        "b": make_event(title="B団体の下書き", group=group_b, state="draft", submitted_by=member_b),
    }


# --- Public pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_event_pages_answer_everyone(client_for, persona, prefix):
    event = make_event(title="公開イベント", start_date=dt.date(2021, 11, 13))
    client = client_for(persona)
    for path in ["/events/", "/events/archive/", f"/events/{event.pk}/"]:
        assert client.get(prefix + path).status_code == 200, (persona, path)


def test_event_page_shows_the_japanese_date_and_status(client, db):
    event = make_event(
        title="Civic Tech Summit KANAZAWA 2021", start_date=dt.date(2021, 11, 13), status="cancelled"
    )
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "2021年11月13日(土)" in html
    assert "中止" in html
    english = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "Sat, 13 Nov 2021" in english and "cancelled" in english


def test_postponed_event_shows_its_new_date(client, db):
    event = make_event(status="postponed", postponed_to=TODAY() + dt.timedelta(days=40))
    html = client.get(f"/events/{event.pk}/").content.decode()
    assert "延期" in html and f"{event.postponed_to.year}年{event.postponed_to.month}月" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_events_are_seen_only_by_their_group_and_staff(client_for, persona, drafts):
    client = client_for(persona)
    a = client.get(f"/events/{drafts['a'].pk}/").status_code
    b = client.get(f"/events/{drafts['b'].pk}/").status_code
    expected = {
        "anonymous": (404, 404),
        "member_a": (200, 404),
        "member_b": (404, 200),
        "staff": (200, 200),
        "admin": (200, 200),
    }[persona]
    assert (a, b) == expected
    listing = client.get("/events/").content.decode()
    assert "下書き" not in listing  # never on the public list, whoever looks


def test_upcoming_first_past_in_the_archive_by_month(client, db):
    past = make_event(title="去年のまつり", start_date=dt.date(2021, 10, 23))
    soon = make_event(title="来週の会", start_date=TODAY() + dt.timedelta(days=7))
    later = make_event(title="来月の会", start_date=TODAY() + dt.timedelta(days=35))
    postponed = make_event(
        title="延期の会", start_date=TODAY() - dt.timedelta(days=3), status="postponed",
        postponed_to=TODAY() + dt.timedelta(days=3),
    )  # fmt: skip
    html = client.get("/events/").content.decode()
    assert past.title not in html and postponed.title in html
    assert html.index(soon.title) < html.index(later.title)
    archive = client.get("/events/archive/").content.decode()
    assert past.title in archive and soon.title not in archive and "2021年10月" in archive


def test_month_and_category_filters(client, db):
    first = (TODAY() + dt.timedelta(days=40)).replace(day=1)
    in_month = make_event(title="その月の講座", start_date=first + dt.timedelta(days=2), category="lecture")
    other_cat = make_event(
        title="その月のまつり", start_date=first + dt.timedelta(days=3), category="festival"
    )
    spanning = make_event(
        title="月をまたぐ展示", start_date=first - dt.timedelta(days=2), end_date=first + dt.timedelta(days=1),
        category="lecture",
    )  # fmt: skip
    elsewhere = make_event(title="別の月の講座", start_date=first + dt.timedelta(days=40), category="lecture")
    html = client.get(f"/events/?month={first:%Y-%m}&category=lecture").content.decode()
    assert in_month.title in html and spanning.title in html
    assert other_cat.title not in html and elsewhere.title not in html


@pytest.mark.parametrize("query", ["month=2021-13", "month=abc", "month=1999-01", "category=nope"])
def test_bad_filters_are_a_clear_400(client, db, query):
    response = client.get(f"/events/?{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get(f"/events/archive/?{query}").status_code == 400


def test_unknown_event_is_404(client, db):
    assert client.get("/events/999999/").status_code == 404


# --- Submission and moderation (services) ------------------------------------------------------------


def _data(**overrides):
    data = {
        "title": "みんなの清掃",
        "category": "volunteer",
        "start_date": TODAY() + dt.timedelta(days=14),
        "end_date": TODAY() + dt.timedelta(days=14),
        "venue_name": "金沢駅前",
        "status": "scheduled",
    }
    data.update(overrides)
    return data


def test_member_submits_and_staff_publish(group_a, member_a, staff):
    event = services.create_event(member_a, _data(), group=group_a, submit=True)
    assert event.state == Event.State.SUBMITTED and event.submitted_by == member_a
    staff_mail = OutboundEmail.objects.get(to=[staff.email])
    assert "みんなの清掃" in staff_mail.subject
    services.publish_event(staff, event.pk)
    event.refresh_from_db()
    assert event.is_published and event.published_at
    published_mail = OutboundEmail.objects.get(to=[member_a.email], subject__contains="公開")
    assert [a["filename"] for a in published_mail.attachments] == [f"event-{event.pk}.ics"]
    assert published_mail.attachments[0]["mimetype"] == "text/calendar; method=PUBLISH"
    assert AuditEntry.objects.filter(action="event.publish", target_id=str(event.pk)).exists()


def test_staff_return_with_comment_then_member_fixes_and_resubmits(group_a, member_a, staff):
    event = services.create_event(member_a, _data(), group=group_a, submit=True)
    with pytest.raises(ValidationError):
        services.return_event(staff, event.pk, "  ")
    services.return_event(staff, event.pk, "会場の住所を書いてください。")
    event.refresh_from_db()
    assert event.state == Event.State.RETURNED and event.moderation_comment == "会場の住所を書いてください。"
    returned_mail = OutboundEmail.objects.get(to=[member_a.email])
    assert "会場の住所を書いてください。" in returned_mail.body
    with pytest.raises(Unavailable):
        services.return_event(staff, event.pk, "もう一度")  # not awaiting review any more
    services.update_event(member_a, event.pk, _data(venue_address="金沢市木ノ新保町1-1"), submit=True)
    event.refresh_from_db()
    assert event.state == Event.State.SUBMITTED and event.venue_address == "金沢市木ノ新保町1-1"


def test_members_cannot_publish_or_touch_other_groups(group_a, group_b, member_a, member_b):
    with pytest.raises(PermissionDenied):
        services.create_event(member_a, _data(), group=group_a, publish=True)
    with pytest.raises(PermissionDenied):
        services.create_event(member_a, _data(), group=group_b)
    with pytest.raises(ValidationError):
        services.create_event(member_a, _data(), group=None)
    event = services.create_event(member_a, _data(), group=group_a)
    with pytest.raises(PermissionDenied):
        services.update_event(member_b, event.pk, _data(title="乗っ取り"))
    with pytest.raises(PermissionDenied):
        services.publish_event(member_a, event.pk)
    with pytest.raises(PermissionDenied):
        services.delete_event(member_b, event.pk)
    assert Event.objects.get(pk=event.pk).title == "みんなの清掃"


def test_saving_with_publish_is_for_staff_and_a_refused_save_writes_nothing(group_a, member_a, staff):
    event = services.create_event(member_a, _data(), group=group_a)
    with pytest.raises(PermissionDenied):
        services.update_event(member_a, event.pk, _data(title="公開したい"), publish=True)
    event.refresh_from_db()
    assert event.title == "みんなの清掃" and not event.is_published
    saved = services.update_event(staff, event.pk, _data(title="公開します"), publish=True)
    assert saved.is_published and Event.objects.get(pk=event.pk).title == "公開します"


def test_members_of_pending_groups_cannot_submit(db):
    from conftest import make_user
    from kyodo.groups.models import Group, Membership

    pending = Group.objects.create(
        name="審査中の会", kana="しんさちゅう", representative="代表", contact_email="p@example.jp"
    )
    user = make_user("pending@example.jp")
    Membership.objects.create(group=pending, user=user)
    assert not services.can_submit(user)
    with pytest.raises(PermissionDenied):
        services.create_event(user, _data(), group=pending)


def test_submitted_or_published_events_are_locked_for_members(group_a, member_a, staff):
    event = services.create_event(member_a, _data(), group=group_a, submit=True)
    with pytest.raises(PermissionDenied):
        services.update_event(member_a, event.pk, _data(title="変更"))
    services.publish_event(staff, event.pk)
    with pytest.raises(Unavailable):
        services.publish_event(staff, event.pk)
    with pytest.raises(PermissionDenied):
        services.delete_event(member_a, event.pk)


def test_editing_a_published_event_bumps_its_calendar_sequence(staff):
    event = services.create_event(staff, _data(), publish=True)
    assert event.is_published and event.sequence == 0
    services.update_event(staff, event.pk, _data(status="cancelled"))
    event.refresh_from_db()
    assert event.sequence == 1 and event.status == "cancelled"


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"end_date": TODAY() + dt.timedelta(days=1)}, "end_date"),
        ({"start_time": dt.time(15), "end_time": dt.time(14)}, "end_time"),
        ({"end_time": dt.time(14)}, "start_time"),
        ({"postponed_to": TODAY() + dt.timedelta(days=50)}, "postponed_to"),
        ({"latitude": 36.5}, "longitude"),
        ({"latitude": 100, "longitude": 136.6}, "latitude"),
        ({"apply_by_time": dt.time(12)}, "apply_by_date"),
        ({"title": ""}, "title"),
    ],
)
def test_invalid_events_are_refused_and_nothing_is_written(staff, overrides, field):
    with pytest.raises(ValidationError) as info:
        services.create_event(staff, _data(**overrides))
    assert field in info.value.message_dict
    assert not Event.objects.exists()


def test_postponed_date_is_dropped_when_status_goes_back(staff):
    event = services.create_event(
        staff, _data(status="postponed", postponed_to=TODAY() + dt.timedelta(days=60)), publish=True
    )
    services.update_event(staff, event.pk, _data(status="scheduled"))
    event.refresh_from_db()
    assert event.postponed_to is None


# --- Submission and moderation (pages) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 200), ("member_b", 200), ("staff", 200), ("admin", 200)],
)
def test_submit_page_needs_an_approved_group_or_staff(client_for, persona, expected):
    assert client_for(persona).get("/events/new/").status_code == expected


def test_signed_in_user_without_group_gets_403(client, db):
    from conftest import make_user

    client.force_login(make_user("lonely@example.jp"))
    assert client.get("/events/new/").status_code == 403
    assert client.get("/events/mine/").status_code == 200


def test_member_submits_through_the_page(client_for, group_a, member_a, staff):
    client = client_for("member_a")
    response = client.post("/events/new/", {**event_form_data(), "group": group_a.pk, "action": "submit"})
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert event.state == "submitted" and event.end_date == event.start_date and event.group == group_a
    assert "新しいイベント" in client.get("/events/mine/").content.decode()
    assert "新しいイベント" not in client_for("member_b").get("/events/mine/").content.decode()


def test_member_cannot_submit_for_another_group_through_the_page(client_for, group_b, member_a):
    response = client_for("member_a").post(
        "/events/new/", {**event_form_data(), "group": group_b.pk, "action": "submit"}
    )
    assert response.status_code == 400  # group B is not a choice for member A
    assert not Event.objects.exists()


def test_form_errors_are_400_with_messages_and_write_nothing(client_for, group_a, member_a):
    response = client_for("member_a").post(
        "/events/new/",
        {**event_form_data(start_time="15:00", end_time="14:00"), "group": group_a.pk, "action": "draft"},
    )
    assert response.status_code == 400
    assert "終了時刻は開始時刻より後" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 200), ("member_b", 404), ("staff", 200), ("admin", 200)],
)
def test_edit_page_of_group_a_draft(client_for, drafts, persona, expected):
    assert client_for(persona).get(f"/events/{drafts['a'].pk}/edit/").status_code == expected


def test_member_cannot_edit_a_published_event_page(client_for, group_a, member_a):
    event = make_event(group=group_a)
    assert client_for("member_a").get(f"/events/{event.pk}/edit/").status_code == 403


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("staff", 200), ("admin", 200)],
)
def test_manage_page_is_staff_only(client_for, persona, expected):
    assert client_for(persona).get("/events/manage/").status_code == expected


def test_review_endpoints_publish_and_return(client_for, drafts, staff):
    event = drafts["a"]
    event.state = "submitted"
    event.save()
    assert client_for("member_a").post(f"/events/{event.pk}/publish/").status_code == 403
    event.refresh_from_db()
    assert event.state == "submitted"  # redirected to the sign-in page; nothing changed
    staff_client = client_for("staff")
    response = staff_client.post(f"/events/{event.pk}/return/", {"comment": ""})
    assert response.status_code == 400
    response = staff_client.post(f"/events/{event.pk}/return/", {"comment": "日付を確認"})
    assert response.status_code == 302
    response = staff_client.post(f"/events/{event.pk}/return/", {"comment": "再度"})
    assert response.status_code == 409
    assert "差し戻しできるのは確認待ちのイベントだけです。" in response.content.decode()
    assert staff_client.post(f"/events/{event.pk}/publish/").status_code == 302
    response = staff_client.post(f"/events/{event.pk}/publish/")
    assert (
        response.status_code == 409 and "このイベントはすでに公開されています。" in response.content.decode()
    )
    assert staff_client.post("/events/999999/publish/").status_code == 404
    assert staff_client.get(f"/events/{event.pk}/publish/").status_code == 405


def test_staff_creates_and_publishes_directly(client_for, staff):
    response = client_for("staff").post("/events/new/", {**event_form_data(), "action": "publish"})
    event = Event.objects.get()
    assert response.status_code == 302 and event.is_published and event.group is None


def test_staff_edit_and_notice(client_for, staff):
    event = make_event()
    client = client_for("staff")
    response = client.post(
        f"/events/{event.pk}/edit/",
        {**event_form_data(title="変更後"), "status": "postponed", "action": "save"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "変更後" and event.status == "postponed" and event.sequence == 1
    response = client.post(
        "/events/manage/", {"text": "※中止・延期となる場合があります。", "text_en": "May change."}
    )
    assert response.status_code == 302
    assert "※中止・延期となる場合があります。" in client.get("/events/").content.decode()
    assert "May change." in client.get("/en/events/").content.decode()


def test_member_deletes_own_draft(client_for, drafts):
    assert client_for("member_b").post(f"/events/{drafts['a'].pk}/delete/").status_code == 404
    assert client_for("member_a").post(f"/events/{drafts['a'].pk}/delete/").status_code == 302
    assert not Event.objects.filter(pk=drafts["a"].pk).exists()


def test_no_mail_is_sent_by_the_request_itself(client_for, group_a, member_a, staff):
    client_for("member_a").post(
        "/events/new/", {**event_form_data(), "group": group_a.pk, "action": "submit"}
    )
    assert mail.outbox == []  # queued in the outbox table, delivered by the worker
    assert OutboundEmail.objects.count() == 1


def test_member_uploads_an_image_with_the_event(client_for, group_a, member_a):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    upload = SimpleUploadedFile("poster.png", buffer.getvalue(), content_type="image/png")
    client = client_for("member_a")
    response = client.post(
        "/events/new/", {**event_form_data(), "group": group_a.pk, "action": "draft", "image": upload}
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.image.name.startswith("events/") and event.image.name.endswith(".png")
    assert "poster" not in event.image.name  # stored under a random name (kyodo.core.images)
    assert event.image.url in client.get(f"/events/{event.pk}/").content.decode()
    bad = SimpleUploadedFile("poster.png", b"not an image", content_type="image/png")
    response = client.post("/events/new/", {**event_form_data(), "group": group_a.pk, "image": bad})
    assert response.status_code == 400 and Event.objects.count() == 1


@pytest.mark.parametrize(
    "persona,status,sees_a,sees_b",
    [
        ("anonymous", 302, False, False),
        ("member_a", 200, True, False),
        ("member_b", 200, False, True),
        ("staff", 200, False, False),
        ("admin", 200, False, False),
    ],
)
def test_my_events_shows_only_my_groups(client_for, drafts, persona, status, sees_a, sees_b):
    response = client_for(persona).get("/events/mine/")
    assert response.status_code == status
    html = response.content.decode()
    assert ("A団体の下書き" in html) == sees_a and ("B団体の下書き" in html) == sees_b


@pytest.mark.parametrize(
    "persona,publishes",
    [("anonymous", False), ("member_a", False), ("member_b", False), ("staff", True), ("admin", True)],
)
def test_only_staff_can_publish_through_the_review_endpoint(client_for, drafts, persona, publishes):
    event = drafts["a"]
    client_for(persona).post(f"/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.is_published == publishes


@pytest.mark.parametrize(
    "persona,status,deleted",
    [("anonymous", 302, False), ("member_a", 302, True), ("member_b", 404, False), ("staff", 302, True)],
)
def test_delete_per_persona(client_for, drafts, persona, status, deleted):
    response = client_for(persona).post(f"/events/{drafts['a'].pk}/delete/")
    assert response.status_code == status
    assert Event.objects.filter(pk=drafts["a"].pk).exists() != deleted
    assert Event.objects.filter(pk=drafts["b"].pk).exists()


def test_event_form_sections_cover_every_field_once():
    from kyodo.community.forms import EventForm

    names = [name for _legend, fields in EventForm.SECTIONS for name in fields]
    assert sorted(names) == sorted(EventForm.base_fields) and len(names) == len(set(names))


def test_event_dates_outside_2000_2100_are_refused():
    import datetime as dt

    from django.core.exceptions import ValidationError

    from kyodo.community.models import Event

    event = Event(title="x", start_date=dt.date(9999, 12, 31), end_date=dt.date(9999, 12, 31), venue_name="v")
    with pytest.raises(ValidationError) as info:
        event.full_clean()
    assert "start_date" in info.value.message_dict


def test_upcoming_events_come_in_pages_that_keep_the_filter(client, location):
    import datetime as dt

    from django.utils import timezone

    from kyodo.community.models import Event

    start = timezone.localdate() + dt.timedelta(days=1)
    Event.objects.bulk_create(
        Event(
            title=f"催し{i:02d}",
            start_date=start,
            end_date=start,
            venue_name="会場",
            state="published",
            category="other",
        )
        for i in range(40)
    )
    first = client.get("/events/?category=other").content.decode()
    assert first.count("催し") == 20 and "category=other&amp;page=2" in first
    assert "page=0" not in first  # no "earlier" link on the first page
    second = client.get("/events/?category=other&page=2").content.decode()
    # Exactly 40: the second page is full, and there is no third page to link to.
    assert second.count("催し") == 20 and "page=1" in second and "page=3" not in second
    beyond = client.get("/events/?category=other&page=9")
    assert beyond.status_code == 200 and beyond.content.decode().count("催し") == 0
    assert client.get("/events/?category=other&page=abc").content.decode().count("催し") == 20


def test_event_category_label_follows_the_language(client, location):
    import datetime as dt

    from django.utils import timezone

    from kyodo.community.models import Event

    day = timezone.localdate() + dt.timedelta(days=3)
    Event.objects.create(title="講座", start_date=day, end_date=day, venue_name="会場", state="published",
                         category="lecture")  # fmt: skip
    assert "講演会・セミナー" in client.get("/events/").content.decode()
    assert "Lecture / seminar" in client.get("/en/events/").content.decode()
    assert Event(category="gone").get_category_display() == "gone"


def test_upcoming_events_read_in_two_parts_match_one_ordered_query(db, django_assert_num_queries):
    """UpcomingEvents (running events, then those starting from today) gives exactly what one
    ORDER BY over "not over yet" gives, for every slice, in two queries: postponed events by their new
    date."""
    import datetime as dt
    import random

    from django.utils import timezone

    from kyodo.community.models import Event
    from kyodo.community.services import UpcomingEvents
    from kyodo.community.tests.helpers import make_event

    today = timezone.localdate()
    rng = random.Random(7)
    for i in range(60):
        start = today + dt.timedelta(days=rng.randint(-30, 30))
        end = start + dt.timedelta(days=rng.choice([0, 0, 1, 5, 40]))
        postponed = today + dt.timedelta(days=rng.randint(-5, 20)) if rng.random() < 0.4 else None
        make_event(title=f"e{i}", start_date=start, end_date=end, postponed_to=postponed,
                   status="postponed" if postponed else "scheduled",
                   start_time=rng.choice([None, dt.time(10), dt.time(18)]),
                   state=rng.choice(["published", "published", "published", "draft"]))  # fmt: skip
    from django.db.models.functions import Coalesce

    held = Coalesce("postponed_to", "start_date")
    expected = list(Event.objects.published().upcoming().order_by(held, "start_time", "id"))
    assert any(e.postponed_to and e.start_date < today <= e.postponed_to for e in expected)
    assert any(e.postponed_to and today < e.start_date for e in expected)
    assert any(e.start_date < today for e in expected) and any(e.start_date >= today for e in expected)
    upcoming = UpcomingEvents()
    for a in range(0, len(expected) + 2, 3):
        for size in (1, 7, 20):
            with django_assert_num_queries(2):
                assert [e.pk for e in upcoming[a : a + size]] == [e.pk for e in expected[a : a + size]]
    assert [e.pk for e in upcoming[5:]] == [e.pk for e in expected[5:]]


def test_list_badges_use_the_event_words_not_the_booking_ones(client, db):
    """中止 and 延期 on the cards (a plain "Cancelled" is キャンセル in the booking apps' catalogues)."""
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=5)
    make_event(title="雨天中止の会", start_date=day, status="cancelled")
    make_event(title="延期の会", start_date=day, status="postponed", postponed_to=day + dt.timedelta(days=30))
    html = client.get("/events/").content.decode()
    assert '<span class="badge danger">中止</span>' in html and "キャンセル" not in html
    assert '<span class="badge warn">延期 → ' in html
    english = client.get("/en/events/").content.decode()
    assert '<span class="badge danger">Cancelled</span>' in english


def test_api_lists_only_published_events_of_the_status_asked_for(client, db):
    make_event(title="予定どおりの会")
    make_event(title="中止の会", status="cancelled")
    make_event(title="下書きの中止の会", status="cancelled", state="draft")
    titles = [e["title"] for e in client.get("/api/v1/events", {"status": "cancelled"}).json()]
    assert titles == ["中止の会"]


# --- A postponed event under its new date; a cancelled one without "add to calendar" -----------------


def test_a_postponed_event_is_listed_under_its_new_date_with_the_old_one_struck_through(client, db):
    from django.utils import timezone

    today = timezone.localdate()
    make_event(title="先の会", start_date=today + dt.timedelta(days=10))
    make_event(
        title="のびた会", start_date=today + dt.timedelta(days=3), status="postponed",
        postponed_to=today + dt.timedelta(days=20),
    )  # fmt: skip
    make_event(
        title="過ぎてから延期の会", start_date=today - dt.timedelta(days=30), status="postponed",
        postponed_to=today + dt.timedelta(days=5),
    )  # fmt: skip
    html = client.get("/en/events/").content.decode()
    order = [html.index(title) for title in ("過ぎてから延期の会", "先の会", "のびた会")]
    assert order == sorted(order)  # by the date each takes place on
    card = html[html.index("のびた会") - 600 : html.index("のびた会")]
    new, old = today + dt.timedelta(days=20), today + dt.timedelta(days=3)
    assert f'<time datetime="{new.isoformat()}">' in card
    assert f'(originally <del><time datetime="{old.isoformat()}">' in card
    # The month filter finds it in the month of its new date.
    month = (today + dt.timedelta(days=20)).strftime("%Y-%m")
    assert "のびた会" in client.get("/events/", {"month": month}).content.decode()
    # The past events do not hold the one that was moved ahead.
    assert "過ぎてから延期の会" not in client.get("/events/archive/").content.decode()


def test_the_newsletter_prints_a_postponed_event_under_its_new_date(client_for, personas, db):
    from django.utils import timezone

    new = timezone.localdate() + dt.timedelta(days=40)
    event = make_event(
        title="延期の会", start_date=new - dt.timedelta(days=30), status="postponed", postponed_to=new
    )
    html = (
        client_for("staff")
        .get("/en/newsletter/", {"issue": 1, "date": timezone.localdate().isoformat(), "events": [event.pk]})
        .content.decode()
    )
    assert f'<span class="md">{new.month}/{new.day}</span>' in html and "(originally <del>" in html


def test_a_cancelled_event_offers_no_add_to_calendar(client, db):
    cancelled = make_event(title="中止の会", status="cancelled")
    scheduled = make_event(title="予定の会")
    assert f"/events/{cancelled.pk}.ics" not in client.get(f"/events/{cancelled.pk}/").content.decode()
    assert f"/events/{scheduled.pk}.ics" in client.get(f"/events/{scheduled.pk}/").content.decode()


# --- The event form for citizens, the past-date rule, the site notice -----------------------------------


def test_a_submitted_event_may_not_start_in_the_past(client_for, group_a, member_a, staff):
    yesterday = TODAY() - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.create_event(
            member_a, _data(start_date=yesterday, end_date=yesterday), group=group_a, submit=True
        )
    assert "start_date" in refused.value.message_dict
    client = client_for("member_a")
    response = client.post(
        "/en/events/new/",
        event_form_data(group=group_a.pk, start_date=yesterday.isoformat(), action="submit"),
    )
    assert response.status_code == 400 and not Event.objects.exists()
    assert "has already passed. Choose today or a later date." in response.content.decode()
    # Staff may still record an event that took place, for the archive.
    past = services.create_event(
        staff, _data(start_date=yesterday, end_date=yesterday), group=group_a, publish=True
    )
    assert past.is_published


def test_the_citizens_form_does_not_ask_for_coordinates_room_or_extension(
    client_for, group_a, member_a, staff
):
    member_form = client_for("member_a").get("/events/new/").content.decode()
    for name in ("latitude", "longitude", "venue_extra", "contact_extension"):
        assert f'name="{name}"' not in member_form, name
        assert f'name="{name}"' in client_for("staff").get("/events/new/").content.decode(), name
    # What staff added stays when the group edits its draft again.
    event = make_event(group=group_a, state="draft", submitted_by=member_a, latitude="36.5", longitude="136.6",
                       venue_extra="2階 会議室", contact_extension="123")  # fmt: skip
    data = event_form_data(group=group_a.pk, action="draft", latitude="0", venue_extra="")
    assert client_for("member_a").post(f"/events/{event.pk}/edit/", data).status_code == 302
    event.refresh_from_db()
    assert (str(event.latitude), event.venue_extra, event.contact_extension) == (
        "36.500000",
        "2階 会議室",
        "123",
    )


def test_the_standing_notice_is_a_site_setting_shown_with_the_list_not_on_every_event(client_for, db):
    event = make_event(title="ふつうの会")
    staff = client_for("staff")
    response = staff.post(
        "/events/manage/", {"text": "※中止・延期となる場合があります。", "text_en": "Events may change."}
    )
    assert response.status_code == 302
    assert "※中止・延期となる場合があります。" in client_for("anonymous").get("/events/").content.decode()
    assert "Events may change." in client_for("anonymous").get("/en/events/").content.decode()
    assert (
        "※中止・延期となる場合があります。"
        not in client_for("anonymous").get(f"/events/{event.pk}/").content.decode()
    )
    staff.post("/events/manage/", {"text": "", "text_en": ""})
    assert 'class="notice"' not in client_for("anonymous").get("/events/").content.decode()
