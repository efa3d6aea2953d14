"""Deliver the outbox: xAPI statements to the LRS, scores to LTI platforms (AGS).

One sender per deployment delivers items oldest first. While a receiver is down (no
answer, 5xx, 429) the sender waits with exponential backoff and tries the same head
again, so nothing is lost and nothing overtakes. A 4xx answer about one statement marks
that statement ``rejected`` with the answer kept for inspection (never retried); a 4xx
about the whole request (401, 403, 404: our configuration) is retried with backoff up to
``XAPI_MAX_ATTEMPTS`` times, then rejected. Statement ids are stable, so a statement sent
twice (a crash between the LRS's answer and our commit) is stored once.

Log lines name the item's id and the receiver's status, never a learner.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from .models import OutboxItem

log = logging.getLogger("kaleidoscope.lms")

BATCH = 50
LEASE_KEY = "lms:outbox-sender"
LEASE_SECONDS = 30
_RETRY_ALWAYS = {408, 425, 429}
_STATEMENT_FAULTS = {400, 409, 413, 422}


@dataclass
class Round:
    """What one round of sending did."""

    sent: int = 0
    rejected: int = 0
    failed: bool = False
    errors: list[str] = field(default_factory=list)


def _headers() -> dict[str, str]:
    return {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


def _auth() -> tuple[str, str] | None:
    user = settings.XAPI_USERNAME
    return (user, settings.XAPI_PASSWORD) if user else None


def _mark(items: list[OutboxItem], state: str, error: str = "") -> None:
    """One UPDATE for the lot (on SQLite, queued with the web's writers: no busy waits)."""
    from kaleidoscope.web.learn.services import write_transaction

    now = timezone.now() if state == OutboxItem.SENT else None
    with write_transaction():
        OutboxItem.objects.filter(pk__in=[i.pk for i in items]).update(
            state=state, attempts=F("attempts") + 1, last_error=error[:500], sent_at=now
        )
    for item in items:
        item.state, item.attempts, item.last_error = state, item.attempts + 1, error[:500]


def _post(session: requests.Session, statements: list[dict[str, Any]]) -> requests.Response:
    return session.post(
        settings.XAPI_ENDPOINT.rstrip("/") + "/statements",
        json=statements,
        headers=_headers(),
        auth=_auth(),
        timeout=settings.XAPI_TIMEOUT,
    )


def _answer(response: requests.Response) -> str:
    return f"{response.status_code} {response.text[:400]}"


def send_xapi_round(session: requests.Session, batch: int = BATCH) -> Round:
    """Send the oldest pending statements (one POST); stop at the first failure."""
    result = Round()
    items = list(
        OutboxItem.objects.filter(kind=OutboxItem.XAPI, state=OutboxItem.PENDING).order_by("id")[
            :batch
        ]
    )
    if not items:
        return result
    try:
        response = _post(session, [i.payload for i in items])
    except requests.RequestException as exc:
        _note_failure(items[:1], f"unreachable: {type(exc).__name__}")
        result.failed = True
        return result
    if response.ok:
        _mark(items, OutboxItem.SENT)
        result.sent = len(items)
        return result
    status = response.status_code
    if status >= 500 or status in _RETRY_ALWAYS:
        _note_failure(items[:1], _answer(response))
        result.failed = True
        return result
    if status not in _STATEMENT_FAULTS:  # our configuration: retry, but not forever
        head = items[0]
        if head.attempts + 1 >= settings.XAPI_MAX_ATTEMPTS:
            _mark(items, OutboxItem.REJECTED, _answer(response))
            log.error("xAPI: LRS answered %s %d times; %d statement(s) kept as rejected",
                      status, settings.XAPI_MAX_ATTEMPTS, len(items))  # fmt: skip
            result.rejected = len(items)
        else:
            _note_failure(items[:1], _answer(response))
            result.failed = True
        return result
    # One statement (or more) is at fault: send one by one, in order, to find it.
    for item in items:
        try:
            single = _post(session, [item.payload])
        except requests.RequestException as exc:
            _note_failure([item], f"unreachable: {type(exc).__name__}")
            result.failed = True
            return result
        if single.ok:
            _mark([item], OutboxItem.SENT)
            result.sent += 1
        elif single.status_code in _STATEMENT_FAULTS:
            _mark([item], OutboxItem.REJECTED, _answer(single))
            log.warning("xAPI: LRS rejected outbox item %d (%d); kept for inspection",
                        item.pk, single.status_code)  # fmt: skip
            result.rejected += 1
        else:
            _note_failure([item], _answer(single))
            result.failed = True
            return result
    return result


def _note_failure(items: list[OutboxItem], error: str) -> None:
    from kaleidoscope.web.learn.services import write_transaction

    with write_transaction():
        OutboxItem.objects.filter(pk__in=[i.pk for i in items]).update(
            attempts=F("attempts") + 1, last_error=error[:500]
        )
    for item in items:
        item.attempts += 1
        item.last_error = error[:500]
    log.warning("xAPI/AGS: receiver not available (%s); will retry", error.split(" ", 1)[0])


def send_grades_round(batch: int = BATCH) -> Round:
    """Send pending scores to their platforms (AGS), oldest first."""
    from lti_tool.models import LtiDeployment  # type: ignore[import-untyped]
    from pylti1p3.assignments_grades import AssignmentsGradesService
    from pylti1p3.exception import LtiException, LtiServiceException
    from pylti1p3.grade import Grade
    from pylti1p3.service_connector import ServiceConnector

    result = Round()
    items = list(
        OutboxItem.objects.filter(kind=OutboxItem.GRADE, state=OutboxItem.PENDING).order_by("id")[
            :batch
        ]
    )
    for item in items:
        data = item.payload
        deployment = (
            LtiDeployment.objects.select_related("registration").filter(pk=item.target).first()
        )
        if deployment is None or not deployment.registration.is_active:
            _mark([item], OutboxItem.REJECTED, "the platform is no longer registered")
            result.rejected += 1
            continue
        grade = (
            Grade()
            .set_score_given(data["score_given"])
            .set_score_maximum(data["score_maximum"])
            .set_timestamp(data["timestamp"])
            .set_activity_progress(data["activity_progress"])
            .set_grading_progress(data["grading_progress"])
            .set_user_id(data["user_id"])
        )
        service = AssignmentsGradesService(
            ServiceConnector(deployment.registration.to_registration()), data["ags"]
        )
        try:
            service.put_grade(grade)
        except LtiServiceException as exc:
            status = exc.response.status_code
            if 400 <= status < 500 and status not in _RETRY_ALWAYS:
                _mark([item], OutboxItem.REJECTED, f"{status} {exc.response.text[:400]}")
                log.warning("AGS: platform rejected outbox item %d (%d)", item.pk, status)
                result.rejected += 1
                continue
            _note_failure([item], f"{status}")
            result.failed = True
            return result
        except (requests.RequestException, LtiException) as exc:
            _note_failure([item], f"unreachable: {type(exc).__name__}")
            result.failed = True
            return result
        _mark([item], OutboxItem.SENT)
        result.sent += 1
    return result


# --- the background sender -----------------------------------------------------------------
# The sender runs in its own process, never in a web process's threads: there it would
# take the GIL (decoding and encoding statements) and, on SQLite, the web's write lock (its
# "sent" marks) from the play steps. The web process starts it (``kaleidoscope lms send
# --parent PID``, a child that leaves when its parent does) on the first outbox write
# after start-up, unless KALEIDOSCOPE_XAPI_SENDER=off says it runs as a service of its own.
_wake = threading.Event()
_started = threading.Lock()
_child: subprocess.Popen[bytes] | None = None
_me = f"{os.getpid()}-{id(_wake)}"
POLL_SECONDS = 1.0  # the child's look at the outbox: a step never waits for it


def wake() -> None:
    """Called after a transaction that wrote to the outbox commits: make sure a sender runs
    (it finds the new items within POLL_SECONDS). Also wakes an in-process loop (tests)."""
    _wake.set()
    ensure_sender()


def ensure_sender() -> None:
    """Start this web process's sender child once (and again if it died)."""
    global _child
    if not settings.XAPI_SENDER_CHILD:
        return
    with _started:
        if _child is not None and _child.poll() is None:
            return
        _child = subprocess.Popen(
            [sys.executable, "-m", "kaleidoscope.cli", "lms", "send",
             "--parent", str(os.getpid()), "--interval", str(POLL_SECONDS)],
            stdin=subprocess.DEVNULL,
            close_fds=True,
        )  # fmt: skip


def _hold_lease() -> bool:
    """One sender per deployment (processes share the cache: Redis when there are several)."""
    if cache.add(LEASE_KEY, _me, LEASE_SECONDS):
        return True
    if cache.get(LEASE_KEY) == _me:
        cache.touch(LEASE_KEY, LEASE_SECONDS)
        return True
    return False


def send_round(session: requests.Session) -> Round:
    """One round: statements first (if an LRS is configured), then grades."""
    total = Round()
    if settings.XAPI_ENDPOINT:
        part = send_xapi_round(session)
        total.sent += part.sent
        total.rejected += part.rejected
        total.failed |= part.failed
    grades = send_grades_round()
    total.sent += grades.sent
    total.rejected += grades.rejected
    total.failed |= grades.failed
    return total


def run_forever(
    stop: threading.Event | None = None, idle: float = 5.0, parent: int | None = None
) -> None:
    """Send while there is work; back off while a receiver is down; sleep ``idle`` seconds
    when there is none. ``parent``: stop when that process has gone (a web process's child)."""
    delay = settings.XAPI_RETRY_BASE
    session = requests.Session()
    stop = stop or threading.Event()
    while not stop.is_set():
        if parent is not None and os.getppid() != parent:
            return
        wait, backoff = idle, False
        try:
            close_old_connections()
            if _hold_lease():
                result = send_round(session)
                if result.failed:
                    wait, backoff = delay, True
                    delay = min(delay * 2, settings.XAPI_RETRY_MAX)
                else:
                    delay = settings.XAPI_RETRY_BASE
                    if result.sent + result.rejected >= BATCH:
                        wait = 0  # a full batch: more may be waiting (else let the next
                        # ones gather: fewer rounds, fewer writes beside the web's)
        except Exception:  # a locked database, a bug: keep the loop, try again later
            log.exception("outbox sender round failed")
            wait, backoff = delay, True
        if wait:
            connection.close()  # do not hold a connection while waiting
        # A receiver down: new moves must not cut the wait short. A child looks for its
        # parent at least every POLL_SECONDS, even through a long back-off.
        event = stop if backoff else _wake
        until = time.monotonic() + wait
        while wait > 0 and not stop.is_set():
            left = until - time.monotonic()
            if left <= 0 or (parent is not None and os.getppid() != parent):
                break
            if event.wait(min(left, POLL_SECONDS) if parent is not None else left):
                break
        _wake.clear()
