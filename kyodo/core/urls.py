from django.urls import path

from kyodo.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.profile, name="profile"),
    path("me/developer/", views.developer, name="developer"),
    path("me/email/<int:address_id>/remove/", views.email_remove, name="email_remove"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("locations/", views.locations, name="locations"),
    path("locations/<int:location_id>/calendar/", views.location_calendar, name="location_calendar"),
    path("staff/outbox/", views.outbox, name="outbox"),
]
