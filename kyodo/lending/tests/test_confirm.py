"""The confirmation step (core.confirm) before each destructive lending action: its GET shows the
object and the consequence and changes nothing; its POST acts; the refused personas change nothing."""

import pytest

from conftest import PERSONAS
from kyodo.core.models import OutboundEmail
from kyodo.lending.models import ExtensionRequest, Reservation, Unit
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(member_a, group_a, camera):
    """Group A's request (waiting for review), purpose 'A秘密の総会'."""
    from kyodo.lending import services

    return services.create_request(
        member_a, group_a, [services.Line(1, camera.pk)], d(3), d(4), "A秘密の総会", day=d(1)
    )


def _status(reservation):
    return Reservation.objects.get(pk=reservation.pk).status


def _is_confirmation(html, button):
    return 'class="danger"' in html and button in html and 'method="post"' in html


# --- The group cancels its own reservation -------------------------------------------------------------


def test_the_reservation_page_links_to_the_confirmation_and_has_no_one_tap_cancel(client_for, requested):
    html = client_for("member_a").get(f"/en/equipment/reservations/{requested.pk}/").content.decode()
    assert f'href="/en/equipment/reservations/{requested.pk}/cancel/"' in html
    assert f'action="/en/equipment/reservations/{requested.pk}/cancel/"' not in html


def test_group_cancel_confirmation_shows_the_reservation_and_changes_nothing(client_for, requested):
    mails = OutboundEmail.objects.count()
    response = client_for("member_a").get(f"/en/equipment/reservations/{requested.pk}/cancel/")
    html = response.content.decode()
    assert response.status_code == 200
    assert _is_confirmation(html, "Cancel the reservation")
    assert f"#{requested.pk}" in html and "A秘密の総会" in html and "Web camera (sample) × 1" in html
    assert "cannot be undone" in html and "Back" in html
    assert _status(requested) == "requested" and OutboundEmail.objects.count() == mails


def test_group_cancel_post_cancels(client_for, requested):
    response = client_for("member_a").post(f"/en/equipment/reservations/{requested.pk}/cancel/", follow=True)
    assert _status(requested) == "cancelled"
    assert "The reservation was cancelled." in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_group_cancel_confirmation_per_persona(client_for, requested, persona):
    client = client_for(persona)
    url = f"/en/equipment/reservations/{requested.pk}/cancel/"
    response = client.get(url)
    if persona in ("member_a", "staff", "admin"):  # the group, and staff (who see every reservation)
        assert response.status_code == 200
        assert "A秘密の総会" in response.content.decode()
        return
    if persona == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 404
        assert "A秘密の総会" not in response.content.decode()
    client.post(url)
    assert _status(requested) == "requested"


def test_a_cancelled_reservation_offers_no_confirmation(client_for, requested):
    client = client_for("member_a")
    client.post(f"/equipment/reservations/{requested.pk}/cancel/")
    response = client.get(f"/en/equipment/reservations/{requested.pk}/cancel/")
    assert response.status_code == 302 and response["Location"].endswith(f"/reservations/{requested.pk}/")


# --- Staff cancel and decline ---------------------------------------------------------------------------


def test_the_review_page_links_to_the_confirmations(client_for, requested):
    html = client_for("staff").get(f"/en/equipment/staff/requests/{requested.pk}/").content.decode()
    for action in ("decline", "cancel"):
        assert f'href="/en/equipment/staff/requests/{requested.pk}/{action}/"' in html
        assert f'action="/en/equipment/staff/requests/{requested.pk}/{action}/"' not in html


def test_staff_cancel_confirmation_then_post(client_for, requested):
    client = client_for("staff")
    url = f"/en/equipment/staff/requests/{requested.pk}/cancel/"
    html = client.get(url).content.decode()
    assert _is_confirmation(html, "Cancel the reservation") and "A町会" in html
    assert _status(requested) == "requested"
    assert client.post(url).status_code == 302
    assert _status(requested) == "cancelled"


def test_decline_confirmation_asks_for_the_reason_and_changes_nothing(client_for, requested):
    client = client_for("staff")
    url = f"/en/equipment/staff/requests/{requested.pk}/decline/"
    html = client.get(url).content.decode()
    assert _is_confirmation(html, "Decline the request") and 'name="reason"' in html and "A秘密の総会" in html
    assert _status(requested) == "requested"
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and 'name="reason"' in refused.content.decode()
    assert _status(requested) == "requested"
    assert client.post(url, {"reason": "点検のため"}).status_code == 302
    assert _status(requested) == "declined"
    assert Reservation.objects.get(pk=requested.pk).decline_reason == "点検のため"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["decline", "cancel"])
def test_staff_confirmations_per_persona(client_for, requested, persona, action):
    client = client_for(persona)
    url = f"/en/equipment/staff/requests/{requested.pk}/{action}/"
    response = client.get(url)
    if persona in ("staff", "admin"):
        assert response.status_code == 200
        return
    assert _turned_away(response, persona)
    client.post(url, {"reason": "x"})
    assert _status(requested) == "requested"


def test_extension_decline_confirmation_shows_before_and_after(client_for, member_a, staff, requested):
    from kyodo.lending import services

    services.approve(staff, requested.pk, day=d(1))
    extension = services.request_extension(member_a, requested.pk, d(5), "延長", day=d(1))
    client = client_for("staff")
    html = client.get(f"/en/equipment/staff/requests/{requested.pk}/").content.decode()
    assert f'href="/en/equipment/staff/extensions/{extension.pk}/decline/"' in html
    url = f"/en/equipment/staff/extensions/{extension.pk}/decline/"
    html = client.get(url).content.decode()
    assert "Before" in html and "After" in html and "Fri, 4 Jun 2027" in html and "Sat, 5 Jun 2027" in html
    assert ExtensionRequest.objects.get(pk=extension.pk).is_pending()
    assert client_for("member_a").get(url).status_code == 403
    client.post(url)
    assert not ExtensionRequest.objects.get(pk=extension.pk).is_pending()


# --- Retiring a unit ------------------------------------------------------------------------------------


def test_the_unit_page_offers_retiring_only_through_the_confirmation(client_for, camera):
    unit = Unit.objects.get(asset_tag="CAM-001")
    html = client_for("staff").get(f"/en/equipment/units/{unit.pk}/").content.decode()
    assert f'href="/en/equipment/units/{unit.pk}/retire/"' in html
    assert 'value="retired"' not in html  # the status select does not retire in one step
    response = client_for("staff").post(f"/en/equipment/units/{unit.pk}/", {"status": "retired"})
    assert response.status_code == 400
    assert Unit.objects.get(pk=unit.pk).status == "in_service"


def test_retire_confirmation_then_post(client_for, camera):
    unit = Unit.objects.get(asset_tag="CAM-001")
    client = client_for("staff")
    url = f"/en/equipment/units/{unit.pk}/retire/"
    html = client.get(url).content.decode()
    assert _is_confirmation(html, "Retire the unit") and "CAM-001" in html and "never lent again" in html
    assert Unit.objects.get(pk=unit.pk).status == "in_service"
    response = client.post(url, {"note": "落下で破損"}, follow=True)
    unit.refresh_from_db()
    assert unit.status == "retired" and "落下で破損" in unit.condition_notes
    assert "CAM-001 was retired." in response.content.decode()
    assert client.get(url).status_code == 302  # already retired: nothing to confirm


@pytest.mark.parametrize("persona", PERSONAS)
def test_retire_per_persona(client_for, camera, persona):
    unit = Unit.objects.get(asset_tag="CAM-001")
    client = client_for(persona)
    url = f"/en/equipment/units/{unit.pk}/retire/"
    response = client.get(url)
    if persona in ("staff", "admin"):
        assert response.status_code == 200
        return
    assert _turned_away(response, persona)
    client.post(url)
    assert Unit.objects.get(pk=unit.pk).status == "in_service"


def test_a_missing_object_is_not_found(client_for, camera):
    client = client_for("staff")
    for url in [
        "/equipment/units/99999/retire/",
        "/equipment/staff/requests/99999/decline/",
        "/equipment/staff/requests/99999/cancel/",
        "/equipment/staff/extensions/99999/decline/",
        "/equipment/reservations/99999/cancel/",
    ]:
        assert client.get(url).status_code == 404, url


def _turned_away(response, persona):
    """A staff page: the signed-out are sent to the site's sign-in, signed-in non-staff get 403."""
    if persona == "anonymous":
        return response.status_code == 302 and response["Location"].split("?")[0].endswith("/accounts/login/")
    return response.status_code == 403
