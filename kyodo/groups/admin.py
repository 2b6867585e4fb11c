from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kyodo.core.admin import AuditedAdmin, act_on_each
from kyodo.groups import services
from kyodo.groups.models import ActivityField, Feature, FeatureQA, Group, Invitation, Membership, Proposal


def is_active_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff)


class StaffMayEdit(admin.ModelAdmin):
    """The center's staff keep events, news, features and proposals without per-model permissions:
    being staff is the role (the services check it again on every save). The community admin uses it too."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_active_staff(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_active_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(AuditedAdmin):
    list_display = ["name", "kana", "representative", "status", "listed", "seeks_collaboration", "created_at"]
    list_filter = ["status", "listed", "seeks_collaboration", "fields"]
    search_fields = ["name", "kana", "representative", "contact_email"]
    inlines = [MembershipInline]
    actions = ["approve_selected"]
    readonly_fields = ["status", "reviewed_at", "decline_reason"]

    @admin.action(description=_("Approve the selected groups"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Group]) -> None:
        act_on_each(self, request, queryset, lambda group: services.approve(request.user, group.pk))


@admin.register(ActivityField)
class ActivityFieldAdmin(AuditedAdmin):
    list_display = ["name", "name_en", "order"]
    search_fields = ["name", "name_en"]
    list_filter = ["order"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["group", "user", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["group__name", "user__email"]
    autocomplete_fields = ["group", "user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only, and never the token: the invitation link is for its addressee alone."""

    list_display = ["group", "email", "created_at", "accepted_at"]
    search_fields = ["group__name", "email"]
    list_filter = ["accepted_at"]
    exclude = ["token"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FeatureQAInline(admin.TabularInline):
    model = FeatureQA
    extra = 3

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return is_active_staff(request)


@admin.register(Feature)
class FeatureAdmin(StaffMayEdit):
    list_display = ["group", "title", "published", "published_on"]
    list_filter = ["published"]
    search_fields = ["group__name", "title"]
    inlines = [FeatureQAInline]

    def save_model(self, request, obj, form, change):
        services.save_feature(request.user, obj, change)


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
