"""Roles inside group A: the root conftest's member_a is its manager; plain_member_a is a member only."""

import pytest

from conftest import make_user


@pytest.fixture
def plain_member_a(group_a):
    from kyodo.groups.models import Membership

    user = make_user("plain-a@example.jp")
    Membership.objects.create(group=group_a, user=user, role=Membership.Role.MEMBER)
    return user


# The personas of the group pages: member_a manages group A, plain_member_a is an ordinary member.
GROUP_PERSONAS = ["anonymous", "member_a", "plain_member_a", "member_b", "staff", "admin"]


@pytest.fixture
def group_client_for(client_for, plain_member_a):
    """client_for with one more persona: plain_member_a."""
    from django.test import Client

    def make(name):
        if name != "plain_member_a":
            return client_for(name)
        client = Client()
        client.force_login(plain_member_a)
        return client

    return make
