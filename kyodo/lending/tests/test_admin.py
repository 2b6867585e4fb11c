import pytest
from django.contrib import messages

from kyodo.core.models import User
from kyodo.lending.models import Reservation, Unit
from kyodo.lending.tests.conftest import d

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona,expected", [("anonymous", 302), ("member_a", 302), ("staff", 200), ("admin", 200)]
)
def test_staff_keep_lending_data_in_the_admin_without_model_grants(
    client_for, persona, expected, camera, kit, member_a, group_a, reserve
):
    """Staff edit the center's data with no per-model permission (User.has_perm grants the staff apps);
    members are sent to the sign-in page."""
    r = reserve(member_a, group_a, {camera: 1}, d(3), d(4))
    client = client_for(persona)
    paths = ["equipmenttype/", f"equipmenttype/{camera.pk}/change/", "unit/", "kit/", f"kit/{kit.pk}/change/", "lendingrules/", "reservation/", f"reservation/{r.pk}/change/", "extensionrequest/"]  # fmt: skip
    assert not User.objects.filter(user_permissions__isnull=False).exists()  # no per-model grant
    for path in paths:
        assert client.get(f"/admin/lending/{path}").status_code == expected, path


def test_admin_actions_go_through_the_services(
    client_for, camera, member_a, group_a, member_b, group_b, reserve
):
    r = reserve(member_a, group_a, {camera: 3}, d(3), d(4))
    client = client_for("admin")
    unit = Unit.objects.get(asset_tag="CAM-001")
    response = client.post(
        "/admin/lending/unit/", {"action": "mark_under_repair", "_selected_action": [unit.pk]}, follow=True
    )
    assert Unit.objects.get(pk=unit.pk).status == "under_repair"
    assert f"#{r.pk}" in response.content.decode()
    response = client.post(
        "/admin/lending/reservation/", {"action": "approve_selected", "_selected_action": [r.pk]}, follow=True
    )
    assert Reservation.objects.get(pk=r.pk).status == "requested"  # short of a camera now: refused
    client.post("/admin/lending/unit/", {"action": "mark_in_service", "_selected_action": [unit.pk]})
    client.post("/admin/lending/reservation/", {"action": "approve_selected", "_selected_action": [r.pk]})
    assert Reservation.objects.get(pk=r.pk).status == "approved"
    assert client.get("/admin/lending/reservation/add/").status_code == 403


def test_an_admin_action_names_each_refused_record_and_goes_on_with_the_next(
    client_for, camera, mic, member_a, group_a, reserve
):
    short = reserve(member_a, group_a, {camera: 3}, d(3), d(4))
    fine = reserve(member_a, group_a, {mic: 1}, d(3), d(4))
    Unit.objects.filter(asset_tag="CAM-001").update(status=Unit.Status.UNDER_REPAIR)  # now short of one
    response = client_for("admin").post(
        "/admin/lending/reservation/",
        {"action": "approve_selected", "_selected_action": [short.pk, fine.pk]},
        follow=True,
    )
    errors = [str(m) for m in response.context["messages"] if m.level == messages.ERROR]
    assert len(errors) == 1 and errors[0].startswith(f"#{short.pk}: ")
    assert "WEBカメラ" in errors[0]  # the service's own words, naming what does not fit
    assert Reservation.objects.get(pk=short.pk).is_requested()
    assert Reservation.objects.get(pk=fine.pk).is_approved()
