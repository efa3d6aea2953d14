"""Run Django's WSGI handler for ordinary requests from uvicorn with one hand-off each way.

a2wsgi (the general ASGI-to-WSGI adapter) lets the worker thread pull the request body
and push every part of the answer through the event loop, waiting each time: four or
more thread round trips per request. Almost every request here is small: a form post of
a few hundred bytes and a page of a few kilobytes. For those this bridge reads the whole
body on the event loop first, runs Django on a worker thread, and takes the whole answer
back in one piece: one hop to the thread and one back.

What it does not take (``accepts`` says no): a body bigger than ``MAX_BODY`` or of
unknown length (an archive upload, streamed to disk by Django on a2wsgi's own threads,
so a long upload never holds up the pages). A streaming answer (a static file through
WhiteNoise) comes back in pieces of up to ``CHUNK`` bytes, one hop per piece.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

MAX_BODY = 256 * 1024
CHUNK = 1024 * 1024

Environ = dict[str, Any]
WSGIApp = Callable[[Environ, Callable[..., Any]], Iterable[bytes]]


def accepts(scope: dict[str, Any]) -> bool:
    """True when the request's body (if any) is small and of known length."""
    length = None
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                length = int(value)
            except ValueError:
                return False
        elif name == b"transfer-encoding":
            return False
    return length is None or 0 <= length <= MAX_BODY


def build_environ(scope: dict[str, Any], body: bytes) -> Environ:
    """The WSGI environ for an ASGI HTTP scope (PEP 3333; the same keys as a2wsgi)."""
    script_name = scope.get("root_path", "").encode("utf8").decode("latin1")
    path_info = scope["path"].encode("utf8").decode("latin1")
    if script_name and path_info.startswith(script_name):
        path_info = path_info[len(script_name) :]
    server = scope.get("server") or ("localhost", 80)
    environ: Environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path_info,
        "QUERY_STRING": scope["query_string"].decode("latin1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1] or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client:
        environ["REMOTE_ADDR"] = client[0]
        environ["REMOTE_PORT"] = str(client[1])
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin1")
        if name == "content-length":
            key = "CONTENT_LENGTH"
        elif name == "content-type":
            key = "CONTENT_TYPE"
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        value = raw_value.decode("latin1")
        if key in environ:
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    return environ


class _Answer:
    """What the WSGI app answered, collected on the worker thread."""

    __slots__ = ("chunks", "headers", "iterable", "rest", "status")

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []
        self.rest: Iterator[bytes] | None = None  # more to come (a streamed answer) ...
        self.iterable: Iterable[bytes] = ()  # ... from this, to close once it is sent


def _close(iterable: Iterable[bytes]) -> None:
    """PEP 3333: the server calls the answer's ``close()``, if it has one, when done."""
    getattr(iterable, "close", lambda: None)()


def _take(iterator: Iterator[bytes], into: list[bytes]) -> bool:
    """Move up to ``CHUNK`` bytes from ``iterator`` into ``into``; False once it is done."""
    size = 0
    for chunk in iterator:
        if chunk:
            into.append(chunk)
            size += len(chunk)
            if size >= CHUNK:
                return True
    return False


class WSGIBridge:
    def __init__(self, app: WSGIApp, threads: int) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="pages")

    def _run(self, environ: Environ) -> _Answer:
        answer = _Answer()

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            answer.status = int(status[:3])
            answer.headers = [
                (name.lower().encode("latin1"), value.encode("latin1")) for name, value in headers
            ]
            return answer.chunks.append  # the legacy write() callable

        iterable = self.app(environ, start_response)
        if not getattr(iterable, "streaming", False):
            try:  # an ordinary Django answer: its content is already in memory
                answer.chunks.extend(iterable)
            finally:
                _close(iterable)
            return answer
        iterator = iter(iterable)
        try:
            more = _take(iterator, answer.chunks)
        except BaseException:
            _close(iterable)
            raise
        if more:
            answer.rest, answer.iterable = iterator, iterable
        else:
            _close(iterable)
        return answer

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        parts: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            parts.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        environ = build_environ(scope, b"".join(parts))
        loop = asyncio.get_running_loop()
        context = contextvars.copy_context()
        answer = await loop.run_in_executor(
            self.executor, functools.partial(context.run, self._run, environ)
        )
        await send(
            {"type": "http.response.start", "status": answer.status, "headers": answer.headers}
        )
        rest = answer.rest
        if rest is None:
            await send({"type": "http.response.body", "body": b"".join(answer.chunks)})
            return
        try:
            chunks = answer.chunks
            while True:
                await send(
                    {"type": "http.response.body", "body": b"".join(chunks), "more_body": True}
                )
                chunks = []
                more = await loop.run_in_executor(self.executor, _take, rest, chunks)
                if not more:
                    break
            await send({"type": "http.response.body", "body": b"".join(chunks)})
        finally:
            await loop.run_in_executor(self.executor, _close, answer.iterable)
