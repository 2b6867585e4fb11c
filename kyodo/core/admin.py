from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kyodo.core import audit, mail
from kyodo.core.doors import DOMAIN_ERRORS, message_of
from kyodo.core.models import ApiToken, AuditEntry, Closure, Location, OpeningHours, OutboundEmail, User

admin.site.site_header = _("Kyodo data maintenance")
admin.site.site_title = _("Kyodo")

M = TypeVar("M", bound=Model)
R = TypeVar("R")


def act_on_each(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    records: Iterable[M],
    call: Callable[[M], R],
    label: Callable[[M], str] = str,
) -> list[R]:
    """An admin action that runs a use case for each selected record. A record the service refuses gets
    an error message naming it (`label`), in the words every door uses (core.doors.message_of), and the
    action goes on with the next. Returns the results of the calls that succeeded."""
    results = []
    for record in records:
        try:
            results.append(call(record))
        except DOMAIN_ERRORS as exc:
            model_admin.message_user(request, f"{label(record)}: {message_of(exc)}", messages.ERROR)
    return results


class AuditedAdmin(admin.ModelAdmin):
    """Staff edits in the admin also go to the audit log."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            request.user, "admin.change" if change else "admin.add", obj, ", ".join(form.changed_data)
        )

    def delete_model(self, request, obj):
        audit.record(request.user, "admin.delete", obj)
        super().delete_model(request, obj)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_coordinator", "is_superuser", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_coordinator", "is_superuser", "is_active", "preferred_language"]
    search_fields = ["email", "name", "kana"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "kana", "phone", "preferred_language"]}),
        (
            _("Roles"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_coordinator",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            request.user, "admin.change" if change else "admin.add", obj, ", ".join(form.changed_data)
        )


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Location)
class LocationAdmin(AuditedAdmin):
    list_display = ["name", "phone", "email", "closed_on_holidays", "closed_at_year_end"]
    search_fields = ["name", "name_en", "address"]
    list_filter = ["closed_on_holidays", "closed_at_year_end"]
    inlines = [OpeningHoursInline, ClosureInline]


@admin.register(Closure)
class ClosureAdmin(AuditedAdmin):
    list_display = ["location", "start_date", "end_date", "reason"]
    list_filter = ["location"]
    search_fields = ["reason"]
    date_hierarchy = "start_date"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr", "detail"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "detail", "actor__email"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Staff see subject, recipient and state; admins also see the body of a message that grants no access.

    The body of a message carrying an access link (password reset, verification, invitation, a booking's
    private link) is shown to no one: only its addressee may read it (see OutboundEmail)."""

    list_display = ["created_at", "subject", "to", "template", "status", "attempts", "sent_at"]
    list_filter = ["status", "grants_access"]
    search_fields = ["subject", "to"]
    ENVELOPE = [
        "created_at", "subject", "from_email", "to", "template", "grants_access",
        "status", "attempts", "next_attempt_at", "sent_at", "last_error",
    ]  # fmt: skip
    CONTENT = ["cc", "bcc", "reply_to", "body", "alternatives", "attachments", "headers"]
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        if obj is not None and obj.content_visible_to_staff() and request.user.is_superuser:
            return self.ENVELOPE + self.CONTENT
        return self.ENVELOPE

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    # Re-sending changes state: only who may change messages (admins), not staff with view rights.
    @admin.action(description=_("Send the selected again"), permissions=["change"])
    def send_again(self, request, queryset):
        mail.retry(list(queryset.values_list("pk", flat=True)))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__email", "name"]
    list_filter = ["created_at"]
    readonly_fields = ["key_hash", "prefix"]
