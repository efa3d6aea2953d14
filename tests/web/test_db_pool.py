"""PostgreSQL's connection pool in a real server (docs/adr/0017-postgresql-connection-pool.md).

A server process keeps at most ``KALEIDOSCOPE_DB_POOL`` connections; a request borrows
one and gives it back when it ends. An event stream ends only when the browser leaves,
so a stream must not keep the connection its view borrowed: with more streams open than
the pool holds, pages would wait for a connection and fail. Runs on PostgreSQL only
(``DATABASE_URL``), with a pool of 2 so that three streams are more than it holds.
"""

from __future__ import annotations

import os
import time

import psycopg
import pytest

from .live import Learner, LiveServer
from .test_groups_live import Facilitator, Stream

POOL = 2


@pytest.fixture
def pooled_server() -> LiveServer:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the connection pool is PostgreSQL's: set DATABASE_URL=postgres://...")
    server = LiveServer(url)
    server.env["KALEIDOSCOPE_DB_POOL"] = str(POOL)
    server.env["KALEIDOSCOPE_DB_POOL_TIMEOUT"] = "3"
    try:
        yield server.start()  # type: ignore[misc]
    finally:
        server.close()


def server_connections(server: LiveServer) -> int:
    """Connections the server holds to its database, idle in the pool or in use."""
    assert server._pg_admin and server._pg_name
    with psycopg.connect(server._pg_admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [server._pg_name]
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_pages_answer_while_more_streams_are_open_than_the_pool_holds(
    pooled_server: LiveServer,
) -> None:
    server = pooled_server
    fac = Facilitator(server.port, "pool-streams")
    url = f"{server.url}/live/groups/{fac.session_id}/presenter/"
    streams = [Stream(url, fac.client.cookies) for _ in range(POOL + 1)]
    for stream in streams:  # each view read the session from the database
        stream.wait_for(lambda kind, data: kind == "count")
    learner = Learner(server.port)
    began = time.monotonic()
    play = learner.start("friend-request")
    assert "data-revision" in learner.get(play)
    assert fac.page()  # the facilitator's own page too
    assert time.monotonic() - began < 2.5, "a page waited for a pooled connection"
    assert server_connections(server) <= POOL
    for stream in streams:
        assert not stream.error, stream.error
        stream.close()
