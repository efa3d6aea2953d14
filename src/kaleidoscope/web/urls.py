"""URLs of the web app. Later apps (checker, group sessions) add their own include()."""

from django.urls import include, path

from kaleidoscope.web.authoring import views as authoring
from kaleidoscope.web.learn import views

handler404 = "kaleidoscope.web.learn.views.not_found"
handler500 = "kaleidoscope.web.learn.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/<str:scenario_id>/", views.scenario_detail, name="scenario"),
    path("scenarios/<str:scenario_id>/start/", views.start, name="start"),
    path("plays/<uuid:play_id>/", views.play_view, name="play"),
    path("plays/<uuid:play_id>/step/", views.step, name="step"),
    path("plays/<uuid:play_id>/debrief/", views.debrief, name="debrief"),
    path("plays/<uuid:play_id>/reflection/", views.reflection, name="reflection"),
    path("record/", views.record, name="record"),
    path("record/learning-record.md", views.record_markdown, name="record_md"),
    path("record/learning-record.pdf", views.record_pdf, name="record_pdf"),
    path("record/delete/", views.delete_record, name="delete_record"),
    path("accounts/sign-up/", views.sign_up, name="sign_up"),
    path("accounts/sign-in/", views.sign_in, name="sign_in"),
    path("accounts/sign-out/", views.sign_out, name="sign_out"),
    path("staff/", views.staff_stats, name="staff"),
    path("staff/twine/", authoring.twine_import, name="twine_import"),
    path("check/", include("kaleidoscope.web.check.urls")),
    path("see/", include("kaleidoscope.web.see.urls")),
    path("", include("kaleidoscope.web.groups.urls")),
]
