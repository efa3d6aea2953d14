"""The WSGI bridge (kaleidoscope.web.bridge) called as uvicorn calls it, and through the
real server: bodies, answers in one piece or streamed, odd headers, failures."""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.client
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaleidoscope.web import bridge

STATIC = Path(bridge.__file__).parent / "static" / "kaleidoscope"


def http_scope(
    method: str = "GET",
    path: str = "/",
    headers: list[tuple[bytes, bytes]] | None = None,
    query: bytes = b"",
) -> dict[str, Any]:
    return {
        "type": "http",
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "root_path": "",
        "query_string": query,
        "headers": headers or [(b"host", b"127.0.0.1:8000")],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 51000),
    }


def call(app: Any, scope: dict[str, Any], messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run an ASGI app to the end; return what it sent."""
    sent: list[dict[str, Any]] = []
    incoming = list(messages)

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # a real server would wait for the client
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # In a thread of its own: Playwright's sync API may already run a loop in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


class Recorder:
    """A small WSGI app that remembers the environ and body it was given."""

    def __init__(self, answer: Any = None) -> None:
        self.environ: dict[str, Any] = {}
        self.body = b""
        self.answer = answer if answer is not None else [b"hello ", b"world"]

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.environ = environ
        self.body = environ["wsgi.input"].read()
        start_response("201 Created", [("Content-Type", "text/plain"), ("X-Two", "2")])
        return self.answer


class Streamed:
    """A streamed answer as Django gives one: iterable, ``streaming`` and ``close``."""

    streaming = True

    def __init__(self, pieces: int, size: int) -> None:
        self.pieces, self.size, self.closed = pieces, size, 0

    def __iter__(self) -> Iterator[bytes]:
        for i in range(self.pieces):
            yield bytes([65 + i % 26]) * self.size

    def close(self) -> None:
        self.closed += 1


def test_accepts_small_or_bodiless_requests_only() -> None:
    assert bridge.accepts(http_scope())
    assert bridge.accepts(http_scope("POST", headers=[(b"content-length", b"300")]))
    big = str(bridge.MAX_BODY + 1).encode()
    assert not bridge.accepts(http_scope("POST", headers=[(b"content-length", big)]))
    assert not bridge.accepts(http_scope("POST", headers=[(b"transfer-encoding", b"chunked")]))
    assert not bridge.accepts(http_scope("POST", headers=[(b"content-length", b"12x")]))
    assert not bridge.accepts(http_scope("POST", headers=[(b"content-length", b"-1")]))


def test_environ_follows_pep_3333() -> None:
    scope = http_scope(
        "POST",
        "/plays/café/",
        [
            (b"host", b"example.org"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"3"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
            (b"accept", b"text/html"),
            (b"accept", b"*/*"),
            (b"hx-request", b"true"),
        ],
        query=b"x=%C3%A9&y=2",
    )
    scope["root_path"] = "/k"
    scope["path"] = "/k/plays/café/"
    environ = bridge.build_environ(scope, b"a=b")
    assert environ["SCRIPT_NAME"] == "/k"
    assert environ["PATH_INFO"] == "/plays/café/".encode().decode("latin1")
    assert environ["QUERY_STRING"] == "x=%C3%A9&y=2"
    assert environ["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert environ["CONTENT_LENGTH"] == "3"
    assert environ["HTTP_COOKIE"] == "a=1; b=2"  # cookie headers join with "; "
    assert environ["HTTP_ACCEPT"] == "text/html,*/*"
    assert environ["HTTP_HX_REQUEST"] == "true"
    assert environ["REMOTE_ADDR"] == "127.0.0.1"
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "8000")
    assert environ["wsgi.input"].read() == b"a=b"


def test_a_body_in_several_messages_arrives_whole_and_the_answer_in_one_piece() -> None:
    app = Recorder()
    sent = call(
        bridge.WSGIBridge(app, threads=1),
        http_scope("POST", headers=[(b"content-length", b"11")]),
        [
            {"type": "http.request", "body": b"rev=1&", "more_body": True},
            {"type": "http.request", "body": b"", "more_body": True},
            {"type": "http.request", "body": b"a=b", "more_body": False},
        ],
    )
    assert app.body == b"rev=1&a=b"
    assert sent == [
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"text/plain"), (b"x-two", b"2")],
        },
        {"type": "http.response.body", "body": b"hello world"},
    ]


def test_a_client_gone_before_its_body_ends_runs_nothing() -> None:
    app = Recorder()
    sent = call(
        bridge.WSGIBridge(app, threads=1),
        http_scope("POST", headers=[(b"content-length", b"100")]),
        [
            {"type": "http.request", "body": b"x" * 10, "more_body": True},
            {"type": "http.disconnect"},
        ],
    )
    assert sent == [] and app.environ == {}


def test_a_streamed_answer_comes_in_pieces_and_is_closed_once() -> None:
    answer = Streamed(pieces=40, size=100_000)  # 4 MB: more than one CHUNK
    sent = call(
        bridge.WSGIBridge(Recorder(answer), threads=2),
        http_scope(),
        [{"type": "http.request", "body": b"", "more_body": False}],
    )
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert len(bodies) >= 4  # 4 MB in pieces of at most about CHUNK
    assert all(m.get("more_body") for m in bodies[:-1]) and not bodies[-1].get("more_body")
    assert b"".join(m["body"] for m in bodies) == b"".join(Streamed(40, 100_000))
    assert answer.closed == 1


def test_a_short_streamed_answer_is_sent_whole_and_closed() -> None:
    answer = Streamed(pieces=3, size=10)
    sent = call(
        bridge.WSGIBridge(Recorder(answer), threads=1),
        http_scope(),
        [{"type": "http.request", "body": b"", "more_body": False}],
    )
    assert sent[1] == {"type": "http.response.body", "body": b"A" * 10 + b"B" * 10 + b"C" * 10}
    assert answer.closed == 1


def test_an_app_that_fails_raises_to_the_server_and_closes_its_answer() -> None:
    class Failing(Streamed):
        def __iter__(self) -> Iterator[bytes]:
            yield b"part"
            raise RuntimeError("broken generator")

    answer = Failing(1, 1)
    with pytest.raises(RuntimeError, match="broken generator"):
        call(
            bridge.WSGIBridge(Recorder(answer), threads=1),
            http_scope(),
            [{"type": "http.request", "body": b"", "more_body": False}],
        )
    assert answer.closed == 1


def test_static_files_and_big_posts_through_the_real_server(live_server_proc: Any) -> None:
    """A stylesheet (streamed by WhiteNoise) arrives byte for byte; a post too big for the
    bridge goes through a2wsgi and still gets Django's answer (a CSRF refusal here)."""
    conn = http.client.HTTPConnection("127.0.0.1", live_server_proc.port, timeout=30)
    conn.request("GET", "/static/kaleidoscope/app.css")
    response = conn.getresponse()
    assert response.status == 200
    assert response.read() == (STATIC / "app.css").read_bytes()
    body = b"x=" + b"y" * (bridge.MAX_BODY + 10)
    conn.request(
        "POST", "/check/", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    response = conn.getresponse()
    assert response.status == 403  # no CSRF token: refused by Django, not by the server
    response.read()
    conn.close()
