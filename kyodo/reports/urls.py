from django.urls import path

from kyodo.reports import views

app_name = "reports"
urlpatterns = [
    path("staff/", views.dashboard, name="dashboard"),
    path("staff/stats/", views.statistics, name="statistics"),
    path("staff/stats/annual/", views.annual, name="annual"),
    path("staff/stats/statistics.xlsx", views.workbook, name="workbook"),
    path("staff/stats/<slug:key>.csv", views.table_csv, name="table_csv"),
]
