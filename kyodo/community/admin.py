from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyodo.community import services
from kyodo.community.models import Event, Feature, FeatureQA, NewsPost, Proposal, SiteNotice
from kyodo.core.errors import Unavailable


class StaffMayEdit(admin.ModelAdmin):
    """The center's staff keep events, news and features without per-model permissions: being staff is
    the role (the services check it again on every save)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


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
    def publish_selected(self, request, queryset):
        for event in queryset:
            try:
                services.publish_event(request.user, event.pk)
            except (ValidationError, Unavailable) as exc:
                self.message_user(request, f"{event}: {exc}", messages.WARNING)


@admin.register(NewsPost)
class NewsPostAdmin(StaffMayEdit):
    list_display = ["title", "publish_at", "pinned"]
    list_filter = ["pinned"]
    search_fields = ["title", "title_en", "body"]
    date_hierarchy = "publish_at"
    exclude = ["created_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        services.save_news(request.user, obj, change)


class FeatureQAInline(admin.TabularInline):
    model = FeatureQA
    extra = 3

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Feature)
class FeatureAdmin(StaffMayEdit):
    list_display = ["group", "title", "published", "published_on"]
    list_filter = ["published"]
    search_fields = ["group__name", "title"]
    inlines = [FeatureQAInline]

    def save_model(self, request, obj, form, change):
        services.save_feature(request.user, obj, change)


@admin.register(SiteNotice)
class SiteNoticeAdmin(StaffMayEdit):
    search_fields = ["key", "text", "text_en"]
    list_filter = ["key"]
    list_display = ["key", "text", "updated_at"]
    fields = ["key", "text", "text_en"]

    def save_model(self, request, obj, form, change):
        row = services.update_notice(request.user, obj.text, obj.text_en, key=obj.key)
        obj.pk = row.pk


@admin.register(Proposal)
class ProposalAdmin(StaffMayEdit):
    """Read only: proposals are relayed to groups; staff may look into abuse reports."""

    list_display = ["group", "sender_name", "organisation", "created_at"]
    search_fields = ["group__name", "sender_name", "sender_email", "organisation"]
    list_filter = ["created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
