from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kyodo.core.admin import AuditedAdmin
from kyodo.groups import services
from kyodo.groups.models import ActivityField, Group, Invitation, Membership


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
    def approve_selected(self, request, queryset):
        for group in queryset:
            try:
                services.approve(request.user, group.pk)
            except ValidationError as exc:
                self.message_user(request, f"{group}: {' '.join(exc.messages)}", messages.ERROR)


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
