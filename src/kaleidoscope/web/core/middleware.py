"""Our middleware: session lifetime for signed-in people, and event streams that hold no
database connection.

Session lifetime: two weeks from the last visit for signed-in people.

Anonymous learners keep Django's SESSION_COOKIE_AGE (their record lives in the browser's
session for six months). A signed-in session on a shared council computer should not:
it lasts SIGNED_IN_SESSION_AGE from the last request, and is renewed at most once a day
so a busy learner does not cause a session write on every page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

RENEW_AFTER_S = 60 * 60 * 24


class SignedInSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and session is not None and user.is_authenticated:
            age: int = settings.SIGNED_IN_SESSION_AGE
            left = session.get_expiry_age()  # seconds until the session ends
            if left > age or left <= age - RENEW_AFTER_S:
                session.set_expiry(timezone.now() + timedelta(seconds=age))
        return response


class StreamsHoldNoConnectionMiddleware:
    """An event stream gives back the database connections its view used.

    Django gives a request's connections back when the response is closed; a stream's
    response closes only when the browser leaves (up to 15 minutes). With PostgreSQL's
    connection pool (a few connections per process, docs/adr/0017) a handful of open
    streams would hold them all and every other page would wait. So, for a streaming
    response, the connections go back once the view has returned, and again after each
    chunk the stream sends (its first chunks may read the database). As at the end of a
    request, a connection is given back (CONN_MAX_AGE is 0), never inside a transaction.
    Sync only, like the rest of MIDDLEWARE: Django runs it in the request's own thread,
    where the view's connections live, and the whole chain in one thread hop.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if isinstance(response, StreamingHttpResponse):
            _give_back_connections()
            content = response.streaming_content
            if isinstance(content, AsyncIterator):
                response.streaming_content = _giving_back(content)
        return response


async def _giving_back(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in chunks:
        yield chunk
        # the request's own thread (thread-sensitive), where its connections live
        await sync_to_async(_give_back_connections)()


def _give_back_connections() -> None:
    """Django's close_old_connections(), but never inside a transaction (a test's)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()
