"""Data maintenance: rooms, 区分, fees and rules are edited here; bookings, blocks and payments change
only through the services (the pages and the actions below), so the admin cannot bypass a rule."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kyodo.core.admin import AuditedAdmin, act_on_each
from kyodo.rooms import services
from kyodo.rooms.models import (
    Fee,
    Payment,
    Period,
    Room,
    RoomBlock,
    RoomBooking,
    RoomBookingPeriod,
    RoomSettings,
)


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0


@admin.register(Room)
class RoomAdmin(AuditedAdmin):
    list_display = ["name", "location", "capacity", "bookable_by", "active", "order"]
    list_filter = ["location", "active", "bookable_by"]
    search_fields = ["name", "name_en"]
    inlines = [FeeInline]


@admin.register(Period)
class PeriodAdmin(AuditedAdmin):
    list_display = ["name", "code", "location", "start", "end", "order"]
    list_filter = ["location"]


@admin.register(RoomSettings)
class RoomSettingsAdmin(AuditedAdmin):
    list_display = ["location", "months_ahead", "opens_at", "close_days_before", "application_days"]


class PeriodRowInline(admin.TabularInline):
    model = RoomBookingPeriod
    extra = 0
    can_delete = False
    fields = ["date", "period", "active"]
    readonly_fields = ["date", "period", "active"]

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = Payment
    extra = 0
    can_delete = False
    fields = ["receipt_number", "kind", "amount", "method", "recorded_at"]
    readonly_fields = ["receipt_number", "kind", "amount", "method", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RoomBooking)
class RoomBookingAdmin(admin.ModelAdmin):
    list_display = ["reference", "room", "date", "group", "status", "application_due", "fee_due"]
    list_filter = ["status", "location", "room"]
    search_fields = ["reference", "permit_number", "group__name", "purpose"]
    date_hierarchy = "date"
    inlines = [PeriodRowInline, PaymentInline]
    actions = ["approve_selected"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in RoomBooking._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the selected use applications"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[RoomBooking]) -> None:
        act_on_each(
            self,
            request,
            queryset,
            lambda b: services.approve(request.user, b.pk),
            label=lambda b: str(b.reference),
        )


@admin.register(RoomBlock)
class RoomBlockAdmin(admin.ModelAdmin):
    list_display = ["room", "date", "period", "kind", "reason"]
    list_filter = ["kind", "room"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in RoomBlock._meta.fields]

    def has_add_permission(self, request):
        return False  # blocks are made on the staff page, which checks the room's bookings


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["receipt_number", "booking", "kind", "amount", "method", "recorded_at"]
    list_filter = ["kind", "method"]
    search_fields = ["receipt_number", "booking__reference"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
