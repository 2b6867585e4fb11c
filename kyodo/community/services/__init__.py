"""Every rule of the community app, by concept: events and their moderation, the upcoming list, the
site notice and news. Views, the API, admin and commands call only these."""

from kyodo.community.services.events import (
    EVENT_FIELDS,
    can_edit,
    can_submit,
    cancel_event,
    create_event,
    delete_event,
    publish_event,
    return_event,
    save_event_in_admin,
    submittable_groups,
    update_event,
)
from kyodo.community.services.news import latest_news, notice, save_news, update_notice
from kyodo.community.services.upcoming import UpcomingEvents

__all__ = [
    "EVENT_FIELDS",
    "UpcomingEvents",
    "can_edit",
    "can_submit",
    "cancel_event",
    "create_event",
    "delete_event",
    "latest_news",
    "notice",
    "publish_event",
    "return_event",
    "save_event_in_admin",
    "save_news",
    "submittable_groups",
    "update_event",
    "update_notice",
]
