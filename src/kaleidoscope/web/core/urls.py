"""Shared pages: home, health check, accounts."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/sign-up/", views.sign_up, name="sign_up"),
    path("accounts/sign-in/", views.sign_in, name="sign_in"),
    path("accounts/sign-out/", views.sign_out, name="sign_out"),
]
