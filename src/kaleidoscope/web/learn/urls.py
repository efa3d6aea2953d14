"""Learn: the scenario library, plays, the learning record, staff pages."""

from django.urls import path

from . import authoring, nation, views

urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/nation/", nation.choose, name="choose_nation"),
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
    path("staff/", views.staff_stats, name="staff"),
    path("staff/twine/", authoring.twine_import, name="twine_import"),
    path("staff/stories/<int:pk>/", authoring.story_version, name="story_version"),
    path("staff/stories/<int:pk>/publish/", authoring.publish, name="story_publish"),
    path("staff/stories/<int:pk>/unpublish/", authoring.unpublish, name="story_unpublish"),
    path("staff/stories/<int:pk>/story.<str:form>", authoring.download, name="story_download"),
]
