from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kyodo.consultations import services
from kyodo.consultations.models import (
    Consultation,
    ConsultationSettings,
    CoordinatorException,
    CoordinatorHours,
    CoordinatorProfile,
    Topic,
)
from kyodo.core.admin import AuditedAdmin
from kyodo.core.errors import Unavailable


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    search_fields = ["name", "name_en"]
    list_filter = ["active"]
    list_display = ["name", "name_en", "order", "active"]
    list_editable = ["order", "active"]


@admin.register(ConsultationSettings)
class ConsultationSettingsAdmin(AuditedAdmin):
    search_fields = ["location__name"]
    list_filter = ["location", "require_email_confirmation"]
    list_display = ["location", "length_minutes", "buffer_minutes", "notice_open_days", "horizon_days",
                    "require_email_confirmation", "anonymise_after_months"]  # fmt: skip


@admin.register(CoordinatorHours)
class CoordinatorHoursAdmin(AuditedAdmin):
    search_fields = ["coordinator__email", "coordinator__name"]
    list_display = ["coordinator", "location", "weekday", "start", "end"]
    list_filter = ["location", "coordinator", "weekday"]


@admin.register(CoordinatorException)
class CoordinatorExceptionAdmin(AuditedAdmin):
    search_fields = ["coordinator__email", "coordinator__name", "note"]
    list_display = ["date", "coordinator", "kind", "location", "start", "end", "note"]
    list_filter = ["kind", "coordinator"]
    date_hierarchy = "date"


@admin.register(CoordinatorProfile)
class CoordinatorProfileAdmin(AuditedAdmin):
    search_fields = ["coordinator__email", "coordinator__name"]
    list_filter = ["coordinator__is_active"]
    list_display = ["coordinator", "meeting_url"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Read-mostly: bookings change only through the services (staff pages), never by editing rows here."""

    list_display = ["start", "name", "topic", "mode", "coordinator", "location", "status", "anonymised"]
    list_filter = ["status", "mode", "topic", "location", "coordinator", "anonymised"]
    search_fields = ["name", "kana", "email", "group_name"]
    date_hierarchy = "start"
    actions = ["cancel_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    @admin.action(description=_("Cancel the selected consultations"))
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Consultation]) -> None:
        """Cancel each through the service. One that cannot be cancelled does not stop the others: its
        error is shown (the service's own words, after the booking's date and name) and the action goes on."""
        done = 0
        for consultation in queryset:
            try:
                services.cancel(consultation, actor=request.user)
            except (ValidationError, Unavailable) as exc:
                self.message_user(request, f"{consultation}: {_service_message(exc)}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, _("%(count)d consultation(s) cancelled.") % {"count": done})


def _service_message(exc: ValidationError | Unavailable) -> str:
    """What the service said, word for word (as core.doors.act shows it on a page)."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return exc.message
