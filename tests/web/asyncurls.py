"""A test-only URLconf with one async and one sync view, for the ASGI/WSGI routing test."""

from django.http import HttpRequest, HttpResponse
from django.urls import path


async def events(request: HttpRequest) -> HttpResponse:
    return HttpResponse("data: hello\n\n", content_type="text/event-stream")


def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("page")


urlpatterns = [path("events/", events), path("page/", page)]
