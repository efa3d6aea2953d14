"""Our faster CSRF masking gives tokens Django accepts, with a mask that is fresh and even."""

from __future__ import annotations

from collections import Counter

import pytest
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    _unmask_cipher_token,
)
from django.test import Client, RequestFactory

from kaleidoscope.web.learn.context import masked_csrf_token

SECRET = "abcdefghijABCDEFGHIJ0123456789zZ"


def test_the_token_unmasks_to_the_cookie_secret_and_renews_the_cookie() -> None:
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    tokens = {masked_csrf_token(request) for _ in range(200)}
    assert len(tokens) == 200  # a new mask every time
    for token in tokens:
        assert len(token) == 64 and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == SECRET
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_the_mask_is_spread_evenly_over_the_62_characters() -> None:
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = SECRET
    counts = Counter("".join(masked_csrf_token(request)[:32] for _ in range(6200)))
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = 6200 * 32 / 62  # 3200 each; a biased mapping of bytes would skew 8 of them
    assert max(abs(n - expected) for n in counts.values()) < 0.1 * expected


def test_without_a_secret_yet_django_makes_one() -> None:
    request = RequestFactory().get("/")
    token = masked_csrf_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == 32 and _unmask_cipher_token(token) == secret


@pytest.mark.django_db
def test_django_accepts_a_post_carrying_the_token() -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/scenarios/")
    secret = client.cookies["csrftoken"].value
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    good = masked_csrf_token(request)
    bad = good[:40] + ("a" if good[40] != "a" else "b") + good[41:]
    assert (
        client.post("/scenarios/friend-request/start/", {"csrfmiddlewaretoken": good}).status_code
        == 303
    )
    assert (
        client.post("/scenarios/friend-request/start/", {"csrfmiddlewaretoken": bad}).status_code
        == 403
    )
