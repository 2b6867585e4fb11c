from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kyodo.community import services
from kyodo.community.models import Event, NewsPost, SiteNotice
from kyodo.core.admin import act_on_each
from kyodo.groups.admin import StaffMayEdit


@admin.register(Event)
class EventAdmin(StaffMayEdit):
    list_display = ["title", "start_date", "venue_name", "group", "status", "state"]
    list_filter = ["state", "status", "category"]
    search_fields = ["title", "title_kana", "venue_name", "organizer_name", "group__name"]
    date_hierarchy = "start_date"
    readonly_fields = ["state", "moderation_comment", "submitted_by", "sequence", "published_at"]
    exclude = ["created_at", "updated_at"]
    actions = ["publish_selected"]

    def save_model(self, request, obj, form, change):
        services.save_event_in_admin(request.user, obj, change)

    @admin.action(description=_("Publish the selected events"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        act_on_each(self, request, queryset, lambda event: services.publish_event(request.user, event.pk))


@admin.register(NewsPost)
class NewsPostAdmin(StaffMayEdit):
    list_display = ["title", "publish_at", "pinned"]
    list_filter = ["pinned"]
    search_fields = ["title", "title_en", "body"]
    date_hierarchy = "publish_at"
    exclude = ["created_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.save_news(request.user, obj, change)


@admin.register(SiteNotice)
class SiteNoticeAdmin(StaffMayEdit):
    search_fields = ["key", "text", "text_en"]
    list_filter = ["key"]
    list_display = ["key", "text", "updated_at"]
    fields = ["key", "text", "text_en"]

    def save_model(self, request, obj, form, change):
        row = services.update_notice(request.user, obj.text, obj.text_en, key=obj.key)
        obj.pk = row.pk
