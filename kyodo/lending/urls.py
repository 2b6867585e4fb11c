from django.urls import path

from kyodo.lending import views

app_name = "lending"
urlpatterns = [
    path("equipment/", views.catalog, name="catalog"),
    path("equipment/<int:type_id>/", views.type_detail, name="type_detail"),
    path("equipment/kits/<int:kit_id>/", views.kit_detail, name="kit_detail"),
    path("equipment/request/", views.request_equipment, name="request"),
    path("equipment/reservations/<int:pk>/", views.reservation_detail, name="reservation"),
    path("equipment/reservations/<int:pk>.ics", views.reservation_ics, name="reservation_ics"),
    path("equipment/reservations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("equipment/reservations/<int:pk>/extend/", views.extend, name="extend"),
    path("equipment/staff/requests/", views.review_list, name="review_list"),
    path("equipment/staff/requests/<int:pk>/", views.staff_review.review, name="review"),
    path("equipment/staff/requests/<int:pk>/approve/", views.staff_review.approve, name="approve"),
    path("equipment/staff/requests/<int:pk>/decline/", views.staff_review.decline, name="decline"),
    path("equipment/staff/requests/<int:pk>/edit/", views.staff_review.edit, name="edit"),
    path("equipment/staff/requests/<int:pk>/cancel/", views.staff_review.cancel, name="staff_cancel"),
    path(
        "equipment/staff/extensions/<int:extension_id>/approve/",
        views.staff_review.approve_extension,
        name="extension_approve",
    ),
    path(
        "equipment/staff/extensions/<int:extension_id>/decline/",
        views.staff_review.decline_extension,
        name="extension_decline",
    ),
    path("equipment/staff/counter/", views.counter, name="counter"),
    path("equipment/staff/checkout/<int:pk>/", views.checkout, name="checkout"),
    path("equipment/staff/return/<int:pk>/", views.return_loan, name="return"),
    path("equipment/staff/labels/", views.labels, name="labels"),
    path("equipment/staff/rules/", views.rules, name="rules"),
    path("equipment/staff/find/", views.unit_lookup, name="unit_lookup"),
    path("equipment/units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("equipment/units/<int:unit_id>/retire/", views.unit_retire, name="unit_retire"),
]
