"""Group registration and collaboration proposals (issue 12): the error summary, the review step, one
application or proposal for a double submit, and the 受付番号 on the done page and in the mail."""

import re

import pytest

from conftest import PERSONAS
from kyodo.core.models import OutboundEmail
from kyodo.groups.models import Group, Proposal
from kyodo.groups.tests.test_directory import PROPOSAL
from kyodo.groups.tests.test_registration import FORM

pytestmark = pytest.mark.django_db


def once_key(page):
    return re.search(r'name="once" value="([^"]+)"', page).group(1)


def test_empty_registration_shows_the_summary(client_for, member_b):
    response = client_for("member_b").post("/en/groups/register/", {"stage": "review"})
    page = response.content.decode()
    assert response.status_code == 400 and "data-error-summary" in page and 'href="#id_name"' in page


def test_registration_review_then_one_application(client_for, member_b):
    client = client_for("member_b")
    before = Group.objects.count()
    key = once_key(client.get("/en/groups/register/").content.decode())
    review = client.post("/en/groups/register/", {**FORM, "stage": "review", "once": key})
    assert review.status_code == 200 and "Check your application" in review.content.decode()
    assert Group.objects.count() == before
    done = client.post("/en/groups/register/", {**FORM, "stage": "commit", "once": key}, follow=True)
    again = client.post("/en/groups/register/", {**FORM, "stage": "commit", "once": key}, follow=True)
    group = Group.objects.get(name=FORM["name"])  # exactly one
    assert group.reference in done.content.decode()
    assert "We have already received this application" in again.content.decode()
    assert group.reference in again.content.decode()  # the first one's 受付番号, said again
    mail = OutboundEmail.objects.filter(template="groups/email/application_received").latest("id")
    assert group.reference in mail.body


@pytest.mark.parametrize("persona", PERSONAS)
def test_proposal_review_then_one_proposal(client_for, persona, group_a):
    client = client_for(persona)
    url = f"/en/groups/{group_a.pk}/"
    empty = client.post(url, {"stage": "review"})
    assert empty.status_code == 400 and 'href="#id_sender_name"' in empty.content.decode()
    key = once_key(client.get(url).content.decode())
    review = client.post(url, {**PROPOSAL, "stage": "review", "once": key})
    assert review.status_code == 200 and "Check your proposal" in review.content.decode()
    assert not Proposal.objects.exists()
    done = client.post(url, {**PROPOSAL, "stage": "commit", "once": key}, follow=True)
    again = client.post(url, {**PROPOSAL, "stage": "commit", "once": key}, follow=True)
    proposal = Proposal.objects.get()
    assert proposal.reference in done.content.decode()
    assert "We have already received this application" in again.content.decode()
    # The group's public page has no 受付番号 of its own: the repeat says the first proposal's again.
    assert again.content.decode().count(proposal.reference) == 1
    mail = OutboundEmail.objects.filter(template="groups/email/proposal").latest("id")
    assert proposal.reference in mail.body
