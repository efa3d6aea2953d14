"""URLs of the web app: each app brings its own."""

from django.contrib import admin
from django.urls import include, path

handler400 = "kaleidoscope.web.core.views.bad_request"
handler404 = "kaleidoscope.web.core.views.not_found"
handler500 = "kaleidoscope.web.core.views.server_error"

urlpatterns = [
    path("", include("kaleidoscope.web.core.urls")),
    path("", include("kaleidoscope.web.learn.urls")),
    path("check/", include("kaleidoscope.web.check.urls")),
    path("see/", include("kaleidoscope.web.see.urls")),
    path("", include("kaleidoscope.web.groups.urls")),
    path("connect/", include("kaleidoscope.web.connect.urls")),
    path("organise/", include("kaleidoscope.web.organise.urls")),
    path("", include("kaleidoscope.web.lms.urls")),  # LTI, /.well-known/jwks.json
    path("admin/", admin.site.urls),  # only to register LTI platforms (docs/lms.md)
]
