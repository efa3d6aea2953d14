"""Topic chats live against real `kaleidoscope serve` processes and real event streams:
one process (the in-process broker), then two processes sharing the database and a real
Redis (KALEIDOSCOPE_TEST_REDIS): an answer posted on one process reaches a stream held by
the other, and the flood limit is shared. Skips without Redis, like the group tests."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from django.utils import timezone

from .live import Learner, LiveServer
from .test_groups_live import PASSWORD, Stream, redis_url


def signed_up(port: int, name: str) -> Learner:
    client = Learner(port)
    client.get("/accounts/sign-up/")
    status, _, _ = client.request(
        "POST",
        "/accounts/sign-up/",
        {"username": name, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert status == 303, status
    return client


def schedule(host: Learner) -> str:
    host.get("/connect/chats/new/")
    now = timezone.localtime()
    status, headers, page = host.request(
        "POST",
        "/connect/chats/new/",
        {
            "topic": "Live test",
            "day": now.date().isoformat(),
            "time": f"{now:%H:%M}",
            "minutes": "30",
            "moderation": "post",
            "questions": "What helped?",
            "moderators": "",
        },
    )
    assert status == 303, page[:2000]
    found = re.search(r"/connect/chats/([0-9a-f-]{36})/", headers["location"])
    assert found
    return found.group(1)


def post(client: Learner, chat: str, text: str) -> int:
    status, _, _ = client.request(
        "POST", f"/connect/chats/{chat}/post/", {"question": "1", "text": text}
    )
    return status


def is_post(text: str):  # type: ignore[no-untyped-def]
    return lambda kind, data: data.get("type") == "post" and text in data["html"]


def test_an_answer_reaches_open_streams_on_one_process(live_server_proc: LiveServer) -> None:
    server = live_server_proc
    host = signed_up(server.port, "chat-live-host")
    chat = schedule(host)
    stream = Stream(f"{server.url}/connect/chats/{chat}/stream/")
    first = stream.wait_for(lambda kind, data: data.get("type") == "sync")
    assert first["rev"] == 0
    ann = signed_up(server.port, "chat-live-ann")
    ann.get(f"/connect/chats/{chat}/")
    assert post(ann, chat, "<b>Peer support</b> helped") == 303
    event = stream.wait_for(is_post("Peer support"))
    assert event["q"] == 1 and "&lt;b&gt;Peer support&lt;/b&gt;" in event["html"]
    assert "<b>" not in event["html"]
    stream.close()
    status, _, _ = Learner(server.port).request(
        "GET", "/connect/chats/00000000-0000-0000-0000-000000000000/stream/"
    )
    assert status == 404


@pytest.fixture(scope="module")
def two_servers() -> Iterator[tuple[LiveServer, LiveServer]]:
    url = redis_url()
    first = LiveServer(os.environ.get("DATABASE_URL") or None)
    second = LiveServer(None)
    second.env["KALEIDOSCOPE_DATA_DIR"] = str(first.data_dir)
    if "DATABASE_URL" in first.env:
        second.env["DATABASE_URL"] = first.env["DATABASE_URL"]
    for server in (first, second):
        server.env["REDIS_URL"] = url
        server.env["KALEIDOSCOPE_CACHE_PREFIX"] = f"connect-live-{first.port}"
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        second.close()
        first.close()


@pytest.mark.redis
def test_two_processes_share_answers_and_the_flood_limit(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, b = two_servers
    host = signed_up(a.port, "chat-redis-host")
    chat = schedule(host)
    on_b = Stream(f"{b.url}/connect/chats/{chat}/stream/")
    on_a = Stream(f"{a.url}/connect/chats/{chat}/stream/")
    ann = signed_up(a.port, "chat-redis-ann")
    ann.get(f"/connect/chats/{chat}/")
    assert post(ann, chat, "posted on A") == 303
    on_b.wait_for(is_post("posted on A"))
    on_a.wait_for(is_post("posted on A"))
    # The same person through process B: the flood limit counts both processes' posts.
    via_b = Learner(b.port)
    via_b.cookies = dict(ann.cookies)
    statuses = [post(ann, chat, f"again {n}") for n in range(5)]
    assert statuses == [303] * 5
    assert post(via_b, chat, "one too many") == 429
    for stream in (on_a, on_b):
        stream.close()
