"""URLs of Organise (mounted at /organise/)."""

from django.urls import path, re_path

from . import views

app_name = "organise"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("case-studies/", views.case_studies, name="cases"),
    path("join/", views.join, name="join"),
    path("s/<str:code>/", views.survey, name="survey"),
    path("s/<str:code>/thanks/", views.thanks, name="thanks"),
    path("<uuid:assessment_id>/", views.lead, name="lead"),
    path("<uuid:assessment_id>/answers/", views.lead_answers, name="lead_answers"),
    path("<uuid:assessment_id>/results/", views.results, name="results"),
    path("<uuid:assessment_id>/policy/", views.policy, name="policy"),
    re_path(
        r"^(?P<assessment_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/(?P<what>plan|policy)\.(?P<fmt>md|csv|pdf|docx)$",
        views.download,
        name="download",
    ),
    path("<uuid:assessment_id>/responses.csv", views.responses_csv, name="responses_csv"),
    path("<uuid:assessment_id>/close/", views.close, name="close"),
    path("<uuid:assessment_id>/delete/", views.delete, name="delete"),
]
