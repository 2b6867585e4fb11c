from django.urls import path

from kyodo.groups import views

app_name = "groups"
# Included at the site root: everything about a group, public and private, lives in this app.
urlpatterns = [
    # The public directory and the interviews.
    path("groups/", views.directory, name="directory"),
    path("groups/<int:pk>/", views.public, name="public"),
    path("features/", views.features, name="features"),
    path("features/<int:pk>/", views.feature, name="feature"),
    # Members' and staff's pages.
    path("groups/register/", views.register, name="register"),
    path("groups/mine/<int:group_id>/", views.detail, name="detail"),
    path("groups/mine/<int:group_id>/edit/", views.edit, name="edit"),
    path("groups/mine/<int:group_id>/invite/", views.invite, name="invite"),
    path(
        "groups/mine/<int:group_id>/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path("groups/invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("groups/review/", views.review_list, name="review_list"),
    path("groups/review/<int:group_id>/", views.review, name="review"),
    path("groups/review/<int:group_id>/approve/", views.approve, name="approve"),
    path("groups/review/<int:group_id>/decline/", views.decline, name="decline"),
]
