from django.urls import path

from kyodo.rooms import views

app_name = "rooms"
urlpatterns = [
    path("rooms/", views.grid, name="grid"),
    path("rooms/<int:room_id>/", views.room_detail, name="room"),
    path("rooms/book/", views.book, name="book"),
    path("rooms/mine/", views.mine, name="mine"),
    path("rooms/bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("rooms/bookings/<int:pk>/booking.ics", views.booking_ics, name="booking_ics"),
    path("rooms/bookings/<int:pk>/apply/", views.apply, name="apply"),
    path("rooms/bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("rooms/bookings/<int:pk>/permit/", views.permit, name="permit"),
    path("rooms/bookings/<int:pk>/permit.pdf", views.permit_pdf, name="permit_pdf"),
    path("rooms/receipts/<int:payment_id>/", views.receipt, name="receipt"),
    path("rooms/receipts/<int:payment_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("rooms/opendata/facilities.csv", views.facilities_csv, name="facilities_csv"),
    path("rooms/staff/applications/", views.queue, name="queue"),
    path("rooms/staff/day/", views.day_sheet, name="day_sheet"),
    path("rooms/staff/book/", views.staff_book, name="staff_book"),
    path("rooms/staff/recurring/", views.recurring, name="recurring"),
    path("rooms/staff/block/", views.block, name="block"),
    path("rooms/staff/statistics/", views.statistics, name="statistics"),
    path("rooms/staff/bookings/<int:pk>/", views.staff_booking, name="staff_booking"),
    path("rooms/staff/bookings/<int:pk>/approve/", views.approve, name="approve"),
    path("rooms/staff/bookings/<int:pk>/return/", views.return_application, name="return"),
    path("rooms/staff/bookings/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"),
    path("rooms/staff/bookings/<int:pk>/payment/", views.payment, name="payment"),
    path("rooms/staff/bookings/<int:pk>/refund/", views.refund, name="refund"),
    path("rooms/staff/bookings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("rooms/staff/bookings/<int:pk>/key/", views.key, name="key"),
]
