"""Check a whole archive: stream its posts through the checker, summarise, export.

Reusable API (no terminal needed): ``scan_archive(path) -> ScanSummary``;
``summary_json``, ``write_jsonl``, ``write_csv`` and ``report.render_report_html``.
CLI glue: ``run_archive_check`` (used by ``kaleidoscope check ARCHIVE``).
"""

from __future__ import annotations

import csv
import gc
import json
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from kaleidoscope.check.archives import ArchiveError, Limits, SkipReason, open_archive
from kaleidoscope.check.records import (
    Category,
    Finding,
    Platform,
    Post,
    PostKind,
    Result,
    Severity,
)

CheckFn = Callable[[Post], Result]
FORMATS = ("text", "json", "jsonl", "csv")
PROGRESS_EVERY = 1000
SEVERITIES_DOWN = (Severity.HIGH, Severity.MEDIUM, Severity.LOW)
# Posts are checked by several processes (one per core) once an archive has this many
# to check; fewer are checked here (starting processes would cost more than it saves).
WORKERS_ENV = "KALEIDOSCOPE_SCAN_WORKERS"  # how many; 1 checks every post in this process
PARALLEL_FROM = 2000
CHUNK = 500  # posts sent to a process at a time


@dataclass(frozen=True, slots=True)
class ScanProgress:
    posts: int
    bytes_done: int
    bytes_total: int


ProgressFn = Callable[[ScanProgress], None]


@dataclass(slots=True)
class ScanSummary:
    """Everything a report needs; only posts with findings are kept."""

    source: str
    platform: Platform
    platform_label: str
    posts_by_kind: dict[PostKind, int]
    skipped: list[SkipReason]
    flagged: list[Result]
    seconds: float
    first: datetime | None = None
    last: datetime | None = None
    findings: dict[Category, dict[Severity, int]] = field(default_factory=dict)

    @property
    def reposts(self) -> int:
        return self.posts_by_kind.get(PostKind.REPOST, 0)

    @property
    def checked(self) -> int:
        return sum(n for k, n in self.posts_by_kind.items() if k is not PostKind.REPOST)

    @property
    def skipped_total(self) -> int:
        return sum(r.count for r in self.skipped)

    @property
    def findings_total(self) -> int:
        return sum(sum(by.values()) for by in self.findings.values())

    def posts_at_or_above(self, severity: Severity) -> int:
        return sum(1 for r in self.flagged if r.severity.rank >= max(severity.rank, 1))

    def findings_at_or_above(self, severity: Severity) -> int:
        return sum(
            n for by in self.findings.values() for s, n in by.items() if s.rank >= severity.rank
        )

    def risky_by_month(self) -> dict[str, int]:
        """Posts with at least one finding, per "YYYY-MM" (months without posts: 0)."""
        counts = Counter(
            r.post.created_at.strftime("%Y-%m") for r in self.flagged if r.post.created_at
        )
        if not counts:
            return {}
        first, last = min(counts), max(counts)
        year, month = int(first[:4]), int(first[5:])
        months: dict[str, int] = {}
        while (key := f"{year:04d}-{month:02d}") <= last:
            months[key] = counts.get(key, 0)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


def _default_check() -> CheckFn:
    import importlib

    module = importlib.import_module("kaleidoscope.check.checker")
    check_post: CheckFn = module.check_post
    return check_post


def default_workers() -> int:
    """Processes an archive scan checks posts in: WORKERS_ENV if set, else the cores this
    process may run on."""
    named = os.environ.get(WORKERS_ENV, "").strip()
    if named.isdigit() and int(named) > 0:
        return int(named)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _check_chunk(posts: list[Post]) -> list[tuple[int, list[Finding], list[str]]]:
    """In a worker process: the findings of each flagged post, by its place in ``posts``
    (the posts themselves stay with the caller)."""
    from kaleidoscope.check.checker import check_post

    out = []
    for i, post in enumerate(posts):
        result = check_post(post)
        if result.findings:
            out.append((i, result.findings, result.amplifiers))
    return out


class _Checks:
    """Posts in, flagged results out, in the posts' order: checked here (one worker, a
    custom check or a small archive), or by a pool of processes, CHUNK posts at a time,
    once PARALLEL_FROM posts wait."""

    def __init__(self, check: CheckFn | None, workers: int) -> None:
        self._check = check or _default_check()
        self._parallel = check is None and workers > 1
        self._workers = workers
        self._waiting: list[Post] = []
        self._pool: ProcessPoolExecutor | None = None
        self._sent: deque[tuple[list[Post], Future[list[tuple[int, list[Finding], list[str]]]]]]
        self._sent = deque()

    def add(self, post: Post) -> Iterator[Result]:
        if not self._parallel:
            result = self._check(post)
            if result.findings:
                yield result
            return
        waiting = self._waiting
        waiting.append(post)
        if len(waiting) < CHUNK or (self._pool is None and len(waiting) < PARALLEL_FROM):
            return
        while len(waiting) >= CHUNK:
            self._send(waiting[:CHUNK])
            del waiting[:CHUNK]
        # results as they come, in order; wait only when too many chunks are out
        while self._sent and (self._sent[0][1].done() or len(self._sent) > 2 * self._workers):
            yield from self._receive()

    def finish(self) -> Iterator[Result]:
        if self._pool is None:  # a small archive: checked here
            for post in self._waiting:
                result = self._check(post)
                if result.findings:
                    yield result
            self._waiting = []
            return
        if self._waiting:
            self._send(self._waiting)
            self._waiting = []
        while self._sent:
            yield from self._receive()

    def close(self) -> None:
        if self._pool is not None:
            for _, future in self._sent:
                future.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _send(self, posts: list[Post]) -> None:
        if self._pool is None:
            self._pool = _start_pool(self._workers)
        self._sent.append((posts, self._pool.submit(_check_chunk, posts)))

    def _receive(self) -> Iterator[Result]:
        posts, future = self._sent.popleft()
        for i, findings, amplifiers in future.result():
            yield Result(post=posts[i], findings=findings, amplifiers=amplifiers)


def _start_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes forked from this one where the platform can: the rules and the
    model, loaded here first, are then shared rather than read again by each."""
    from kaleidoscope.check.entities import entity_rules
    from kaleidoscope.check.model import load_model
    from kaleidoscope.check.rules import load_rules

    load_model()  # a missing or broken model raises here, as the first check would
    load_rules()
    entity_rules()
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_gc)


def _worker_gc() -> None:
    """In a worker: what it was forked with (rules, model, modules) is never garbage, so
    the collector leaves it alone (fewer pages copied, less time), and collects the
    short-lived objects of each check less often."""
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


# While a scan runs, the collector leaves alone what existed before it (rules, model,
# modules: never garbage) and runs a full collection far less often. A scan keeps every
# flagged result, so the old generations grow, and each full collection walked all of
# them: on a 100,000-post archive the scanning process spent 2.5 of its 8.5 s of CPU
# there. Counted, so that scans in several threads restore the settings once, at the end.
_SCAN_GC = (50_000, 20, 1_000)
_GC_LOCK = threading.Lock()
_GC_STATE: list[Any] = [0, None]  # scans running, thresholds before the first


@contextmanager
def _fewer_collections() -> Iterator[None]:
    with _GC_LOCK:
        if _GC_STATE[0] == 0:
            _GC_STATE[1] = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(*_SCAN_GC)
        _GC_STATE[0] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE[0] -= 1
            if _GC_STATE[0] == 0:
                gc.set_threshold(*_GC_STATE[1])
                gc.unfreeze()


def scan_archive(
    path: Path,
    *,
    progress: ProgressFn | None = None,
    limits: Limits | None = None,
    check: CheckFn | None = None,
    scratch_root: Path | None = None,
    workers: int | None = None,
) -> ScanSummary:
    """Read ``path`` (zip, tar.gz, folder or one export file) and check every own post.

    Raises ``ArchiveError`` (with a message for the user) when the input is unusable.
    Reposts are counted but not checked: they are not the person's words. A tar's entries
    are copied into a private folder under ``scratch_root`` while it is read. Posts are
    checked in ``workers`` processes (default: `default_workers`) when there are many and
    ``check`` is the checker's own; the summary is the same however many check them.
    """
    with _fewer_collections():
        return _scan(path, progress, limits, check, scratch_root, workers)


def _scan(
    path: Path,
    progress: ProgressFn | None,
    limits: Limits | None,
    check: CheckFn | None,
    scratch_root: Path | None,
    workers: int | None,
) -> ScanSummary:
    checks = _Checks(check, default_workers() if workers is None else workers)
    started = time.perf_counter()
    kinds: Counter[PostKind] = Counter()
    flagged: list[Result] = []
    findings: dict[Category, Counter[Severity]] = {}
    first: datetime | None = None
    last: datetime | None = None

    def keep(results: Iterator[Result]) -> None:
        for result in results:
            flagged.append(result)
            for finding in result.findings:
                findings.setdefault(finding.category, Counter())[finding.severity] += 1

    with open_archive(Path(path), limits=limits, scratch_root=scratch_root) as archive:
        count = 0
        try:
            for post in archive.posts():
                count += 1
                kinds[post.kind] += 1
                if post.created_at is not None:
                    first = post.created_at if first is None else min(first, post.created_at)
                    last = post.created_at if last is None else max(last, post.created_at)
                if post.kind is not PostKind.REPOST:
                    keep(checks.add(post))
                if progress is not None and count % PROGRESS_EVERY == 0:
                    progress(ScanProgress(count, archive.bytes_done, archive.bytes_total))
            keep(checks.finish())
        finally:
            checks.close()
        if progress is not None:
            progress(ScanProgress(count, archive.bytes_total, archive.bytes_total))
        flagged.sort(key=_order)
        return ScanSummary(
            source=Path(path).name,
            platform=archive.platform,
            platform_label=archive.label,
            posts_by_kind={k: kinds[k] for k in PostKind if kinds[k]},
            skipped=archive.skips.reasons,
            flagged=flagged,
            seconds=time.perf_counter() - started,
            first=first,
            last=last,
            findings={c: dict(findings[c]) for c in Category if c in findings},
        )


class ScanFailedError(RuntimeError):
    """The scan's process failed or died; the message is the error's type only (never
    what it said, which could quote the archive)."""


SCAN_NICENESS = 10  # how much lower than the server the scan's process runs


def scan_in_child(
    path: Path,
    *,
    progress: ProgressFn | None = None,
    limits: Limits | None = None,
    scratch_root: Path | None = None,
    workers: int | None = None,
    niceness: int = SCAN_NICENESS,
) -> ScanSummary:
    """`scan_archive` in a process of its own, at a lower priority, for a server.

    A scan is seconds of CPU-bound Python: run in a server's thread, it holds the
    interpreter lock against every page that process serves, and the pages wait. In a
    child (a fresh interpreter, ``spawn``: never forked from a threaded server, and with
    the environment of the moment) it shares only the cores, and the operating system
    serves the pages first.
    Progress comes back through a pipe and ``progress`` is called here, so it may raise
    to stop the scan: the child is then killed. An ``ArchiveError`` is raised again
    here with its message; any other failure, or a child that dies (killed for memory),
    raises ``ScanFailedError``.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_scan_child,
        args=(sender, Path(path), limits, scratch_root, workers, niceness),
        name="kaleidoscope-scan",
    )
    child.start()
    sender.close()
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                raise ScanFailedError(f"the scan's process ended (exit {child.exitcode})") from None
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "done":
                summary: ScanSummary = value
                return summary
            elif kind == "archive":
                raise value
            else:
                raise ScanFailedError(str(value))
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)


def _scan_child(
    sender: Any,
    path: Path,
    limits: Limits | None,
    scratch_root: Path | None,
    workers: int | None,
    niceness: int,
) -> None:
    parent = multiprocessing.parent_process()
    if parent is not None:  # the server killed (kill -9): stop at once, as its thread would
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    with suppress(OSError):  # not allowed here: the scan runs at the server's priority
        os.nice(niceness)
    try:
        summary = scan_archive(
            path,
            progress=lambda p: sender.send(("progress", p)),
            limits=limits,
            scratch_root=scratch_root,
            workers=workers,
        )
    except ArchiveError as exc:
        sender.send(("archive", exc))
    except BaseException as exc:  # reported by its type, never its text
        sender.send(("failed", type(exc).__name__))
    else:
        sender.send(("done", summary))
    finally:
        sender.close()


def _order(result: Result) -> tuple[int, float]:
    created = result.post.created_at
    return (-result.severity.rank, -(created.timestamp() if created else 0.0))


# --------------------------------------------------------------------------- export shapes


def finding_json(finding: Finding) -> dict[str, Any]:
    first = finding.spans[0] if finding.spans else None
    return {
        "category": finding.category.value,
        "severity": finding.severity.value,
        "start": first.start if first else None,
        "end": first.end if first else None,
        "quote": first.quote if first else "",
        "spans": [{"start": s.start, "end": s.end, "quote": s.quote} for s in finding.spans],
        "why": finding.why,
        "guidance": list(finding.guidance),
        "rewrite": finding.rewrite,
    }


def result_json(result: Result) -> dict[str, Any]:
    post = result.post
    return {
        "id": post.id,
        "platform": post.platform.value if post.platform else None,
        "kind": post.kind.value,
        "audience": post.audience.value if post.audience else None,
        "created_at": post.created_at.isoformat() if post.created_at else None,
        "url": post.url,
        "source": post.source,
        "text": post.text,
        "labels": result.labels,
        "severity": result.severity.value,
        "amplifiers": list(result.amplifiers),
        "findings": [finding_json(f) for f in result.findings],
    }


def summary_json(summary: ScanSummary, *, include_posts: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "archive": summary.source,
        "platform": summary.platform.value,
        "posts": {k.value: n for k, n in summary.posts_by_kind.items()},
        "checked": summary.checked,
        "reposts": summary.reposts,
        "first": summary.first.isoformat() if summary.first else None,
        "last": summary.last.isoformat() if summary.last else None,
        "skipped": [
            {"reason": r.reason, "count": r.count, "where": list(r.examples)}
            for r in summary.skipped
        ],
        "findings": {
            c.value: {s.value: n for s, n in by.items()} for c, by in summary.findings.items()
        },
        "flagged_posts": len(summary.flagged),
        "risky_by_month": summary.risky_by_month(),
        "seconds": round(summary.seconds, 3),
    }
    if include_posts:
        data["results"] = [result_json(r) for r in summary.flagged]
    return data


def write_jsonl(summary: ScanSummary, out: IO[str]) -> None:
    for result in summary.flagged:
        out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")


CSV_COLUMNS = ("id", "created_at", "platform", "kind", "url", "source", "category", "severity",
               "start", "end", "quote", "why", "guidance", "rewrite", "text")


def write_csv(summary: ScanSummary, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for result in summary.flagged:
        post = result_json(result)
        for finding in post["findings"]:
            row = {**post, **finding, "guidance": ";".join(finding["guidance"])}
            writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])


# --------------------------------------------------------------------------- terminal


def print_summary(summary: ScanSummary, console: Console) -> None:
    span = ""
    if summary.first and summary.last:
        span = f", {summary.first:%d %b %Y} to {summary.last:%d %b %Y}"
    console.print(
        f"[bold]{escape(summary.source)}[/bold]: {summary.platform_label} export{span}, "
        f"read in {summary.seconds:.1f} s"
    )
    plural = {PostKind.POST: "posts", PostKind.REPLY: "replies", PostKind.COMMENT: "comments"}
    kinds = ", ".join(
        f"{n} {k.value if n == 1 else plural[k]}"
        for k, n in summary.posts_by_kind.items() if k is not PostKind.REPOST
    )
    console.print(f"Checked {summary.checked} of your own posts ({kinds or 'none'}); "
                  f"{summary.reposts} reposts counted apart, not checked.")
    if summary.skipped:
        console.print(f"Skipped {summary.skipped_total} record(s):")
        for reason in summary.skipped:
            where = f" (e.g. {', '.join(reason.examples)})" if reason.examples else ""
            count = f"{reason.count} x " if reason.count else "note: "
            console.print(f"  {count}{escape(reason.reason)}{escape(where)}", soft_wrap=True)
    if not summary.findings:
        console.print("No findings.")
        return
    table = Table(title=f"{summary.findings_total} findings in {len(summary.flagged)} posts")
    table.add_column("category")
    for severity in SEVERITIES_DOWN:
        table.add_column(severity.value, justify="right")
    for category, by in summary.findings.items():
        table.add_row(category.value, *(str(by.get(s, 0)) for s in SEVERITIES_DOWN))
    console.print(table)


_STYLE = {Severity.HIGH: "bold white on red", Severity.MEDIUM: "black on yellow",
          Severity.LOW: "underline", Severity.NONE: ""}


def print_results(summary: ScanSummary, console: Console) -> None:
    for result in summary.flagged:
        post = result.post
        date = f"{post.created_at:%Y-%m-%d}" if post.created_at else "no date"
        console.print(
            f"\n[bold]{result.severity.value.upper()}[/bold] {date} {post.kind.value}"
            f" {escape(post.url or post.id)}", soft_wrap=True
        )
        text = Text(post.text)
        for finding in sorted(result.findings, key=lambda f: f.severity.rank):
            for span in finding.spans:
                text.stylize(_STYLE[finding.severity], span.start, span.end)
        console.print(text)
        for finding in result.findings:
            console.print(
                f"  - {finding.category.value} ({finding.severity.value}): {escape(finding.why)}",
                soft_wrap=True,
            )


# --------------------------------------------------------------------------- CLI glue


def run_archive_check(
    path: Path,
    *,
    fmt: str = "text",
    report: Path | None = None,
    fail_on: Severity = Severity.HIGH,
    console: Console,
) -> int:
    """Check an archive from the command line; 0 clean, 1 findings at/above fail_on, 2 bad.

    ``fail_on=Severity.NONE`` never fails (as for drafts).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True, highlight=False)
    fmt = "text" if fmt == "table" else fmt
    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] unknown --format '{escape(fmt)}' (use {', '.join(FORMATS)})")
        return 2
    try:
        if not err.is_terminal:  # a log or a pipe: no bar to draw
            summary = scan_archive(Path(path))
        else:
            with Progress(
                TextColumn("{task.description}"), BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                console=err, transient=True,
            ) as bar:
                task = bar.add_task("reading", total=None)

                def on_progress(p: ScanProgress) -> None:
                    bar.update(task, completed=p.bytes_done, total=p.bytes_total or None,
                               description=f"{p.posts} posts")

                summary = scan_archive(Path(path), progress=on_progress)
    except ArchiveError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
        return 2
    except Exception as exc:  # never a traceback for a user's file; this is our bug
        err.print(
            f"[red]error:[/red] could not read {escape(Path(path).name)} "
            f"({type(exc).__name__}); please report this as a bug", soft_wrap=True,
        )
        return 2
    if report is not None:
        from kaleidoscope.check.report import render_report_html

        try:
            Path(report).write_text(render_report_html(summary), encoding="utf-8")
        except OSError as exc:
            err.print(f"[red]error:[/red] cannot write {escape(str(report))}: {exc.strerror}")
            return 2
    if fmt == "text":
        print_summary(summary, console)
        print_results(summary, console)
    else:
        print_summary(summary, err)
        if fmt == "json":
            sys.stdout.write(json.dumps(summary_json(summary), ensure_ascii=False, indent=2)
                             + "\n")
        elif fmt == "jsonl":
            write_jsonl(summary, sys.stdout)
        else:
            write_csv(summary, sys.stdout)
        sys.stdout.flush()
    if report is not None:
        err.print(f"HTML report written to {escape(str(report))}")
    # like the draft check: "--fail-on none" never fails
    if fail_on is Severity.NONE:
        return 0
    return 1 if summary.findings_at_or_above(fail_on) else 0
