"""Issue 12 (journeys): the registration says what becomes public, listing in the directory is the
group's explicit choice, and a person whose application waits sees that state instead of the form."""

import re

import pytest

from conftest import PERSONAS, make_user
from kyodo.groups import services
from kyodo.groups.models import Group

BASE = {"name": "会", "kana": "かい", "representative": "代表", "contact_email": "c@example.jp"}


# --- Registration: what becomes public; listing is the group's choice ----------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_registration_form_says_what_becomes_public(client_for, persona):
    response = client_for(persona).get("/en/groups/register/")
    if persona == "anonymous":  # signs in first
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert "What becomes public" in html and "Never public" in html
    box = re.search(r'<input[^>]*name="listed"[^>]*>', html)
    assert box and "checked" not in box.group()


def test_a_new_group_is_listed_only_when_it_ticks_the_box(client, db):
    for n, (ticked, listed) in enumerate([({}, False), ({"listed": "on"}, True)]):
        user = make_user(f"u{n}@example.jp")
        client.force_login(user)
        assert client.post("/en/groups/register/", {**BASE, **ticked}).status_code == 302
        assert Group.objects.get(created_by=user).listed is listed


def test_a_person_whose_application_waits_sees_its_state_not_the_form(client, db):
    user = make_user("waiting@example.jp")
    client.force_login(user)
    assert services.waiting_application(user) is None
    assert client.post("/en/groups/register/", BASE).status_code == 302
    group = Group.objects.get(created_by=user)
    assert services.waiting_application(user) == group
    html = client.get("/en/groups/register/").content.decode()
    assert "Your registration is under review" in html and "What happens next" in html
    assert 'name="listed"' not in html  # no second form
    assert client.post("/en/groups/register/", {**BASE, "name": "二つ目"}).status_code == 400
    assert Group.objects.filter(created_by=user).count() == 1
    group.status = Group.Status.APPROVED
    group.save()
    assert services.waiting_application(user) is None
    assert 'name="listed"' in client.get("/en/groups/register/").content.decode()
