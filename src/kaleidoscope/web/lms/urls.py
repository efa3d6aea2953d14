"""LTI 1.3 endpoints, the tool's key set, and the admin (platform registration)."""

from django.contrib import admin
from django.urls import path
from lti_tool.views import jwks

app_name = "lms"

urlpatterns = [
    path(".well-known/jwks.json", jwks, name="jwks"),
    path("admin/", admin.site.urls),
]
