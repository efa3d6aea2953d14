"""URLs of the Check pages (included under /check/)."""

from django.urls import path

from . import views

app_name = "check"

urlpatterns = [
    path("", views.draft, name="draft"),
    path("archive/", views.archive, name="archive"),
    path("archive/<str:token>/", views.report, name="report"),
    path("archive/<str:token>/report.html", views.report_html, name="report_html"),
    path("archive/<str:token>/findings.csv", views.report_csv, name="report_csv"),
    path("archive/<str:token>/delete/", views.delete, name="delete"),
]
