"""Two machines' worth of Kaleidoscope sharing PostgreSQL and Redis, as docs/deploy.md sets
them up: what one server process starts, the other can follow.

Each "machine" is a real ``kaleidoscope serve`` with its own data folder (so its own
private upload area), its own task queue (``KALEIDOSCOPE_TASK_QUEUE``: on real machines
the host name) and its own ``kaleidoscope worker``. They share a fresh PostgreSQL database
(made from KALEIDOSCOPE_TEST_POSTGRES, migrated once with ``kaleidoscope migrate``), the
secret key (copied, as deploy.md says), and Redis (KALEIDOSCOPE_TEST_REDIS) under a key
prefix of their own. A ``Learner`` keeps one cookie jar for both, as a browser does for
one site behind a load balancer.

Without those services the tests marked ``postgres`` and ``redis`` skip with a reason,
unless KALEIDOSCOPE_REQUIRE_SERVICES=1 (then they fail). The first tests here need neither:
they check the command line's side of deploy.md.

To add a check that spans the two servers, take the ``deployment`` fixture:
``deployment.a`` and ``deployment.b`` are the servers (``.port``, ``.url``); for a group
vote on one reaching a phone on the other, see ``Facilitator``, ``participant``, ``cast``
and ``Stream`` in test_groups_live.py (they take a port or URL); for a shared sign-in
throttle, sign in badly through ``deployment.a`` and then ``deployment.b``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import archive_factory as af
import pytest

from .live import KALEIDOSCOPE, Learner, LiveServer
from .test_check_pages import _live_upload
from .test_groups_live import (
    PASSWORD,
    Facilitator,
    Stream,
    cast,
    participant,
    phase_is,
    redis_url,
)


# --- the command line -----------------------------------------------------------------------------
def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("REDIS_URL", "KALEIDOSCOPE_ALLOWED_HOSTS", "DATABASE_URL")}
    return {**env, **extra}


def test_listening_on_every_interface_needs_the_sites_names(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(KALEIDOSCOPE), "serve", "--host", "0.0.0.0", "--port", "1"],
        env=_env(KALEIDOSCOPE_DATA_DIR=str(tmp_path)), capture_output=True, text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "set KALEIDOSCOPE_ALLOWED_HOSTS" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_allowed_host_list_is_never_widened_to_any_host(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaleidoscope.web.core.cli import _require_allowed_hosts

    monkeypatch.setenv("KALEIDOSCOPE_ALLOWED_HOSTS", "kaleidoscope.example.org")
    for host in ("0.0.0.0", "::"):
        _require_allowed_hosts(host)
        assert os.environ["KALEIDOSCOPE_ALLOWED_HOSTS"] == "kaleidoscope.example.org"
    _require_allowed_hosts("10.0.0.11")  # one address: that name is added, nothing else
    assert os.environ["KALEIDOSCOPE_ALLOWED_HOSTS"] == "kaleidoscope.example.org,10.0.0.11"


def test_a_separate_worker_needs_redis(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(KALEIDOSCOPE), "worker"], env=_env(KALEIDOSCOPE_DATA_DIR=str(tmp_path)),
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2 and "needs REDIS_URL" in done.stderr
    assert "Traceback" not in done.stderr


# --- the services -------------------------------------------------------------------------------
def postgres_url() -> str:
    """An admin URL of the test PostgreSQL (each deployment makes a fresh database there)."""
    url = os.environ.get("KALEIDOSCOPE_TEST_POSTGRES", "")
    reason = ""
    if not url:
        reason = "KALEIDOSCOPE_TEST_POSTGRES is not set (e.g. postgres://postgres@127.0.0.1:5432/test)"
    else:
        import psycopg

        try:
            psycopg.connect(url, connect_timeout=3).close()
        except psycopg.Error as exc:
            reason = f"no PostgreSQL answers at {url}: {exc}"
    if reason:
        if os.environ.get("KALEIDOSCOPE_REQUIRE_SERVICES") == "1":
            pytest.fail(reason + "; KALEIDOSCOPE_REQUIRE_SERVICES=1 makes this an error")
        pytest.skip(reason)
    return url


def run_command(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    """Run a ``kaleidoscope`` command with a machine's environment; its output."""
    done = subprocess.run(
        [str(KALEIDOSCOPE), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr or done.stdout
    return done.stdout


class Worker:
    """``kaleidoscope worker`` for one machine (its own process group, like the server)."""

    def __init__(self, server: LiveServer) -> None:
        self.log = server.data_dir / "worker.log"
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(KALEIDOSCOPE), "worker", "--interval", "0.2"],
                env=server.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(5)


@dataclass
class Deployment:
    a: LiveServer
    b: LiveServer
    redis_url: str
    prefix: str
    workers: list[Worker] = field(default_factory=list)

    def worker(self, server: LiveServer) -> Worker:
        worker = Worker(server)
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.b.close()
        self.a.close()
        import redis

        client = redis.Redis.from_url(self.redis_url)
        keys = list(client.scan_iter(f"{self.prefix}:*"))
        if keys:
            client.delete(*keys)


def machine(name: str, database_url: str | None, redis: str, prefix: str) -> LiveServer:
    server = LiveServer(database_url, workers=2, args=("--no-scan-worker",))
    server.env.update({
        "REDIS_URL": redis,
        "KALEIDOSCOPE_CACHE_PREFIX": prefix,
        "KALEIDOSCOPE_TASK_QUEUE": f"host-{name}",
    })
    return server


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    """Machines A and B, two uvicorn workers each, and A's task worker."""
    pg, redis = postgres_url(), redis_url()
    prefix = f"two-{secrets.token_hex(4)}"
    a = machine("a", pg, redis, prefix)  # makes the fresh database
    b = machine("b", None, redis, prefix)
    b.env["DATABASE_URL"] = a.env["DATABASE_URL"]
    setup = Deployment(a, b, redis, prefix)
    try:
        a.start(timeout=180)  # runs `kaleidoscope migrate` first, as deploy.md says
        # One site, one secret key (sessions are signed with it): copied to machine B.
        shutil.copy2(a.data_dir / "secret_key", b.data_dir / "secret_key")
        b.start(timeout=180)
        setup.worker(a)
        yield setup
    finally:
        setup.close()


# --- archive scans ------------------------------------------------------------------------------
def uploads(server: LiveServer) -> list[Path]:
    folder = server.data_dir / "tmp" / "uploads"
    return list(folder.iterdir()) if folder.exists() else []


def follow(learner: Learner, url: str, timeout: float = 120) -> tuple[list[str], str]:
    """Poll a report page as the no-JavaScript page does; the stages seen, the last page."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = learner.get(url)
        if "Checking your archive" not in page:
            return seen, page
        found = re.search(r'id="progress-status"[^>]*>([^<]+)<', page)
        if found and (not seen or seen[-1] != found.group(1)):
            seen.append(found.group(1))
        time.sleep(0.2)
    raise AssertionError(f"the scan did not finish in {timeout}s; saw {seen}")


@pytest.mark.postgres
@pytest.mark.redis
def test_a_scan_started_on_one_server_is_followed_and_read_on_the_other(
    deployment: Deployment, tmp_path: Path
) -> None:
    a, b = deployment.a, deployment.b
    archive = af.write_big_x_archive(tmp_path / "twitter-2024.zip", 30_000).read_bytes()
    person = Learner(a.port)
    url = _live_upload(person, "twitter-2024.zip", archive)  # received by machine A
    on_b = Learner(b.port)
    on_b.cookies = person.cookies  # the same browser; the next request lands on B
    stages, page = follow(on_b, url)
    assert stages, "machine B never showed the scan's progress"
    assert "posts have findings" in page and "twitter-2024.zip" in page
    assert uploads(a) == [] and uploads(b) == []  # deleted as soon as the scan ended
    status, _, csv = on_b.request("GET", url + "findings.csv")
    assert status == 200 and csv.startswith("id,created_at,platform,kind,url")
    # Another browser, on either machine, gets nothing.
    for server in (a, b):
        assert Learner(server.port).request("GET", url)[0] == 404
    # Deleted on A: gone on B too.
    back_on_a = Learner(a.port)
    back_on_a.cookies = person.cookies
    status, _, _ = back_on_a.request("POST", url + "delete/", {})
    assert status == 200
    assert on_b.request("GET", url)[0] == 404


@pytest.mark.postgres
@pytest.mark.redis
def test_an_archive_waits_for_the_worker_of_the_machine_that_received_it(
    deployment: Deployment, tmp_path: Path
) -> None:
    a, b = deployment.a, deployment.b
    archive = af.write_zip(tmp_path / "x.zip", af.x_files([
        af.Tweet(id="1", text="Home visit to the 15yo at St Anne's again",
                 created=datetime(2023, 5, 1, 9, tzinfo=UTC)),
    ])).read_bytes()
    person = Learner(b.port)
    url = _live_upload(person, "x.zip", archive)  # received by machine B
    time.sleep(2)  # A's worker is idle and polling: it must leave B's archive alone
    on_a = Learner(a.port)
    on_a.cookies = person.cookies
    assert "Waiting for a free slot" in on_a.get(url)
    assert len(uploads(b)) == 1 and uploads(a) == []
    deployment.worker(b)
    _, page = follow(person, url)
    assert "St Anne" in page and uploads(b) == []


# --- group sessions ------------------------------------------------------------------------------
def _row(html: str, choice: str) -> str:
    """The revealed distribution's row for one choice (its vote count and share)."""
    found = re.search(rf'<tr [^>]*data-choice="{re.escape(choice)}".*?</tr>', html, re.DOTALL)
    assert found, f"no row for {choice} in the revealed state"
    return re.sub(r"\s+", " ", found.group(0))


@pytest.mark.postgres
@pytest.mark.redis
def test_a_group_vote_cast_on_one_server_reaches_a_phone_on_the_other(
    deployment: Deployment,
) -> None:
    a, b = deployment.a, deployment.b
    fac = Facilitator(a.port, f"two-fac-{secrets.token_hex(3)}")  # runs the session on A
    voter = participant(a.port, fac.code)  # this phone's requests land on machine A
    phone = participant(b.port, fac.code)  # this one's event stream is open on machine B
    stream = Stream(f"{b.url}/live/groups/{fac.code}/", phone.cookies)
    presenter = Stream(f"{b.url}/live/groups/{fac.session_id}/presenter/", fac.client.cookies)
    try:
        stream.wait_for(phase_is("lobby"))
        presenter.wait_for(lambda kind, data: kind == "count" and data["joined"] == 2)
        choices = fac.to_vote(voter)  # every control post goes to A
        stream.wait_for(phase_is("voting"))
        picked, other = choices[-1], choices[0]
        assert cast(voter, fac.code, picked) == 303  # the one vote, cast on A
        # The facilitator's screen, open on B, counts it as it arrives...
        presenter.wait_for(lambda kind, data: kind == "count" and data["votes"] == 1)
        fac.act("reveal")
        # ...and the phone on B sees it revealed: one vote, all for the option picked on A.
        html = stream.wait_for(phase_is("revealed"))["html"]
        assert "Votes: 1 in all" in html
        assert re.search(r'numeric">1</td>.*100%', _row(html, picked))
        assert re.search(r'numeric">0</td>.*0%', _row(html, other))
        assert not stream.error and not presenter.error
    finally:
        stream.close()
        presenter.close()


# --- the sign-in throttle ----------------------------------------------------------------------
def _sign_in(browser: Learner, username: str, password: str) -> tuple[int, str]:
    browser.get("/accounts/sign-in/")
    status, _, page = browser.request(
        "POST", "/accounts/sign-in/", {"username": username, "password": password}
    )
    return status, page


@pytest.mark.postgres
@pytest.mark.redis
def test_the_sign_in_throttle_is_shared_by_both_servers(deployment: Deployment) -> None:
    a, b = deployment.a, deployment.b
    owner = Learner(a.port)
    username = f"two-throttle-{secrets.token_hex(3)}"
    owner.get("/accounts/sign-up/")
    status, _, _ = owner.request(
        "POST", "/accounts/sign-up/",
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert status == 303, status
    # One guesser's browser (one address, 127.0.0.1, as both servers see it), its requests
    # landing on A and B in turn as a load balancer may send them; each server runs two
    # uvicorn processes, so a per-process count would see at most 2 of these.
    on_a, on_b = Learner(a.port), Learner(b.port)
    on_b.cookies = on_a.cookies
    order = [on_a, on_b, on_a, on_b, on_a]
    for number, browser in enumerate(order, 1):
        status, page = _sign_in(browser, username, f"wrong-guess-{number}")
        assert status == 200, (number, status)
        assert "Too many attempts" not in page
    status, page = _sign_in(on_b, username, "wrong-guess-6")  # the 6th, on B
    assert status == 429 and "Too many attempts to sign in from here" in page
    # A also refuses, even the right password: attempts count before it is checked.
    status, page = _sign_in(on_a, username, PASSWORD)
    assert status == 429 and "Too many attempts to sign in from here" in page
    # The limit is per account and address: another account from this address still
    # signs in (the address's own limit is far higher).
    other = f"two-other-{secrets.token_hex(3)}"
    other_browser = Learner(b.port)
    other_browser.get("/accounts/sign-up/")
    status, _, _ = other_browser.request(
        "POST", "/accounts/sign-up/",
        {"username": other, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert status == 303, status
    status, _ = _sign_in(Learner(b.port), other, PASSWORD)
    assert status == 303, status


@pytest.mark.postgres
@pytest.mark.redis
def test_a_room_joining_at_once_from_one_address_is_let_in(deployment: Deployment) -> None:
    """60 phones behind one address (a university's wifi) join within a moment, spread over
    both machines: right codes never use up the wrong-code limit, even while in flight."""
    from concurrent.futures import ThreadPoolExecutor

    a, b = deployment.a, deployment.b
    fac = Facilitator(a.port, f"two-room-{secrets.token_hex(3)}")
    phones = [Learner((a, b)[i % 2].port) for i in range(60)]
    for phone in phones:
        phone.get("/join/")  # the CSRF cookie first, so the posts below come close together
    gate = threading.Barrier(len(phones))

    def join(phone: Learner) -> int:
        gate.wait(30)
        return phone.request("POST", "/join/", {"code": fac.code, "name": ""})[0]

    with ThreadPoolExecutor(len(phones)) as pool:
        statuses = list(pool.map(join, phones))
    assert statuses == [303] * len(phones), {s: statuses.count(s) for s in set(statuses)}
