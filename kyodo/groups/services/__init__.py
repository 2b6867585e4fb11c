"""Every rule about a group, by concept: registration and review, the public profile, membership
(roles and invitations), and the public directory (features and proposals). Views, admin, API and
commands call only these."""

from kyodo.groups.services.directory import (
    proposals_for,
    published_features,
    refresh_search_keys,
    save_feature,
    send_proposal,
)
from kyodo.groups.services.membership import (
    accept_invitation,
    can_manage,
    invite,
    is_manager,
    is_member,
    open_invitation,
    remove_member,
)
from kyodo.groups.services.profile import PROFILE_FIELDS, update_profile
from kyodo.groups.services.registration import (
    apply,
    approve,
    decline,
    send_pending_digest,
    waiting_application,
)

__all__ = [
    "waiting_application",
    "PROFILE_FIELDS",
    "accept_invitation",
    "apply",
    "approve",
    "can_manage",
    "decline",
    "invite",
    "is_manager",
    "is_member",
    "open_invitation",
    "proposals_for",
    "published_features",
    "refresh_search_keys",
    "remove_member",
    "save_feature",
    "send_pending_digest",
    "send_proposal",
    "update_profile",
]
