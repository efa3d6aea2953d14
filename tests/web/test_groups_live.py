"""Group sessions live: a real `kaleidoscope serve` and real event streams.

One process with the in-process broker; then two processes sharing the database and a
real Redis (KALEIDOSCOPE_TEST_REDIS, e.g. redis://127.0.0.1:6379/0): a reveal made on one
process reaches streams held by the other, counts and rate limits are shared. Without
KALEIDOSCOPE_TEST_REDIS the Redis tests skip with a reason, unless
KALEIDOSCOPE_REQUIRE_SERVICES=1 (then they fail).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from kaleidoscope.web.groups.broker import RedisBroker

from .live import Learner, LiveServer
from .test_groups import run_async

PASSWORD = "a-long-pass-phrase-42"
SCENARIO = "friend-request"


def redis_url() -> str:
    url = os.environ.get("KALEIDOSCOPE_TEST_REDIS", "")
    reason = ""
    if not url:
        reason = "KALEIDOSCOPE_TEST_REDIS is not set (e.g. redis://127.0.0.1:6379/0)"
    else:
        import redis

        try:
            redis.Redis.from_url(url, socket_timeout=3).ping()
        except redis.RedisError as exc:
            reason = f"no Redis answers at {url}: {exc}"
    if reason:
        if os.environ.get("KALEIDOSCOPE_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + "; KALEIDOSCOPE_REQUIRE_SERVICES=1 makes this an error")
        pytest.skip(reason)
    return url


# --- a facilitator, participants and stream readers over plain HTTP --------------------------
class Facilitator:
    def __init__(self, port: int, username: str) -> None:
        self.client = Learner(port)
        self.client.get("/accounts/sign-up/")
        status, _, _ = self.client.request(
            "POST",
            "/accounts/sign-up/",
            {"username": username, "password1": PASSWORD, "password2": PASSWORD},
        )
        assert status == 303, status
        status, headers, _ = self.client.request("POST", "/groups/new/", {"scenario": SCENARIO})
        assert status == 303, status
        self.present = headers["location"]
        self.session_id = self.present.rstrip("/").split("/")[-1]
        page = self.client.get(self.present)
        found = re.search(r'class="k-group-code"[^>]*>([A-Z0-9]{6})<', page)
        assert found, page[:500]
        self.code = found.group(1)

    def page(self) -> str:
        return self.client.get(self.present)

    def act(self, action: str, choice: str = "") -> str:
        rev = re.search(r'name="rev" value="(\d+)"', self.page())
        assert rev, "no control on the presenter page"
        form = {"rev": rev.group(1), "action": action, "choice": choice}
        status, _, _ = self.client.request("POST", self.present + "control/", form)
        assert status == 303, status
        return self.page()

    def to_vote(self, phone: Learner) -> list[str]:
        """Start and continue until voting opens; the choice ids a participant sees."""
        page = self.act("start")
        while 'value="advance"' in page:
            page = self.act("advance")
        assert 'value="reveal"' in page, page[:2000]
        choices = re.findall(
            r'name="choice" type="radio" value="([^"]+)"', phone.get(f"/join/{self.code}/")
        )
        assert len(choices) >= 2
        return choices


def participant(port: int, code: str) -> Learner:
    phone = Learner(port)
    phone.get("/join/")
    status, headers, _ = phone.request("POST", "/join/", {"code": code, "name": ""})
    assert status == 303 and headers["location"] == f"/join/{code}/", status
    return phone


def cast(phone: Learner, code: str, choice: str, reason: str = "") -> int:
    status, _, _ = phone.request(
        "POST", f"/join/{code}/vote/", {"round": "1", "choice": choice, "reason": reason}
    )
    return status


class Stream:
    """Reads one event stream in a thread, keeping every event with its arrival time."""

    def __init__(self, url: str, cookies: dict[str, str] | None = None) -> None:
        self.events: list[tuple[float, str, dict[str, Any]]] = []
        self.opened = threading.Event()
        self.changed = threading.Condition()
        self._stop = False
        self.error = ""
        self.thread = threading.Thread(target=self._run, args=(url, cookies or {}), daemon=True)
        self.thread.start()
        assert self.opened.wait(20), f"stream {url} did not open"
        assert not self.error, self.error

    def _run(self, url: str, cookies: dict[str, str]) -> None:
        try:
            with (
                httpx.Client(cookies=cookies, timeout=httpx.Timeout(60, read=60)) as client,
                client.stream("GET", url) as response,
            ):
                kind = response.headers.get("content-type", "")
                if response.status_code != 200 or not kind.startswith("text/event-stream"):
                    self.error = f"status {response.status_code}, {kind}"
                    return
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        kind = line[6:].strip()
                    elif line.startswith("data:"):
                        with self.changed:
                            self.events.append((time.monotonic(), kind, json.loads(line[5:])))
                            self.changed.notify_all()
                        self.opened.set()
                    if self._stop:
                        return
        except httpx.HTTPError as exc:  # the server went away (expected once stopped)
            if not self._stop:
                self.error = repr(exc)
        finally:
            self.opened.set()

    def wait_for(self, test: Any, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for _, kind, data in self.events:
                    if test(kind, data):
                        return data
                left = deadline - time.monotonic()
                assert left > 0, (
                    f"no matching event; got {[(k, d.get('phase')) for _, k, d in self.events]}"
                )
                self.changed.wait(left)

    def close(self) -> None:
        self._stop = True


def phase_is(phase: str) -> Any:
    return lambda kind, data: kind == "state" and data["phase"] == phase


# --- one process ------------------------------------------------------------------------------
def test_streams_follow_the_session_on_one_process(live_server_proc: LiveServer) -> None:
    server = live_server_proc
    fac = Facilitator(server.port, "live-one")
    phones = [participant(server.port, fac.code) for _ in range(3)]
    streams = [Stream(f"{server.url}/live/groups/{fac.code}/") for _ in phones]
    presenter = Stream(f"{server.url}/live/groups/{fac.session_id}/presenter/", fac.client.cookies)
    for stream in streams:  # on connect: the current state, rendered for everyone
        first = stream.wait_for(phase_is("lobby"))
        assert "Waiting for the facilitator" in first["html"]
    presenter.wait_for(lambda kind, data: kind == "count" and data["joined"] == 3)
    choices = fac.to_vote(phones[0])
    for stream in streams:
        voting = stream.wait_for(phase_is("voting"))
        assert 'name="choice"' in voting["html"] and voting["round"] == 1
    assert [cast(p, fac.code, choices[0], "why not") for p in phones] == [303] * 3
    presenter.wait_for(lambda kind, data: kind == "count" and data["votes"] == 3)
    fac.act("reveal")
    for stream in streams:
        revealed = stream.wait_for(phase_is("revealed"))
        assert "100%" in revealed["html"] and "why not" not in revealed["html"]
    assert cast(phones[0], fac.code, choices[1]) == 409
    fac.act("close")
    for stream in streams:
        stream.wait_for(phase_is("closed"))
    # No participant stream carries the facilitator's counts.
    assert all(kind == "state" for s in streams for _, kind, _ in s.events)
    for stream in [*streams, presenter]:
        stream.close()


def test_streams_refuse_unknown_sessions_and_strangers(live_server_proc: LiveServer) -> None:
    server = live_server_proc
    fac = Facilitator(server.port, "live-two")
    with httpx.Client(timeout=10) as client:
        assert client.get(f"{server.url}/live/groups/ZZZZZZ/").status_code == 404
        assert client.get(f"{server.url}/live/groups/not-a-code/").status_code == 404
        url = f"{server.url}/live/groups/{fac.session_id}/presenter/"
        assert client.get(url).status_code == 403
    other = Facilitator(server.port, "live-three")
    with httpx.Client(timeout=10, cookies=other.client.cookies) as client:
        assert client.get(url).status_code == 404


def test_a_server_with_open_streams_still_stops_promptly() -> None:
    server = LiveServer(os.environ.get("DATABASE_URL") or None)
    try:
        server.start()
        fac = Facilitator(server.port, "live-stop")
        streams = [Stream(f"{server.url}/live/groups/{fac.code}/") for _ in range(3)]
        assert server.proc is not None
        began = time.monotonic()
        server.proc.terminate()
        server.proc.wait(8)  # uvicorn waits for open responses: the streams must end
        assert time.monotonic() - began < 5
        for stream in streams:
            stream.thread.join(5)
            assert not stream.thread.is_alive()
    finally:
        server.close()


# --- Redis: the broker itself -------------------------------------------------------------------
def test_redis_broker_publishes_keeps_the_newest_and_counts_across_clients() -> None:
    url = redis_url()
    one, two = RedisBroker(url), RedisBroker(url)
    channel = f"test:{os.getpid()}:{time.monotonic_ns()}:state"

    async def run() -> list[str]:
        async with one.subscribe([channel]) as queue:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, two.publish, channel, '{"rev": 5}', True)
            await loop.run_in_executor(None, two.publish, channel, '{"rev": 4}', True)
            got = [await asyncio.wait_for(queue.get(), 5) for _ in range(2)]
            assert await one.akept(channel) == '{"rev": 5}'
        one.close()
        return got

    try:
        assert run_async(run) == ['{"rev": 5}', '{"rev": 4}']
        assert two.kept(channel) == '{"rev": 5}'  # an older revision never replaces a newer
        two.keep(channel, '{"rev": 9}')
        assert two.kept(channel) == '{"rev": 9}'
        key = channel + ":rate"
        hits = [one.hit(key, 3, 60) if i % 2 else two.hit(key, 3, 60) for i in range(5)]
        assert hits == [True, True, True, False, False]
    finally:
        one.sync.delete(*[f"kaleidoscope:group:{channel}{s}" for s in ("", ":rev")])
        two.close()


# --- Redis: two server processes -----------------------------------------------------------------
@pytest.fixture(scope="module")
def two_servers() -> Iterator[tuple[LiveServer, LiveServer]]:
    url = redis_url()
    first = LiveServer(os.environ.get("DATABASE_URL") or None)
    second = LiveServer(None)
    # The second process shares the first's database, secret key (data dir) and Redis.
    second.env["KALEIDOSCOPE_DATA_DIR"] = str(first.data_dir)
    if "DATABASE_URL" in first.env:
        second.env["DATABASE_URL"] = first.env["DATABASE_URL"]
    for server in (first, second):
        server.env["REDIS_URL"] = url
    try:
        first.start()
        second.start()
        yield first, second
    finally:
        second.close()
        first.close()


def test_two_processes_share_the_session_through_redis(
    two_servers: tuple[LiveServer, LiveServer],
) -> None:
    a, b = two_servers
    fac = Facilitator(a.port, "redis-facilitator")
    on_a = [participant(a.port, fac.code) for _ in range(2)]
    on_b = [participant(b.port, fac.code) for _ in range(2)]
    streams = [
        Stream(f"{a.url}/live/groups/{fac.code}/"),
        Stream(f"{b.url}/live/groups/{fac.code}/"),
    ]
    presenter = Stream(f"{a.url}/live/groups/{fac.session_id}/presenter/", fac.client.cookies)
    choices = fac.to_vote(on_a[0])
    for stream in streams:
        stream.wait_for(phase_is("voting"))
    assert cast(on_b[0], fac.code, choices[0], "from b") == 303
    assert cast(on_b[1], fac.code, choices[1]) == 303
    assert cast(on_a[0], fac.code, choices[0]) == 303
    # Counts of votes made on process B reach the presenter's stream on process A.
    presenter.wait_for(lambda kind, data: kind == "count" and data["votes"] == 3)
    # The rate limit is shared: 5 votes through A, the 6th through B is refused.
    flood = Learner(b.port)
    flood.cookies = dict(on_a[1].cookies)
    statuses = [cast(on_a[1], fac.code, choices[1], f"r{i}") for i in range(5)]
    assert statuses == [303] * 5
    assert cast(flood, fac.code, choices[0], "too many") == 429
    began = time.monotonic()
    fac.act("reveal")
    for stream in streams:
        revealed = stream.wait_for(phase_is("revealed"))
        assert "50%" in revealed["html"]  # 2 of 4 for each option
    assert time.monotonic() - began < 5
    status, _, page = on_b[0].request("GET", f"/join/{fac.code}/")
    assert status == 200 and "(your vote)" in page
    for stream in [*streams, presenter]:
        stream.close()
