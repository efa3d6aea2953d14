"""URLs of group sessions (included at the site root: /groups/, /join/, /live/groups/)."""

from django.urls import path

from . import live, views

app_name = "groups"

urlpatterns = [
    path("groups/", views.index, name="index"),
    path("groups/new/", views.create, name="create"),
    path("groups/<uuid:session_id>/", views.present, name="present"),
    path("groups/<uuid:session_id>/control/", views.control, name="control"),
    path("groups/<uuid:session_id>/debrief/", views.debrief, name="debrief"),
    path("groups/<uuid:session_id>/record.md", views.record_markdown, name="record_md"),
    path("groups/<uuid:session_id>/record.pdf", views.record_pdf, name="record_pdf"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.participant, name="participant"),
    path("join/<str:code>/vote/", views.vote, name="vote"),
    path("join/<str:code>/debrief/", views.participant_debrief, name="participant_debrief"),
    # Under /live/: served by Django's ASGI handler (see web/asgi.py), long-lived streams.
    path("live/groups/<str:code>/", live.participant_stream, name="stream"),
    path(
        "live/groups/<uuid:session_id>/presenter/",
        live.presenter_stream,
        name="presenter_stream",
    ),
]
