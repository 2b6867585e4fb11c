"""Staff keep the center's data in the admin (Japanese, with search and filters); accounts stay with admins."""

import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/admin/core/location/",
    "/admin/core/closure/",
    "/admin/groups/group/",
    "/admin/lending/equipmenttype/",
    "/admin/lending/unit/",
    "/admin/lending/kit/",
    "/admin/consultations/topic/",
    "/admin/community/event/",
]


@pytest.mark.parametrize("persona,expected", [("member_a", 302), ("staff", 200), ("admin", 200)])
def test_staff_maintain_data_in_the_admin(client_for, persona, expected):
    client = client_for(persona)
    for path in STAFF_PAGES:
        response = client.get(path + "?q=テスト")
        assert response.status_code == expected, path
    if expected == 200:
        assert "検索" in client.get("/admin/groups/group/").content.decode()


def test_staff_cannot_edit_accounts_but_admins_can(client_for, personas):
    assert client_for("staff").get("/admin/core/user/").status_code == 403
    assert client_for("admin").get("/admin/core/user/").status_code == 200
    staff = personas["staff"]
    assert staff.has_perm("lending.change_unit") and staff.has_perm("core.change_location")
    assert not staff.has_perm("core.change_user") and not staff.has_perm("auth.change_group")
    assert not staff.has_perm("core.change_outboundemail") and staff.has_perm("core.view_outboundemail")
    assert not personas["member_a"].has_perm("lending.change_unit")


def test_every_admin_list_has_search_and_filters():
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"core", "groups", "lending", "consultations", "community"}
        and (not model_admin.search_fields or not model_admin.list_filter)
    ]
    assert not missing, missing
