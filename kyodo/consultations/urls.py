from django.urls import path

from kyodo.consultations import pending, views

app_name = "consultations"
urlpatterns = [
    path("consultation/", views.start, name="start"),
    path("consultation/book/", views.details, name="details"),
    path("consultation/received/", pending.received, name="received"),
    path("consultation/confirm/<str:token>/", pending.confirm, name="confirm"),
    path("consultation/b/<str:token>/", views.manage, name="manage"),
    path("consultation/b/<str:token>/consultation.ics", views.manage_ics, name="manage_ics"),
    path("consultation/b/<str:token>/move/", views.move, name="move"),
    path("consultation/b/<str:token>/cancel/", views.cancel, name="cancel"),
    path("consultation/privacy/", views.privacy, name="privacy"),
    path("consultation/qr.svg", views.qr_svg, name="qr_svg"),
    path("consultation/qr.png", views.qr_png, name="qr_png"),
    path("consultation/flyer/", views.flyer, name="flyer"),
    path("consultation/staff/", views.schedule, name="schedule"),
    path("consultation/staff/new/", views.staff_book, name="staff_book"),
    path("consultation/staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("consultation/staff/<int:pk>/notes/", views.staff_notes, name="staff_notes"),
    path("consultation/staff/<int:pk>/reassign/", views.staff_reassign, name="staff_reassign"),
    path("consultation/staff/<int:pk>/move/", views.staff_move, name="staff_move"),
    path("consultation/staff/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"),
    path("consultation/staff/<int:pk>/confirm/", views.staff_confirm, name="staff_confirm"),
    path("consultation/staff/<int:pk>/outcome/", views.staff_outcome, name="staff_outcome"),
]
