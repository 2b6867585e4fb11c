"""The standing site notice (shown with the events and printed in the newsletter) and news posts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kyodo.community.models import NewsPost, SiteNotice
from kyodo.core import audit
from kyodo.core.i18n import in_language


def notice(key: str = "events") -> str:
    """The standing notice in the current language ("" when there is none)."""
    row = SiteNotice.objects.filter(key=key).first()
    if row is None:
        return ""
    return in_language(row, "text")


@transaction.atomic
def update_notice(user: Any, text: str, text_en: str = "", key: str = "events") -> SiteNotice:
    if not (user.is_authenticated and user.is_staff):
        raise PermissionDenied
    row, _created = SiteNotice.objects.select_for_update().get_or_create(key=key)
    row.text = (text or "").strip()
    row.text_en = (text_en or "").strip()
    row.updated_at = timezone.now()
    row.updated_by = user
    row.save()
    audit.record(user, "notice.edit", row, row.text[:200])
    return row


def save_news(user: Any, post: NewsPost, change: bool) -> NewsPost:
    if not user.is_staff:
        raise PermissionDenied
    if not change:
        post.created_by = user
    post.updated_at = timezone.now()
    post.full_clean()
    post.save()
    audit.record(user, "news.edit" if change else "news.create", post)
    return post


def latest_news(limit: int = 3) -> QuerySet[NewsPost]:
    return NewsPost.objects.published()[:limit]
