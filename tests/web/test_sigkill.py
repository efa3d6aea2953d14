"""A move acknowledged to the browser survives a SIGKILL of the server mid-load."""

from __future__ import annotations

import http.client
import os
import secrets
import threading
import time

import pytest

from .live import Learner, LiveServer, play_state

SCENARIO = "friend-request"


def one_move(learner: Learner, play_url: str) -> tuple[int, str]:
    """Make the next move (continue, or the first choice); return (status, new node)."""
    state = play_state(learner.get(play_url))
    if not state["action"]:
        form = {"rev": state["rev"], "action": "restart", "node": ""}
    else:
        form = {
            "rev": state["rev"],
            "action": state["action"],
            "node": state["node"],
            "choice": (state["choices"] or [""])[0],
        }
    status, _, _ = learner.request("POST", play_url + "step/", form)
    return status, state["rev"]


@pytest.mark.parametrize(
    "workers", [1, pytest.param(2, marks=pytest.mark.redis)], ids=["1-worker", "2-workers"]
)
def test_acknowledged_moves_survive_sigkill_mid_load(workers: int) -> None:
    """With several uvicorn workers every process of the server is killed at once (as a
    crash of the service is); they share the database and, through Redis, the cache."""
    server = LiveServer(os.environ.get("DATABASE_URL") or None, workers=workers)
    prefix = ""
    if workers > 1:
        from .test_groups_live import redis_url

        prefix = f"sigkill-{secrets.token_hex(4)}"
        server.env["REDIS_URL"] = redis_url()
        server.env["KALEIDOSCOPE_CACHE_PREFIX"] = prefix
    server.start()
    try:
        acked: dict[str, int] = {}  # play url -> highest revision acknowledged
        learners: dict[str, Learner] = {}
        stop = threading.Event()
        errors: list[BaseException] = []

        def load(number: int) -> None:
            learner = Learner(server.port)
            try:
                url = learner.start(SCENARIO)
                learners[url] = learner
                while not stop.is_set():
                    status, rev = one_move(learner, url)
                    if status == 303:  # acknowledged: the move is committed
                        acked[url] = int(rev) + 1
            except (OSError, AssertionError, http.client.HTTPException) as exc:
                if not stop.is_set():
                    errors.append(exc)

        threads = [threading.Thread(target=load, args=(n,), daemon=True) for n in range(6)]
        for thread in threads:
            thread.start()
        me = Learner(server.port)
        mine = me.start(SCENARIO)
        while play_state(me.get(mine))["action"] != "choose":
            assert one_move(me, mine)[0] == 303
        deadline = time.monotonic() + 60  # the load is running (a slow CI machine may need
        while len(acked) < 3 and time.monotonic() < deadline:  # more than a second for it)
            time.sleep(0.1)
        time.sleep(0.5)
        before = play_state(me.get(mine))
        status, _ = one_move(me, mine)
        assert status == 303  # the browser has its acknowledgement...
        stop.set()  # (load threads stop after their request in flight)
        server.kill()  # ...and the server dies at once, mid-load
        for thread in threads:
            thread.join(10)
        assert not errors, errors
        assert len(acked) >= 3, "the load did not get going"

        server.start()
        me.conn = None
        after = play_state(me.get(mine))
        assert int(after["rev"]) == int(before["rev"]) + 1
        assert after["node"] != before["node"]
        for url, revision in acked.items():
            learner = learners[url]
            learner.conn = None
            assert int(play_state(learner.get(url))["rev"]) >= revision
    finally:
        server.close()
        if prefix:
            import redis

            client = redis.Redis.from_url(server.env["REDIS_URL"])
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)
