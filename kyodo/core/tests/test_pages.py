"""Every core page, for every persona."""

import pytest

from conftest import PERSONAS


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_answer_everyone(client_for, persona, prefix, location):
    client = client_for(persona)
    paths = ["/", "/locations/", f"/locations/{location.pk}/calendar/"]
    if persona == "anonymous":
        paths += ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
    for path in paths:
        response = client.get(prefix + path)
        assert response.status_code == 200, (persona, prefix + path)


def test_home_is_japanese_at_root_and_english_under_en(client, location):
    ja = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert '<html lang="ja">' in ja and "テストセンター" in ja and "本文へスキップ" in ja
    assert '<html lang="en">' in en and "Test Center" in en and "Skip to main content" in en


def test_language_switcher_keeps_the_page(client, location):
    html = client.get(f"/locations/{location.pk}/calendar/?month=2026-12").content.decode()
    assert f'href="/en/locations/{location.pk}/calendar/?month=2026-12"' in html
    html = client.get(f"/en/locations/{location.pk}/calendar/").content.decode()
    assert f'href="/locations/{location.pk}/calendar/"' in html


def test_header_and_footer_show_the_center_contact(client, location):
    html = client.get("/").content.decode()
    assert location.phone in html and location.email in html and location.address in html


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 200), ("member_b", 200), ("staff", 200), ("admin", 200)],
)
def test_profile_needs_sign_in(client_for, persona, expected):
    assert client_for(persona).get("/me/").status_code == expected


def test_my_page_lists_my_groups_only_with_their_state(client_for, personas, group_a, group_b):
    html = client_for("member_a").get("/me/").content.decode()
    assert f'href="/groups/mine/{group_a.pk}/"' in html and "A町会" in html and "承認済み" in html
    assert "Bサークル" not in html
    assert "まだ団体に所属していません" in client_for("staff").get("/me/").content.decode()


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 403), ("member_b", 403), ("staff", 200), ("admin", 200)],
)
def test_staff_pages_are_staff_only(client_for, persona, expected):
    client = client_for(persona)
    for path in ["/staff/", "/staff/outbox/", "/groups/review/"]:
        response = client.get(path)
        assert response.status_code == expected, path
        if expected == 302:  # to the site's sign-in, never the admin's
            assert response["Location"].startswith("/accounts/login/?next="), path


@pytest.mark.parametrize(
    "persona,expected",
    [("anonymous", 302), ("member_a", 302), ("member_b", 302), ("staff", 200), ("admin", 200)],
)
def test_admin_is_staff_only_and_japanese(client_for, persona, expected):
    response = client_for(persona).get("/admin/")
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert '<html lang="ja"' in html and "サイト管理" in html and "Site administration" not in html


def test_calendar_month_parameter_garbage_is_not_an_error(client, location):
    assert client.get(f"/locations/{location.pk}/calendar/?month=nonsense").status_code == 200
    assert client.get(f"/locations/{location.pk}/calendar/?month=2500-01").status_code == 404
    assert client.get("/locations/99999/calendar/").status_code == 404


def test_every_location_shows_address_access_parking_map_hours_and_closed_weekdays(client, location):
    location.access, location.parking = "金沢駅からバスで10分", "駐車場はありません"
    location.access_en = "10 minutes by bus from Kanazawa Station"
    location.save()
    html = client.get("/en/locations/").content.decode()
    assert location.address in html and "10 minutes by bus from Kanazawa Station" in html
    assert "駐車場はありません" in html  # no English text given: the Japanese one
    assert 'href="https://www.openstreetmap.org/search?query=' in html  # no coordinates: the address
    assert "Closed every Monday." in html
    monday_row = html[html.index('<th scope="row">Mon</th>') :][:120]
    assert "Closed" in monday_row
    location.latitude, location.longitude = "36.561300", "136.656200"
    location.save()
    html = client.get("/locations/").content.decode()
    assert (
        "https://www.openstreetmap.org/?mlat=36.561300&amp;mlon=136.656200#map=18/36.561300/136.656200"
        in html
    )


@pytest.mark.parametrize("weekday,expected", [(0, "Closed today"), (2, "Open today")])
def test_the_home_page_says_whether_the_center_is_open_today(
    client, location, weekday, expected, monkeypatch
):
    import datetime as dt

    from django.utils import timezone

    day = dt.date(2031, 6, 2) + dt.timedelta(days=weekday)  # 2031-06-02 is a Monday (closed here)
    monkeypatch.setattr(timezone, "localdate", lambda *args: day)
    html = client.get("/en/").content.decode()
    assert expected in html
    if weekday == 0:
        assert "Regular closed day" in html and "Next open on Tue, 3 Jun 2031" in html
    else:
        assert "Today 09:00–21:00" in html
