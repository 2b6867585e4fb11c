"""Data maintenance: catalogue, units, kits and rules are edited here; reservations change only through
the services (actions below), so the admin cannot bypass a lending rule."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kyodo.core.admin import AuditedAdmin, act_on_each
from kyodo.lending import services
from kyodo.lending.models import (
    EquipmentType,
    ExtensionRequest,
    Kit,
    KitItem,
    LendingRules,
    Reservation,
    ReservationItem,
    ReservationUnit,
    Unit,
)


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["asset_tag", "serial", "status", "condition_notes"]
    readonly_fields = ["status"]
    can_delete = False  # retire a unit instead: deleting would skip the re-check of future reservations


@admin.register(EquipmentType)
class EquipmentTypeAdmin(AuditedAdmin):
    list_display = ["name", "category", "location", "active", "order"]
    list_filter = ["category", "location", "active"]
    search_fields = ["name", "name_en"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["asset_tag", "equipment_type", "status", "serial"]
    list_filter = ["status", "equipment_type"]
    search_fields = ["asset_tag", "serial"]
    actions = ["mark_under_repair", "mark_in_service"]

    def get_readonly_fields(self, request, obj=None):
        # Status and type changes would change capacity: they go through the service, which re-checks
        # future reservations (retire a unit and add a new one to move it to another type).
        return ["status", "equipment_type"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def _status(self, request: HttpRequest, queryset: QuerySet[Unit], status: str) -> None:
        def change(unit: Unit) -> list[Reservation]:
            return services.set_unit_status(request.user, unit.pk, status)

        for short in act_on_each(self, request, queryset, change):
            if short:
                self.message_user(
                    request,
                    _("Now short: %(list)s") % {"list": ", ".join(f"#{r.pk} {r.group}" for r in short)},
                    messages.WARNING,
                )

    @admin.action(description=_("Mark as under repair"))
    def mark_under_repair(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        self._status(request, queryset, Unit.Status.UNDER_REPAIR)

    @admin.action(description=_("Mark as in service"))
    def mark_in_service(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        self._status(request, queryset, Unit.Status.IN_SERVICE)


class KitItemInline(admin.TabularInline):
    model = KitItem
    extra = 1


@admin.register(Kit)
class KitAdmin(AuditedAdmin):
    search_fields = ["name", "name_en", "use_case"]
    list_filter = ["location", "active"]
    list_display = ["name", "location", "active", "order"]
    inlines = [KitItemInline]


@admin.register(LendingRules)
class LendingRulesAdmin(AuditedAdmin):
    search_fields = ["location__name"]
    list_filter = ["location"]
    list_display = [
        "location", "min_days_ahead", "max_days", "inspection_days", "max_units_per_request", "max_units_per_group",
    ]  # fmt: skip


class ReservationItemInline(admin.TabularInline):
    model = ReservationItem
    extra = 0
    can_delete = False
    readonly_fields = ["equipment_type", "quantity", "kit"]

    def has_add_permission(self, request, obj=None):
        return False


class ReservationUnitInline(admin.TabularInline):
    model = ReservationUnit
    extra = 0
    can_delete = False
    fields = readonly_fields = ("unit", "start", "end", "returned_at", "condition", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["id", "group", "status", "pickup_date", "return_date", "location"]
    list_filter = ["status", "location"]
    search_fields = ["group__name", "purpose"]
    date_hierarchy = "pickup_date"
    inlines = [ReservationItemInline, ReservationUnitInline]
    actions = ["approve_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Reservation._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the selected requests"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Reservation]) -> None:
        def approve(reservation: Reservation) -> Reservation:
            return services.approve(request.user, reservation.pk)

        act_on_each(self, request, queryset, approve, label=lambda reservation: f"#{reservation.pk}")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    search_fields = ["reservation__group__name", "reason"]
    list_display = ["reservation", "new_return_date", "status", "created_at"]
    list_filter = ["status"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in ExtensionRequest._meta.fields]

    def has_add_permission(self, request):
        return False
