"""Archive scans in background threads, with results kept in memory only.

Each upload becomes a :class:`Job` under an unguessable token, tied to the uploading
browser's owner key (see ``services.owner_key``). The scan runs in a daemon thread; at most
``CHECK_MAX_SCANS`` run at once (others wait their turn), so page requests keep their
threads. The uploaded file is deleted as soon as its scan ends, whatever the outcome.
Finished jobs expire after ``CHECK_RESULT_TTL`` seconds; nothing is written to the
database or to a log.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kaleidoscope.check.archives import ArchiveError
from kaleidoscope.check.scan import ScanProgress, ScanSummary, scan_archive

from . import services

log = logging.getLogger(__name__)
TOKEN_BYTES = 24
KEEP_PER_OWNER = 3
MAX_FINISHED = 50  # reports kept in memory for all browsers together (oldest go first)
QUEUE_PER_SLOT = 4


class State(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Cancelled(Exception):
    """Raised inside the scan (from its progress callback) to stop it early."""


class Busy(Exception):
    """Too many scans are waiting already."""


@dataclass
class Job:
    token: str
    owner: str
    filename: str
    size: int
    created: float = field(default_factory=time.monotonic)
    state: State = State.QUEUED
    posts: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    summary: ScanSummary | None = None
    error: str = ""
    finished: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def active(self) -> bool:
        return self.state in (State.QUEUED, State.RUNNING)

    @property
    def percent(self) -> int | None:
        if self.bytes_total <= 0:
            return None
        return min(100, int(100 * self.bytes_done / self.bytes_total))


class JobStore:
    def __init__(self, slots: int, ttl: float) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max(1, slots))
        self._max_active = max(1, slots) * QUEUE_PER_SLOT
        self.ttl = ttl

    # -- lookup ----------------------------------------------------------------------------
    def get(self, token: str, owner: str) -> Job | None:
        self.sweep()
        with self._lock:
            job = self._jobs.get(token)
        if job is None or not owner or not hmac.compare_digest(job.owner, owner):
            return None
        return job

    def remove(self, token: str, owner: str) -> bool:
        job = self.get(token, owner)
        if job is None:
            return False
        job.cancel.set()
        with self._lock:
            self._jobs.pop(token, None)
        job.summary = None
        return True

    def sweep(self) -> None:
        """Forget finished jobs older than the time-to-live."""
        now = time.monotonic()
        with self._lock:
            for token in [
                t for t, j in self._jobs.items()
                if j.finished is not None and now - j.finished > self.ttl
            ]:
                del self._jobs[token]

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    # -- starting --------------------------------------------------------------------------
    def start(self, owner: str, path: Path, folder: Path, filename: str, size: int) -> Job:
        """Queue a scan of ``path``; ``folder`` (holding it) is deleted when it ends.

        Raises Busy (and deletes the folder) when too many scans are waiting already."""
        self.sweep()
        with self._lock:
            active = sum(1 for j in self._jobs.values() if j.active)
            if active >= self._max_active:
                services.remove_upload_dir(folder)
                raise Busy()
            mine = sorted(
                (j for j in self._jobs.values() if j.owner == owner and not j.active),
                key=lambda j: j.created,
            )
            for old in mine[: max(0, len(mine) - (KEEP_PER_OWNER - 1))]:
                del self._jobs[old.token]
            done = sorted((j for j in self._jobs.values() if not j.active),
                          key=lambda j: j.created)
            for old in done[: max(0, len(done) - (MAX_FINISHED - 1))]:
                del self._jobs[old.token]
            job = Job(secrets.token_urlsafe(TOKEN_BYTES), owner, filename, size)
            self._jobs[job.token] = job
        thread = threading.Thread(
            target=self._run, args=(job, path, folder), name="archive-scan", daemon=True
        )
        try:
            thread.start()
        except RuntimeError:  # cannot start a thread: fail the job, never keep the file
            services.remove_upload_dir(folder)
            job.state, job.error, job.finished = State.FAILED, "", time.monotonic()
        return job

    def _run(self, job: Job, path: Path, folder: Path) -> None:
        def progress(p: ScanProgress) -> None:
            job.posts, job.bytes_done, job.bytes_total = p.posts, p.bytes_done, p.bytes_total
            if job.cancel.is_set():
                raise Cancelled()

        final = State.FAILED
        try:
            with self._slots:
                if job.cancel.is_set():
                    raise Cancelled()
                job.state = State.RUNNING
                summary = scan_archive(path, progress=progress)
            summary.source = job.filename
            job.summary = summary
            final = State.DONE
        except Cancelled:
            final = State.CANCELLED
        except ArchiveError as exc:
            # The message is written for the person; it names our temp path, not theirs.
            job.error = str(exc).replace(str(path), job.filename).replace(f"{folder}/", "")
        except MemoryError:
            job.error = ""
        except Exception as exc:  # never let a scan take the server down
            log.error("archive scan failed: %s", type(exc).__name__)  # no content, no name
            job.error = ""
        finally:
            # Delete the upload before publishing the outcome: a page that shows a finished
            # job tells the person their file is already gone, so it must be.
            services.remove_upload_dir(folder)
            job.finished = time.monotonic()
            if job.cancel.is_set():
                job.summary = None
            job.state = final


_store: JobStore | None = None
_store_lock = threading.Lock()


def store() -> JobStore:
    global _store
    with _store_lock:
        if _store is None:
            _store = JobStore(services.max_scans(), services.result_ttl())
        return _store
