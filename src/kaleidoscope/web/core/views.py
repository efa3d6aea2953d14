"""Shared pages: home, health, accounts and errors."""

from __future__ import annotations

import functools
from importlib import resources

import yaml
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kaleidoscope.web.core import ratelimit
from kaleidoscope.web.learn import services as learn


@functools.cache
def text() -> dict[str, str]:
    raw = resources.files(__package__).joinpath("text.yaml").read_text("utf-8")
    data: dict[str, str] = yaml.safe_load(raw)
    return data


def see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# --- plain pages ----------------------------------------------------------------------
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"count": len(learn.library())})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "error.html",
        {"title": "This form had expired", "message": text()["csrf"]},
        status=403,
    )


# --- accounts -------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form: UserCreationForm[User] = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        key = learn.anon_key(request)
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        learn.claim_anonymous_plays(request, user, key)
        messages.success(request, text()["signed_up"])
        return see_other(reverse("record"))
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")[:150].casefold()
        address = ratelimit.client_address(request)
        # Every attempt counts before the password is checked (atomically), per account
        # and address: a guesser elsewhere cannot lock the account holder out.
        allowed = ratelimit.hit(ratelimit.SIGN_IN_ACCOUNT, username, address)
        allowed = ratelimit.hit(ratelimit.SIGN_IN_ADDRESS, address) and allowed
        if not allowed:
            # A form bound without the password carries the error: validating it cannot
            # reach the password check (hashing for a refused guess would cost CPU and a
            # database connection each).
            form = AuthenticationForm(request, data={"username": request.POST.get("username", "")})
            form.is_valid()
            form.errors.clear()
            form.add_error(None, text()["sign_in_throttled"])
            return render(request, "accounts/sign_in.html", {"form": form}, status=429)
        if form.is_valid():
            ratelimit.reset(ratelimit.SIGN_IN_ACCOUNT, username, address)
            key = learn.anon_key(request)
            user = form.get_user()
            login(request, user)
            learn.claim_anonymous_plays(request, user, key)
            messages.success(request, text()["signed_in"])
            return see_other(reverse("record"))
    return render(request, "accounts/sign_in.html", {"form": form})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, text()["signed_out"])
    return see_other(reverse("home"))




def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "error.html",
        {
            "title": "Page not found",
            "message": "Check the address, or start from the scenario library.",
        },
        status=404,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "error.html",
        {"title": "Sorry, something went wrong", "message": "Nothing was lost. Try again."},
        status=500,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400s, including a form body over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig):
    a page that says what happened, never Django's bare "Bad Request"."""
    too_big = type(exception).__name__ in ("RequestDataTooBig", "TooManyFieldsSent")
    return render(
        request,
        "error.html",
        {
            "title": text()["too_big_title" if too_big else "bad_request_title"],
            "message": text()["too_big" if too_big else "bad_request"],
        },
        status=400,
    )
