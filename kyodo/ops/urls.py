from django.urls import path

from kyodo.ops import views

app_name = "ops"
urlpatterns = [
    path("floor/", views.floor, name="floor"),
]
