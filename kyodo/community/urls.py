from django.urls import path

from kyodo.community import views

app_name = "community"
# Included at the site root. The group directory (/groups/, /features/) belongs to the groups app.
urlpatterns = [
    path("events/", views.events, name="events"),
    path("events/archive/", views.events_archive, name="events_archive"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/mine/", views.my_events, name="my_events"),
    path("events/manage/", views.event_manage, name="event_manage"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("events/<int:pk>/publish/", views.event_publish, name="event_publish"),
    path("events/<int:pk>/return/", views.event_return, name="event_return"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("events.csv", views.events_csv, name="events_csv"),
    path("news/", views.news, name="news"),
    path("news/feed/", views.news_feed, name="news_feed"),
    path("news/<int:pk>/", views.news_post, name="news_post"),
    path("newsletter/", views.newsletter_view, name="newsletter"),
]
