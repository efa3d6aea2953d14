"""Archive scan jobs shared by every server process: status in Django's cache, the scan
in a background task, the finished report encrypted.

An upload becomes a job under an unguessable token, tied to the uploading browser's owner
key (see ``services.owner_key``; the cache holds only its hash). The web process moves
the upload's folder to ``job-<token>`` in the private upload area, writes the job's status
to the cache and enqueues :func:`kaleidoscope.web.check.tasks.scan_archive_job` on this
machine's queue (the file is only here). A worker runs :func:`run` (the scan itself in a
child process at a lower priority, ``scan_in_child``: ADR 0018): it publishes progress
to the cache, keeps a heartbeat key alive while it scans, deletes the folder whatever the
outcome, and stores the report **encrypted** with a Fernet key made for this job.

That key is handed to the worker through the cache and deleted by the worker the moment
it takes it; after that it lives only in the owner's browser, in a cookie scoped to the
job's pages (:func:`key_cookie`). So a dump of Redis or of the database never holds a
readable report, and nothing of it reaches a disk. Status and report expire after
``CHECK_RESULT_TTL`` seconds (one hour), as before.

A worker killed mid-scan stops its heartbeat: the job then reads as failed, and
:func:`sweep_leftovers` (run by every worker before each scan, at start-up and by
housekeeping) deletes the folder it left.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
import pickle
import secrets
import shutil
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from functools import partial
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.core.cache import cache

from kaleidoscope.check.archives import ArchiveError
from kaleidoscope.check.records import Finding
from kaleidoscope.check.scan import ScanProgress, ScanSummary, scan_in_child

from . import services

log = logging.getLogger(__name__)
TOKEN_BYTES = 24
KEEP_PER_OWNER = 3  # reports kept per browser (the oldest finished ones go first)
QUEUE_PER_SLOT = 4  # jobs waiting or running per machine: CHECK_MAX_SCANS times this
ACTIVE_TTL = services.STALE_UPLOAD_SECONDS  # the longest a job may wait and run
BEAT_EVERY = 5.0  # seconds between a running scan's heartbeats
BEAT_TTL = 30  # a running job whose heartbeat is older than this has stopped
PUBLISH_EVERY = 0.25  # progress reaches the cache at most this often
FOLDER = "job-"
PREFIX = "check:"


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


def _key(kind: str, token: str) -> str:
    return f"{PREFIX}{kind}:{token}"


def _hash(owner: str) -> str:
    return hashlib.sha256(owner.encode()).hexdigest()


@dataclass
class Job:
    """What the pages show of a job (a snapshot of its status in the cache)."""

    token: str
    owner: str  # the SHA-256 of the owner key, never the key
    filename: str
    size: int
    queue: str = ""
    created: float = field(default_factory=time.time)
    state: State = State.QUEUED
    posts: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    error: str = ""
    stopped: bool = False  # its worker stopped mid-scan (killed, restarted)
    finished: float | None = None

    @property
    def active(self) -> bool:
        return self.state in (State.QUEUED, State.RUNNING)

    @property
    def percent(self) -> int | None:
        if self.bytes_total <= 0:
            return None
        return min(100, int(100 * self.bytes_done / self.bytes_total))

    def save(self, ttl: float) -> None:
        data = asdict(self)
        data["state"] = self.state.value
        cache.set(_key("job", self.token), data, timeout=int(ttl))

    @classmethod
    def load(cls, token: str) -> Job | None:
        data = cache.get(_key("job", token))
        if not isinstance(data, dict):
            return None
        try:
            data["state"] = State(data["state"])
            return cls(**data)
        except (KeyError, TypeError, ValueError):
            return None


# --- in the web process ---------------------------------------------------------------------
def job_folder(token: str) -> Path:
    return services.upload_root() / f"{FOLDER}{token}"


def key_cookie(token: str) -> str:
    """The name of the cookie holding a job's report key (sent only to its pages)."""
    return f"kaleidoscope_report_{token}"


def _alive(token: str) -> Job | None:
    job = Job.load(token)
    if job is not None and job.state is State.RUNNING and _stopped(job):
        return None
    return job if job is not None and job.active else None


def _stopped(job: Job) -> bool:
    return job.state is State.RUNNING and cache.get(_key("beat", job.token)) is None


def start(owner: str, folder: Path, filename: str, size: int) -> tuple[Job, str]:
    """Queue a scan of the one file in ``folder``; return the job and its report key
    (for the owner's cookie). ``folder`` becomes the job's and is deleted when it ends.

    Raises Busy (and deletes the folder) when too many scans wait on this machine. The
    count is read and written without a lock: with several processes it may let one
    more in, never fewer."""
    from . import tasks

    queue = tasks.queue_name()
    active_key = f"{PREFIX}active:{queue}"
    active = [t for t in cache.get(active_key) or [] if _alive(t) is not None]
    if len(active) >= max(1, services.max_scans()) * QUEUE_PER_SLOT:
        services.remove_upload_dir(folder)
        raise Busy()
    _forget_old_reports(owner)
    job = Job(secrets.token_urlsafe(TOKEN_BYTES), _hash(owner), filename, size, queue)
    report_key = Fernet.generate_key().decode()
    # Status first, then the folder's new name: a sweep never sees a job folder without
    # its status.
    job.save(ACTIVE_TTL)
    cache.set(_key("key", job.token), report_key, timeout=ACTIVE_TTL)
    cache.set(active_key, [*active, job.token], timeout=ACTIVE_TTL)
    owned_key = f"{PREFIX}owned:{job.owner}"
    cache.set(owned_key, [*(cache.get(owned_key) or []), job.token],
              timeout=int(ACTIVE_TTL + services.result_ttl()))
    try:
        folder.rename(job_folder(job.token))
        tasks.enqueue(job.token)
    except Exception as exc:  # no database, no queue: the job fails, the file goes
        log.error("archive scan could not be queued: %s", type(exc).__name__)
        services.remove_upload_dir(folder)
        services.remove_upload_dir(job_folder(job.token))
        cache.delete(_key("key", job.token))
        job.state, job.finished = State.FAILED, time.time()
        job.save(services.result_ttl())
    return job, report_key


def _forget_old_reports(owner: str) -> None:
    owned_key = f"{PREFIX}owned:{_hash(owner)}"
    tokens = [t for t in cache.get(owned_key) or [] if Job.load(t) is not None]
    finished = [t for t in tokens if not (job := Job.load(t)) or not job.active]
    for token in finished[: max(0, len(finished) - (KEEP_PER_OWNER - 1))]:
        cache.delete_many([_key("job", token), _key("report", token)])
        tokens.remove(token)
    cache.set(owned_key, tokens, timeout=int(ACTIVE_TTL + services.result_ttl()))


def get(token: str, owner: str) -> Job | None:
    """The job, if ``owner`` (the browser's owner key) uploaded it. A running job whose
    heartbeat has stopped reads as failed."""
    job = Job.load(token)
    if job is None or not owner or not hmac.compare_digest(job.owner, _hash(owner)):
        return None
    if _stopped(job):
        job.state, job.stopped, job.finished = State.FAILED, True, time.time()
        services.remove_upload_dir(job_folder(token))  # if it is on this machine
    return job


def remove(token: str, owner: str) -> bool:
    """Stop the job (its worker sees the flag within a moment) and forget its report."""
    if get(token, owner) is None:
        return False
    cache.set(_key("cancel", token), True, timeout=ACTIVE_TTL)
    cache.delete_many([_key("job", token), _key("report", token), _key("key", token)])
    forget_recent(token)
    return True


_recent: OrderedDict[tuple[str, str], tuple[float, ScanSummary]] = OrderedDict()
_recent_lock = threading.Lock()
RECENT = 4  # reports this process keeps decrypted, for RECENT_SECONDS after their last read
RECENT_SECONDS = 120.0


def report(token: str, report_key: str | None) -> ScanSummary | None:
    """The finished report, decrypted with the key from the owner's cookie.

    A big report takes a moment to decrypt and unpack, and the person pages and filters
    through it: this process keeps the last few it opened, for two minutes, in memory
    only. Callers check the owner with :func:`get` first, so a deleted report (its status
    gone) is never served from here."""
    if not report_key:
        return None
    slot = (token, hashlib.sha256(report_key.encode()).hexdigest())
    now = time.monotonic()
    with _recent_lock:
        for stale in [k for k, (t, _) in _recent.items() if now - t > RECENT_SECONDS]:
            del _recent[stale]
        if slot in _recent:
            _recent.move_to_end(slot)
            _recent[slot] = (now, _recent[slot][1])
            return _recent[slot][1]
    summary = _decrypt(token, report_key)
    if summary is not None:
        with _recent_lock:
            _recent[slot] = (now, summary)
            while len(_recent) > RECENT:
                _recent.popitem(last=False)
    return summary


def forget_recent(token: str) -> None:
    with _recent_lock:
        for slot in [k for k in _recent if k[0] == token]:
            del _recent[slot]


def _decrypt(token: str, report_key: str) -> ScanSummary | None:
    blob = cache.get(_key("report", token))
    if not isinstance(blob, bytes):
        return None
    try:
        data = Fernet(report_key.encode()).decrypt(blob)
    except (InvalidToken, ValueError):
        return None
    try:
        # Only bytes this app encrypted with this key get here (Fernet authenticates them).
        summary = pickle.loads(zlib.decompress(data))
    except (zlib.error, pickle.UnpicklingError, AttributeError, EOFError):
        return None  # written by another release of the app: treat as expired
    return summary if isinstance(summary, ScanSummary) else None


# --- in the worker ----------------------------------------------------------------------------
class _Heartbeat:
    """Keeps ``check:beat:<token>`` alive from a thread while the scan runs."""

    def __init__(self, token: str) -> None:
        self.key = _key("beat", token)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="scan-heartbeat", daemon=True)

    def _run(self) -> None:
        while True:
            try:
                cache.set(self.key, True, timeout=BEAT_TTL)
            except Exception as exc:  # the cache is briefly away: try again next beat
                log.warning("scan heartbeat failed: %s", type(exc).__name__)
            if self.stop.wait(BEAT_EVERY):
                return

    def __enter__(self) -> _Heartbeat:
        cache.set(self.key, True, timeout=BEAT_TTL)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        # The key stays until it expires: the outcome is published after this, and until
        # then the job must not read as stopped.
        self.stop.set()
        self.thread.join(BEAT_EVERY + 1)


def cancelled(token: str) -> bool:
    return bool(cache.get(_key("cancel", token)))


def run(token: str) -> None:
    """Scan the job's archive (called by the task, in a worker on this machine)."""
    sweep_leftovers()
    folder = job_folder(token)
    report_key = cache.get(_key("key", token))
    cache.delete(_key("key", token))  # from now on only the worker and the owner hold it
    job = Job.load(token)
    active_key = f"{PREFIX}active:{job.queue}" if job else ""
    try:
        if job is None or not job.active or not report_key or cancelled(token):
            return  # deleted (or expired) before its turn came
        _scan(job, folder, str(report_key))
    finally:
        # Delete the upload before publishing the outcome: a page that shows a finished
        # job tells the person their file is already gone, so it must be.
        services.remove_upload_dir(folder)
        if job is not None:
            _publish_outcome(job)
            tokens = cache.get(active_key) or []
            if token in tokens:
                cache.set(active_key, [t for t in tokens if t != token], timeout=ACTIVE_TTL)


def _scan(job: Job, folder: Path, report_key: str) -> None:
    last = 0.0

    def progress(p: ScanProgress) -> None:
        nonlocal last
        job.posts, job.bytes_done, job.bytes_total = p.posts, p.bytes_done, p.bytes_total
        now = time.monotonic()
        if now - last >= PUBLISH_EVERY:
            last = now
            if cancelled(job.token):
                raise Cancelled()
            job.save(ACTIVE_TTL)

    final = State.FAILED
    path: Path | None = None
    try:
        path = next(p for p in folder.iterdir() if p.is_file())
        with _Heartbeat(job.token):
            job.state = State.RUNNING
            job.save(ACTIVE_TTL)
            summary = scan_in_child(path, progress=progress)
            summary.source = job.filename
            blob = Fernet(report_key.encode()).encrypt(zlib.compress(_pickle(summary), 1))
            if not cancelled(job.token):
                cache.set(_key("report", job.token), blob, timeout=int(services.result_ttl()))
        final = State.DONE
    except Cancelled:
        final = State.CANCELLED
    except ArchiveError as exc:
        # The message is written for the person; it names our temp path, not theirs.
        message = str(exc)
        if path is not None:
            message = message.replace(str(path), job.filename)
        job.error = message.replace(f"{folder}/", "").replace(str(folder), "")
    except (MemoryError, StopIteration, OSError):
        job.error = ""
    except Exception as exc:  # never let a scan take the worker down
        log.error("archive scan failed: %s", type(exc).__name__)  # no content, no name
        job.error = ""
    job.state = final


def _lazy_finding(cls: type[Finding], values: dict[str, object], make: object) -> Finding:
    finding = cls(**values)  # type: ignore[arg-type]
    object.__setattr__(finding, "_make", make)
    return finding


class _ReportPickler(pickle.Pickler):
    """Pickles a report without writing every safer version first.

    The checker gives each finding its safer version lazily (it is the slowest part of a
    check, and a report shows 50 findings a page): the finding holds a picklable
    ``functools.partial`` that writes it on first read. Plain pickling reads every one
    (seconds for a few thousand flagged posts); this keeps the partial instead, so the
    report page writes only those it shows. Anything else pickles as usual."""

    def reducer_override(self, obj: object) -> object:
        make = getattr(obj, "_make", None) if isinstance(obj, Finding) else None
        if not isinstance(make, partial):
            return NotImplemented
        values = {f.name: getattr(obj, f.name) for f in fields(Finding) if f.name != "rewrite"}
        return _lazy_finding, (type(obj), values, make)


def _pickle(summary: ScanSummary) -> bytes:
    out = io.BytesIO()
    _ReportPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(summary)
    return out.getvalue()


def _publish_outcome(job: Job) -> None:
    if cancelled(job.token):
        cache.delete_many([_key("job", job.token), _key("report", job.token)])
        return
    if job.active:  # it never started (the key or the file was missing)
        job.state = State.FAILED
    job.finished = time.time()
    job.save(services.result_ttl())


def sweep_leftovers(startup: bool = False) -> int:
    """Delete upload folders nobody will scan: a job's whose status is gone, finished or
    stopped (its worker was killed), and half-received uploads older than any upload
    takes. With a per-process cache (no Redis) a job's status is only visible to the
    process that made it, so job folders are then judged by age alone, except at
    ``startup`` (nothing of this process is running yet). Returns how many went."""
    shared = not services.local_cache()
    removed = 0
    try:
        root = services.upload_root()
        cutoff = time.time() - services.STALE_UPLOAD_SECONDS
        for entry in root.iterdir():
            old = entry.stat().st_mtime < cutoff
            if entry.name.startswith(FOLDER):
                token = entry.name[len(FOLDER):]
                job = Job.load(token) if shared else None
                leftover = (
                    old or (shared and (job is None or not job.active or _stopped(job)))
                    or (startup and not shared)
                )
            else:
                leftover = entry.name.startswith("upload-") and old
            if leftover:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    except OSError:
        pass  # a read-only data directory must not stop the app
    return removed

