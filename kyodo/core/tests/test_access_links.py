"""No one but the addressee reads a link that grants access (security issue, finding 1).

The attack: anyone asks for a password reset for the admin's address; the message waits in the outbox;
a staff account opened it in the admin, read the reset link, set the admin's password and signed in as
superuser. The same screen showed every sign-up's verification link and every invitation link.
"""

import re

import pytest
from django.test import Client

from kyodo.core.mail import deliver_pending
from kyodo.core.models import OutboundEmail
from kyodo.groups import services as group_services

pytestmark = pytest.mark.django_db

RESET_LINK = re.compile(r"/accounts/password/reset/key/[^\s\"<]+")


def _ask_reset_for(email):
    Client().post("/accounts/password/reset/", {"email": email})
    return OutboundEmail.objects.filter(to=[email]).latest("pk")


def _screens(client, row):
    """Every admin screen that lists or shows this message."""
    return [
        client.get("/admin/core/outboundemail/"),
        client.get(f"/admin/core/outboundemail/?q={row.to[0]}"),
        client.get(f"/admin/core/outboundemail/{row.pk}/change/"),
        client.get("/staff/outbox/"),
    ]


def test_staff_cannot_read_the_admins_reset_link_and_take_over(client_for, personas):
    row = _ask_reset_for(personas["admin"].email)
    link = RESET_LINK.search(row.body).group(0)  # the addressee's copy, still waiting for delivery
    assert row.grants_access and row.template == "account/email/password_reset_key"

    staff = client_for("staff")
    for response in _screens(staff, row):
        assert response.status_code == 200
        page = response.content.decode()
        assert "/accounts/password/reset/key/" not in page and link not in page
    # The change page still tells staff what the message is, just not what it says.
    change_page = _screens(staff, row)[2].content.decode()
    assert row.subject in change_page and personas["admin"].email in change_page

    # Without the link, the attack ends here: the admin's password is unchanged.
    personas["admin"].refresh_from_db()
    assert personas["admin"].check_password("test-pass-1234")


def test_an_admin_cannot_read_it_either_and_it_is_gone_once_delivered(client_for, personas):
    row = _ask_reset_for(personas["member_a"].email)
    admin = client_for("admin")
    for response in _screens(admin, row):
        assert "/accounts/password/reset/key/" not in response.content.decode()

    assert deliver_pending() == (1, 0)
    row.refresh_from_db()
    assert row.is_delivered()
    assert row.body == "" and row.alternatives == [] and row.attachments == []
    # What staff need to follow the message is kept.
    assert row.subject and row.to == [personas["member_a"].email] and row.sent_at is not None
    for response in _screens(admin, row):
        assert "/accounts/password/reset/key/" not in response.content.decode()


def test_the_addressee_still_gets_the_whole_message(personas):
    from django.core import mail as django_mail

    _ask_reset_for(personas["member_a"].email)
    deliver_pending()
    (sent,) = django_mail.outbox
    assert RESET_LINK.search(sent.body)


def test_verification_and_invitation_links_are_marked_and_hidden(client_for, personas, group_a):
    Client().post(
        "/accounts/signup/",
        {
            "name": "新規",
            "email": "new@example.jp",
            "password1": "Zq8!vx-long-pass",
            "password2": "Zq8!vx-long-pass",
        },
    )
    verification = OutboundEmail.objects.filter(to=["new@example.jp"]).latest("pk")
    group_services.invite(personas["member_a"], group_a, "friend@example.jp")
    invitation = OutboundEmail.objects.filter(to=["friend@example.jp"]).latest("pk")
    assert verification.grants_access and invitation.grants_access

    staff = client_for("staff")
    for row, path in [(verification, "/accounts/confirm-email/"), (invitation, "/groups/invitation/")]:
        secret = re.search(re.escape(path) + r"[^\s/]+", row.body).group(0)  # the link is in the message
        for response in _screens(staff, row):
            assert secret not in response.content.decode()


def test_invitation_tokens_are_not_shown_in_the_admin(client_for, personas, group_a):
    invitation = group_services.invite(personas["member_a"], group_a, "friend@example.jp")
    for persona in ["staff", "admin"]:
        client = client_for(persona)
        for path in ["/admin/groups/invitation/", f"/admin/groups/invitation/{invitation.pk}/change/"]:
            response = client.get(path)
            assert response.status_code == 200
            assert invitation.token not in response.content.decode()


def test_a_message_without_an_access_link_shows_its_body_to_admins_only(client_for, personas):
    from django.core.mail import send_mail

    send_mail("お知らせ", "本文はここです", None, ["a@example.jp"])
    row = OutboundEmail.objects.get(to=["a@example.jp"])
    assert not row.grants_access
    assert (
        "本文はここです"
        in client_for("admin").get(f"/admin/core/outboundemail/{row.pk}/change/").content.decode()
    )
    assert (
        "本文はここです"
        not in client_for("staff").get(f"/admin/core/outboundemail/{row.pk}/change/").content.decode()
    )
    deliver_pending()
    row.refresh_from_db()
    assert row.body == "本文はここです"  # only messages granting access are emptied on delivery


def test_staff_with_view_rights_cannot_send_again_from_the_admin(client_for, personas):
    row = _ask_reset_for(personas["member_a"].email)
    OutboundEmail.objects.filter(pk=row.pk).update(status=OutboundEmail.Status.FAILED, attempts=9)
    response = client_for("staff").post(
        "/admin/core/outboundemail/", {"action": "send_again", "_selected_action": [row.pk]}
    )
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED and row.attempts == 9
    assert response.status_code in (200, 302)
    client_for("admin").post(
        "/admin/core/outboundemail/", {"action": "send_again", "_selected_action": [row.pk]}
    )
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.PENDING


def test_staff_keep_no_view_of_the_audit_trail_or_accounts(client_for, personas):
    staff = client_for("staff")
    assert staff.get("/admin/core/auditentry/").status_code == 403
    assert staff.get("/admin/core/user/").status_code == 403
    assert staff.get("/admin/core/apitoken/").status_code == 403
    assert client_for("admin").get("/admin/core/auditentry/").status_code == 200
