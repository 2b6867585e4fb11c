from django.urls import path

from kyodo.lending import views

app_name = "lending"
urlpatterns = [
    path("equipment/", views.catalog, name="catalog"),
    path("equipment/<int:type_id>/", views.type_detail, name="type_detail"),
    path("equipment/kits/<int:kit_id>/", views.kit_detail, name="kit_detail"),
    path("equipment/request/", views.request_equipment, name="request"),
    path("equipment/reservations/<int:pk>/", views.reservation_detail, name="reservation"),
    path("equipment/reservations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("equipment/reservations/<int:pk>/extend/", views.extend, name="extend"),
    path("equipment/staff/requests/", views.review_list, name="review_list"),
    path("equipment/staff/requests/<int:pk>/", views.review, name="review"),
    path("equipment/staff/counter/", views.counter, name="counter"),
    path("equipment/staff/checkout/<int:pk>/", views.checkout, name="checkout"),
    path("equipment/staff/return/<int:pk>/", views.return_loan, name="return"),
    path("equipment/staff/labels/", views.labels, name="labels"),
    path("equipment/staff/rules/", views.rules, name="rules"),
    path("equipment/staff/find/", views.unit_lookup, name="unit_lookup"),
    path("equipment/units/<int:unit_id>/", views.unit_detail, name="unit"),
]
