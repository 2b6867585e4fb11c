from django.urls import path

from kyodo.groups import views

app_name = "groups"
# The public directory (/groups/) belongs to the community app; these are members' and staff's pages.
urlpatterns = [
    path("register/", views.register, name="register"),
    path("mine/<int:group_id>/", views.detail, name="detail"),
    path("mine/<int:group_id>/edit/", views.edit, name="edit"),
    path("mine/<int:group_id>/invite/", views.invite, name="invite"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("review/", views.review_list, name="review_list"),
    path("review/<int:group_id>/", views.review, name="review"),
]
