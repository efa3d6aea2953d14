"""The ``kaleidoscope check`` command: a draft, a text file, a JSONL batch or an archive.

Exit codes work like a linter's: 0 when nothing is at or above ``--fail-on``, 1 otherwise,
2 for bad input. Archives are handed to ``kaleidoscope.check.scan.run_archive_check``.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from kaleidoscope.check.checker import check_post, check_text, parse_audience, parse_platform
from kaleidoscope.check.model import ModelError, load_model
from kaleidoscope.check.records import Finding, Post, Result, Severity

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".car")
DRAFT_FORMATS = ("text", "json", "jsonl", "csv")
MAX_DRAFT_BYTES = 5 * 1024 * 1024
MODEL_MISSING = (
    "the checker's model cannot be loaded: {reason}. Nothing was checked: the rules alone "
    "are not the full check. Reinstall Kaleidoscope, or run `make model` in a source checkout."
)
MAX_LINE_BYTES = 1024 * 1024
CSV_COLUMNS = ("id", "category", "severity", "start", "end", "quote", "why", "guidance")

_SEVERITY_STYLE = {
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "bold yellow",
    Severity.LOW: "bold cyan",
    Severity.NONE: "green",
}


class BadInput(Exception):
    """Input we cannot use; the message names the file, line or option."""


def is_archive(target: str) -> bool:
    """The dispatch rule: an existing folder, or an existing file with an archive suffix."""
    path = Path(target)
    try:
        if path.is_dir():
            return True
        return path.is_file() and target.lower().endswith(ARCHIVE_SUFFIXES)
    except (OSError, ValueError):  # a draft too long or odd to be a path
        return False


def parse_fail_on(value: str) -> Severity:
    try:
        return Severity(value.strip().lower())
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        raise BadInput(f"--fail-on: unknown level '{value}' (use one of: {allowed})") from None


def fails(severity: Severity, fail_on: Severity) -> bool:
    """Does a result of this severity fail the run? ``--fail-on none`` never fails."""
    return fail_on is not Severity.NONE and severity is not Severity.NONE and (
        severity.rank >= fail_on.rank
    )


# --- machine-readable shapes (the JSONL contract, docs/checker.md) ---------------------


def finding_dict(finding: Finding) -> dict[str, Any]:
    first = finding.spans[0] if finding.spans else None
    out: dict[str, Any] = {
        "category": finding.category.value,
        "severity": finding.severity.value,
        "start": first.start if first else None,
        "end": first.end if first else None,
        "quote": first.quote if first else None,
        "why": finding.why,
        "guidance": list(finding.guidance),
        "spans": [{"start": s.start, "end": s.end, "quote": s.quote} for s in finding.spans],
    }
    if finding.rewrite is not None:
        out["rewrite"] = finding.rewrite
    return out


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "id": result.post.id,
        "labels": result.labels,
        "severity": result.severity.value,
        "findings": [finding_dict(f) for f in result.findings],
        "amplifiers": list(result.amplifiers),
    }


def csv_rows(result: Result) -> Iterator[list[str]]:
    for f in result.findings:
        d = finding_dict(f)
        yield [
            result.post.id,
            d["category"],
            d["severity"],
            str(d["start"]),
            str(d["end"]),
            d["quote"] or "",
            d["why"],
            " ".join(d["guidance"]),
        ]


# --- readable output --------------------------------------------------------------------


def highlighted(text: str, result: Result) -> Text:
    """The post with every flagged span underlined and [bracketed] (not colour alone)."""
    spans: list[tuple[int, int, Severity]] = []
    for finding in result.findings:
        for span in finding.spans:
            spans.append((span.start, span.end, finding.severity))
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int, Severity]] = []
    for start, end, severity in spans:
        if merged and start < merged[-1][1]:
            last = merged[-1]
            worst = severity if severity.rank > last[2].rank else last[2]
            merged[-1] = (last[0], max(last[1], end), worst)
        else:
            merged.append((start, end, severity))
    out = Text()
    last_end = 0
    for start, end, severity in merged:
        out.append(text[last_end:start])
        out.append("[", style="bold")
        out.append(text[start:end], style=f"underline {_SEVERITY_STYLE[severity]}")
        out.append("]", style="bold")
        last_end = end
    out.append(text[last_end:])
    return out


def _citation(key: str) -> str:
    from kaleidoscope.guidance.registry import load_registry

    entry = load_registry().get(key)
    return f"{entry.citation} [{key}]" if entry else key


# Measured on the sealed held-out batches (docs/checker.md): recall 0.49-0.72 by category.
_NOT_A_GUARANTEE = (
    "  (The checker misses about four in ten risky posts on writing it has not seen: read "
    "it again as the person it is about would.)"
)


def print_result(console: Console, result: Result, *, heading: str | None = None) -> None:
    if heading:
        console.print(Text(heading, style="bold"))
    console.print(highlighted(result.post.text, result))
    if not result.findings:
        console.print(Text("No risks found.", style=_SEVERITY_STYLE[Severity.NONE]))
        console.print(Text(_NOT_A_GUARANTEE))
        return
    for finding in result.findings:
        line = Text()
        style = _SEVERITY_STYLE[finding.severity]
        line.append(f"{finding.severity.value.upper():<6} ", style=style)
        line.append(finding.category.value.replace("_", " "), style="bold")
        line.append(": " + ", ".join(f'"{s.quote}"' for s in finding.spans[:6]))
        console.print(line)
        console.print(Text("  why: " + finding.why))
        if finding.guidance:
            console.print(Text("  guidance: " + "; ".join(_citation(k) for k in finding.guidance)))
        if finding.rewrite:
            console.print(Text("  safer version: " + finding.rewrite, style="italic"))
    for amplifier in result.amplifiers:
        console.print(Text("  exposure: " + amplifier, style="dim"))
    console.print(
        Text(f"Overall: {result.severity.value} ({', '.join(result.labels)})",
             style=_SEVERITY_STYLE[result.severity])
    )


def emit(results: list[Result], fmt: str, console: Console, stream: IO[str]) -> None:
    if fmt == "text":
        for i, result in enumerate(results):
            if i:
                console.print()
            heading = None if len(results) == 1 and result.post.id == "draft" else result.post.id
            print_result(console, result, heading=heading)
    elif fmt == "json":
        data: Any = result_dict(results[0]) if len(results) == 1 else [
            result_dict(r) for r in results
        ]
        stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "jsonl":
        for result in results:
            stream.write(json.dumps(result_dict(result), ensure_ascii=False) + "\n")
    else:  # csv
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for result in results:
            writer.writerows(csv_rows(result))


# --- inputs -----------------------------------------------------------------------------


def read_draft(path: Path) -> str:
    try:
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
        if path.stat().st_size > MAX_DRAFT_BYTES:
            raise BadInput(f"{path}: too large for a draft (over 5 MB); is it an archive?")
        raw = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise BadInput(f"{path}: the file is empty")
    return text


def _record_post(record: Any, number: int) -> Post:
    if not isinstance(record, dict):
        raise BadInput("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise BadInput("field 'text' is missing or not a string")
    raw_id = record.get("id", number)
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise BadInput("field 'id' must be a string or a number")
    platform, audience = record.get("platform"), record.get("audience")
    for name, value in (("platform", platform), ("audience", audience)):
        if value is not None and not isinstance(value, str):
            raise BadInput(f"field '{name}' must be a string")
    try:
        return Post(
            id=str(raw_id),
            text=text,
            platform=parse_platform(platform),
            audience=parse_audience(audience),
        )
    except ValueError as exc:
        raise BadInput(f"{exc}") from None


def _lines(handle: IO[bytes], path: Path) -> Iterator[bytes | None]:
    """The file's lines as bytes; None for a line over MAX_LINE_BYTES (never held whole)."""
    while True:
        try:
            raw = handle.readline(MAX_LINE_BYTES + 1)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = handle.readline(MAX_LINE_BYTES)
                yield None
                continue
        except OSError as exc:
            raise BadInput(f"{path}: read failed ({exc.strerror or exc})") from None
        if not raw:
            return
        yield raw


def run_jsonl(
    path: Path, fmt: str, fail_on: Severity, console: Console, err: Console, stream: IO[str]
) -> int:
    """Check every line of a JSONL file, streaming; bad lines are reported and skipped."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise BadInput(f"{path}: cannot read ({exc.strerror or exc})") from None
    checked = skipped = 0
    worst = Severity.NONE
    writer = csv.writer(stream) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    collected: list[dict[str, Any]] = []
    with handle:
        for number, raw in enumerate(_lines(handle, path), start=1):
            if raw is None:
                err.print(Text(f"error: {path}:{number}: line longer than 1 MB; skipped"))
                skipped += 1
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                message = f"error: {path}:{number}: not UTF-8 (byte {exc.start}); skipped"
                err.print(Text(message))
                skipped += 1
                continue
            if not line.strip():
                continue
            try:
                post = _record_post(json.loads(line), number)
            except json.JSONDecodeError as exc:
                err.print(Text(f"error: {path}:{number}: invalid JSON ({exc.msg}); skipped"))
                skipped += 1
                continue
            except BadInput as exc:
                err.print(Text(f"error: {path}:{number}: {exc}; skipped"))
                skipped += 1
                continue
            result = check_post(post)
            checked += 1
            if result.severity.rank > worst.rank:
                worst = result.severity
            if fmt == "jsonl":
                stream.write(json.dumps(result_dict(result), ensure_ascii=False) + "\n")
            elif fmt == "json":
                collected.append(result_dict(result))
            elif writer is not None:
                writer.writerows(csv_rows(result))
            else:
                if checked > 1:
                    console.print()
                print_result(console, result, heading=post.id)
    if fmt == "json":
        stream.write(json.dumps(collected, ensure_ascii=False, indent=2) + "\n")
    err.print(Text(f"{checked} record(s) checked, {skipped} skipped; worst: {worst.value}"))
    if checked == 0:
        raise BadInput(f"{path}: no usable records")
    return 1 if fails(worst, fail_on) else 0


# --- the command ------------------------------------------------------------------------


def register(app: typer.Typer, scenarios_app: typer.Typer) -> None:
    """Add ``kaleidoscope check`` to the main app."""

    @app.command("check")
    def check(
        target: Annotated[
            str | None,
            typer.Argument(
                metavar="[TEXT|ARCHIVE]",
                help="Draft text to check, or an archive (.zip, .tar.gz, .tgz, .car or folder)",
            ),
        ] = None,
        file: Annotated[
            Path | None, typer.Option("--file", help="Read the draft from a UTF-8 text file")
        ] = None,
        jsonl: Annotated[
            Path | None,
            typer.Option("--jsonl", help="Check each {id, text, platform?, audience?} line"),
        ] = None,
        platform: Annotated[
            str | None, typer.Option(help="Where it will be posted: x, facebook, instagram, ...")
        ] = None,
        audience: Annotated[
            str | None, typer.Option(help="Who can see it: public, followers, friends, ...")
        ] = None,
        fmt: Annotated[
            str, typer.Option("--format", help="text, json, jsonl or csv")
        ] = "text",
        report: Annotated[
            Path | None, typer.Option("--report", help="Archives: write an HTML report here")
        ] = None,
        fail_on: Annotated[
            str, typer.Option("--fail-on", help="Exit 1 at or above: none, low, medium, high")
        ] = "high",
    ) -> None:
        """Check a draft post, a JSONL batch or a whole archive for e-professionalism risks."""
        out = Console(highlight=False)
        err = Console(stderr=True, highlight=False, soft_wrap=True)
        try:
            load_model()  # at start-up: without the model there is no full check to run
            code = _run(target, file, jsonl, platform, audience, fmt, report, fail_on, out, err)
        except ModelError as exc:
            err.print(Text("error: ", style="red").append(MODEL_MISSING.format(reason=exc)))
            raise typer.Exit(2) from None
        except BadInput as exc:
            err.print(Text("error: ", style="red").append(str(exc), style=""))
            raise typer.Exit(2) from None
        except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        raise typer.Exit(code)


def _run(
    target: str | None,
    file: Path | None,
    jsonl: Path | None,
    platform: str | None,
    audience: str | None,
    fmt: str,
    report: Path | None,
    fail_on_text: str,
    out: Console,
    err: Console,
) -> int:
    fail_on = parse_fail_on(fail_on_text)
    fmt = fmt.strip().lower()
    given = [name for name, value in (("TEXT", target), ("--file", file), ("--jsonl", jsonl))
             if value is not None]
    if len(given) != 1:
        raise BadInput(
            "give exactly one of: draft text or an archive, --file FILE, --jsonl FILE"
            + (f" (got {', '.join(given)})" if given else "")
        )
    if target is not None and is_archive(target):
        from kaleidoscope.check.scan import run_archive_check

        return run_archive_check(
            Path(target), fmt=fmt, report=report, fail_on=fail_on, console=out
        )
    if report is not None:
        raise BadInput("--report is for archives; drafts print their findings")
    if fmt not in DRAFT_FORMATS:
        raise BadInput(f"--format: unknown '{fmt}' (use {', '.join(DRAFT_FORMATS)})")
    if jsonl is not None:
        if platform is not None or audience is not None:
            raise BadInput("--platform and --audience come from each JSONL line, not options")
        return run_jsonl(jsonl, fmt, fail_on, out, err, sys.stdout)
    text = read_draft(file) if file is not None else (target or "")
    if not text.strip():
        raise BadInput("the draft is empty")
    try:
        result = check_text(text, platform=platform, audience=audience)
    except ValueError as exc:
        raise BadInput(f"--{'platform' if 'platform' in str(exc) else 'audience'}: {exc}") from None
    emit([result], fmt, out, sys.stdout)
    return 1 if fails(result.severity, fail_on) else 0


__all__ = ["ARCHIVE_SUFFIXES", "is_archive", "register", "result_dict"]
