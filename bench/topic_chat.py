"""Bench: a live topic chat with 300 participants on two `kaleidoscope serve` processes
sharing one SQLite database, one secret key and a real Redis (``REDIS_URL``).

Each participant is its own HTTP client (asyncio + httpx, its own session cookie), split
round-robin over the two servers, and holds the chat's event stream open
(/connect/chats/<id>/stream/, server-sent events through the group-session broker). Then
``--answers`` participants each post one answer (a few at a time, as a busy chat does).
For each answer the bench notes the time just before its POST and, for every OTHER
participant, when their stream delivered it; it reports the delay over all
(answer, receiver) pairs: p50, p99, max. Goal: p99 under 2 s.

Accounts and their sessions are made directly in the shared database (no password
hashing: 300 sign-ups would measure PBKDF2, not the chat); the chat is scheduled there
too, starting now, post-moderated. Every answer still goes through the real page: CSRF,
rate limit, the checker, the database and the broker.

The load generator runs on the same 2-core machine as the servers: figures are noisy.
Last line: name=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.group_session import gather_limited, percentile, redis_url
from tests.web.live import LiveServer


def seed(data_dir: Path, redis: str, participants: int) -> tuple[str, list[dict[str, str]]]:
    """Make the host, the participants, their sessions and the chat in the servers'
    database; returns (chat id, cookies per participant)."""
    os.environ["KALEIDOSCOPE_DATA_DIR"] = str(data_dir)
    os.environ["REDIS_URL"] = redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaleidoscope.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from kaleidoscope.web.connect.models import Chat, ChatQuestion

    host = User.objects.create_user("bench-host")
    chat = Chat.objects.create(
        host=host,
        topic="Bench: what helps carers?",
        starts_at=timezone.now(),
        minutes=120,
        moderation="post",
    )
    ChatQuestion.objects.create(chat=chat, number=1, text="What helped you most?")
    users = User.objects.bulk_create(
        User(username=f"bench-{n}", password="!") for n in range(participants)
    )
    cookies = []
    for user in users:
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookies.append(
            {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    return str(chat.pk), cookies


class Participant:
    def __init__(self, base: str, number: int, cookies: dict[str, str]) -> None:
        self.number = number
        self.client = httpx.AsyncClient(
            base_url=base,
            cookies=cookies,
            timeout=httpx.Timeout(60, read=None),
            follow_redirects=False,
            # uvicorn closes idle keep-alive connections after 5 s: drop ours first, or
            # a request sent on one as it closes fails on a loaded machine.
            limits=httpx.Limits(keepalive_expiry=2),
        )
        self.seen: dict[str, float] = {}  # answer marker -> when the stream delivered it
        self.task: asyncio.Task[None] | None = None
        self.answered = 0.0

    async def open(self, chat: str) -> None:
        answer = await self.client.get(f"/connect/chats/{chat}/")
        assert answer.status_code == 200, answer.status_code

    async def listen(self, chat: str, opened: asyncio.Event) -> None:
        async with self.client.stream("GET", f"/connect/chats/{chat}/stream/") as answer:
            assert answer.status_code == 200, answer.status_code
            async for line in answer.aiter_lines():
                if not line.startswith("data:"):
                    continue
                now = time.perf_counter()
                data = json.loads(line[5:])
                opened.set()
                if data.get("type") == "post":
                    html = data["html"]
                    at = html.find("bench-answer-")
                    if at >= 0:
                        marker = html[at : html.find(" ", at)]
                        self.seen.setdefault(marker, now)

    async def post(self, chat: str, marker: str) -> tuple[float, int]:
        """Post one answer; (when the POST began, its status). ``self.answered`` keeps how
        long the server took to answer it."""
        form = {
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            "question": "1",
            "text": f"{marker} talking to other carers helped me most",
        }
        began = time.perf_counter()
        answer = await self.client.post(
            f"/connect/chats/{chat}/post/", data=form, headers={"X-Fragment": "1"}
        )
        self.answered = time.perf_counter() - began
        return began, answer.status_code


async def run(
    bases: list[str], chat: str, cookies: list[dict[str, str]], answers: int, concurrent: int
) -> dict[str, Any]:
    people = [Participant(bases[i % len(bases)], i, c) for i, c in enumerate(cookies)]
    await gather_limited([p.open(chat) for p in people], 50)
    opened = [asyncio.Event() for _ in people]
    for person, event in zip(people, opened, strict=True):
        person.task = asyncio.create_task(person.listen(chat, event))
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in opened)), 120)
    print(f"  {len(people)} streams open", flush=True)
    await asyncio.sleep(1)

    # Warm each server first (the checker compiles its rules on first use; a live
    # server has done so long before a chat): one answer per server, not measured.
    for person in people[: len(bases)]:
        _began, status = await person.post(chat, f"warm-up-{person.number}")
        assert status == 200, status
    await asyncio.sleep(1)
    posters = people[len(bases) : len(bases) + answers]
    sent: dict[str, tuple[int, float]] = {}
    statuses: list[int] = []

    async def one(person: Participant) -> None:
        marker = f"bench-answer-{person.number}"
        began, status = await person.post(chat, marker)
        sent[marker] = (person.number, began)
        statuses.append(status)

    began = time.perf_counter()
    await gather_limited([one(p) for p in posters], concurrent)
    post_s = time.perf_counter() - began
    assert statuses == [200] * len(posters), sorted(set(statuses))
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        missing = sum(
            1 for p in people for m, (n, _) in sent.items() if n != p.number and m not in p.seen
        )
        if not missing:
            break
        await asyncio.sleep(0.2)
    delays: list[float] = []
    lost = 0
    for person in people:
        for marker, (number, at) in sent.items():
            if number == person.number:
                continue
            if marker in person.seen:
                delays.append(person.seen[marker] - at)
            else:
                lost += 1
    for person in people:
        if person.task:
            person.task.cancel()
    await asyncio.gather(*(p.task for p in people if p.task), return_exceptions=True)
    await asyncio.gather(*(p.client.aclose() for p in people))
    return {
        "p50_ms": 1000 * percentile(delays, 0.5),
        "p99_ms": 1000 * percentile(delays, 0.99),
        "max_ms": 1000 * max(delays),
        "mean_ms": 1000 * statistics.fmean(delays),
        "samples": len(delays),
        "lost": lost,
        "post_s": post_s,
        "answered_ms": 1000 * statistics.median(p.answered for p in posters),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--answers", type=int, default=30, help="answers posted (one each)")
    parser.add_argument("--concurrent", type=int, default=3, help="answers in flight at once")
    args = parser.parse_args()
    url = redis_url()
    if not url:
        print("participants=0 skipped=no_redis")
        return
    first, second = LiveServer(), LiveServer()
    second.env["KALEIDOSCOPE_DATA_DIR"] = str(first.data_dir)
    for srv in (first, second):
        srv.env["REDIS_URL"] = url
        srv.env["KALEIDOSCOPE_CACHE_PREFIX"] = f"bench-{first.port}"
    try:
        first.start()
        second.start()
        chat, cookies = seed(first.data_dir, url, args.participants)
        print(
            f"two processes + Redis: {args.participants} participants, {args.answers} answers",
            flush=True,
        )
        r = asyncio.run(run([first.url, second.url], chat, cookies, args.answers, args.concurrent))
    finally:
        second.close()
        first.close()
    print(
        f"each answer reached every other participant: p50 {r['p50_ms']:.0f} ms, "
        f"p99 {r['p99_ms']:.0f} ms, max {r['max_ms']:.0f} ms ({r['samples']} deliveries, "
        f"{r['lost']} lost); {args.answers} answers posted in {r['post_s']:.2f} s "
        f"(the server answered each POST in {r['answered_ms']:.0f} ms, median)"
    )
    print(
        f"participants={args.participants} servers=2 answers={args.answers} "
        f"deliveries={r['samples']} lost={r['lost']} p50_ms={r['p50_ms']:.0f} "
        f"p99_ms={r['p99_ms']:.0f} max_ms={r['max_ms']:.0f} goal_p99_ms=2000"
    )


if __name__ == "__main__":
    main()
