"""LTI 1.3 endpoints, the tool's key set, staff package downloads."""

from django.urls import path
from lti_tool.views import jwks  # type: ignore[import-untyped]

from . import lti, packages

app_name = "lms"

urlpatterns = [
    path(".well-known/jwks.json", jwks, name="jwks"),
    path("lti/init/<uuid:registration_uuid>/", lti.OidcLogin.as_view(), name="login"),
    path("lti/launch/", lti.Launch.as_view(), name="launch"),
    path("lti/deep-link/", lti.deep_link_return, name="deep_link"),
    path("lti/continue/<str:token>/", lti.continue_in_window, name="continue"),
    path("lti/group/", lti.start_group, name="start_group"),
    path(
        "packages/<str:scenario_id>/<str:fmt>.zip", packages.download, name="package"
    ),  # staff: SCORM 1.2 / cmi5 zip of one scenario
]
