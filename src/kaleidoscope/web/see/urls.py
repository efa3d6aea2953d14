"""URLs of the See pages (included under /see/)."""

from django.urls import path

from . import views

app_name = "see"

urlpatterns = [
    path("", views.index, name="index"),
    path("post/", views.post_tool, name="post"),
    path("child/", views.child_tool, name="child"),
    path("child/report.md", views.child_markdown, name="child_md"),
    path("sources/", views.sources, name="sources"),
]
