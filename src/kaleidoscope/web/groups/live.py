"""Server-sent event streams (async views under /live/, served by Django's ASGI handler).

A participant's stream carries ``state`` events: the participants' view of the session,
rendered once per transition by the page view that made it and published through the
broker. The facilitator's stream adds ``count`` events (votes and joins as they arrive).
On connect a stream first sends the latest state, so nothing published before it
subscribed is missed; clients ignore revisions they already show.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from . import services
from .broker import CLOSE, get_broker
from .models import GroupSession

KEEPALIVE_S = 15.0
STREAM_MAX_S = 15 * 60.0  # then the browser reconnects (and re-checks the session)
RETRY_MS = 1500

_code_to_id: dict[str, Any] = {}
_stopping = threading.Event()
_hooked = False


def _end_streams_on_stop() -> None:
    """When the server is told to stop (SIGINT, SIGTERM), end every open stream.

    uvicorn waits for open responses before it exits, and an event stream never ends by
    itself; browsers reconnect (to the restarted server) on their own. uvicorn listens
    with ``signal.signal`` (restoring the previous handlers when it exits), so this adds
    to its handler and then calls it.
    """
    global _hooked
    if _hooked or threading.current_thread() is not threading.main_thread():
        return
    _hooked = True
    for sig in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            _stopping.set()
            get_broker().fanout.close_all()
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, handler)


def _event(payload: str) -> bytes:
    kind = "count" if payload.startswith('{"type": "count"') else "state"
    return f"event: {kind}\ndata: {payload}\n\n".encode()


def _session_id(code: str) -> Any:
    normal = services.normalise_code(code)
    if normal is None:
        return None
    return GroupSession.objects.filter(code=normal).values_list("id", flat=True).first()


def _state_now(session_id: Any) -> str:
    session = GroupSession.objects.get(pk=session_id)
    payload = services.state_payload(session)
    get_broker().keep(services.state_channel(session_id), payload)
    return payload


def _stream(
    channels: list[str], first: Callable[[], Awaitable[list[str]]]
) -> StreamingHttpResponse:
    _end_streams_on_stop()

    async def events() -> AsyncIterator[bytes]:
        broker = get_broker()
        loop = asyncio.get_running_loop()
        async with broker.subscribe(channels) as queue:
            yield f"retry: {RETRY_MS}\n\n".encode()
            for payload in await first():
                yield _event(payload)
            ends = loop.time() + STREAM_MAX_S
            while (left := ends - loop.time()) > 0 and not _stopping.is_set():
                try:
                    payload = await asyncio.wait_for(queue.get(), min(KEEPALIVE_S, left))
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if payload == CLOSE:
                    return
                yield _event(payload)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"
    return response


async def participant_stream(request: HttpRequest, code: str) -> HttpResponseBase:
    session_id = _code_to_id.get(code)
    if session_id is None:
        session_id = await sync_to_async(_session_id)(code)
        if session_id is None:
            return HttpResponse("no such session\n", status=404, content_type="text/plain")
        _code_to_id[code] = session_id
    channel = services.state_channel(session_id)

    async def first() -> list[str]:
        kept = await get_broker().akept(channel)
        return [kept or await sync_to_async(_state_now)(session_id)]

    return _stream([channel], first)


def _own(user: Any, session_id: Any) -> GroupSession | None:
    return GroupSession.objects.filter(pk=session_id, facilitator=user).first()


async def presenter_stream(request: HttpRequest, session_id: Any) -> HttpResponseBase:
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse("sign in first\n", status=403, content_type="text/plain")
    session = await sync_to_async(_own)(user, session_id)
    if session is None:
        return HttpResponse("no such session\n", status=404, content_type="text/plain")
    state, count = services.state_channel(session.id), services.count_channel(session.id)

    async def first() -> list[str]:
        kept = await get_broker().akept(state)
        return [
            kept or await sync_to_async(_state_now)(session.id),
            await sync_to_async(_count_now)(session.id),
        ]

    return _stream([state, count], first)


def _count_now(session_id: Any) -> str:
    return services.count_payload(GroupSession.objects.get(pk=session_id))
