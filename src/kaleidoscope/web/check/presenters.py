"""What the Check templates show: checker results, scan progress and archive reports
turned into template context. No markup here (the templates hold it) and no storage
(``jobs`` holds that)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from kaleidoscope.check.records import Category, Finding, Result
from kaleidoscope.check.report import chart_svg
from kaleidoscope.check.scan import ScanSummary

from . import jobs, services
from .services import SEVERITIES_DOWN, text

PER_PAGE = 50


# --- drafts -----------------------------------------------------------------------------------
def finding_view(number: int, finding: Finding) -> dict[str, Any]:
    return {
        "number": number,
        "finding": finding,
        "title": services.category_title(finding.category),
        "severity": finding.severity.value,
        "quotes": [s.quote for s in finding.spans],
        "guidance": services.guidance_entries(finding.guidance),
    }


def result_context(result: Result) -> dict[str, Any]:
    return {
        "result": result,
        "segments": services.segments(result.post.text, result.findings),
        "findings": [finding_view(n, f) for n, f in enumerate(result.findings, 1)],
        "highest": result.severity.value,
    }


# --- archive progress -------------------------------------------------------------------------
def stage(job: jobs.Job) -> str:
    """Where the scan is, in steps coarse enough to announce each one once."""
    if job.state is jobs.State.QUEUED:
        return "queued"
    percent = job.percent
    if percent is None or percent < 25:
        return "started"
    if percent < 50:
        return "quarter"
    if percent < 75:
        return "half"
    return "three_quarters"


def progress_context(job: jobs.Job, said: str | None = None) -> dict[str, Any]:
    """The progress page, or (``said``: the stage the browser last announced) a poll.

    The live region is told the stage only when it differs from ``said``, so a screen
    reader hears each step once rather than every second."""
    now = stage(job)
    return {
        "job": job,
        "stage": now,
        "stage_text": text()["archive"]["progress"][now],
        "announce": said is not None and said != now,
    }


# --- archive report ---------------------------------------------------------------------------
def report_context(request: HttpRequest, job: jobs.Job, summary: ScanSummary) -> dict[str, Any]:
    words = text()["errors"]
    items: list[tuple[Result, Finding]] = [
        (r, f) for r in summary.flagged for f in r.findings
    ]
    years = sorted({r.post.created_at.year for r, _ in items if r.post.created_at}, reverse=True)
    notes: list[str] = []
    category = request.GET.get("category", "")
    if category and category not in {c.value for c in Category}:
        notes.append(words["filter"].format(what="category", value=category[:40]))
        category = ""
    severity = request.GET.get("severity", "")
    if severity and severity not in {s.value for s in SEVERITIES_DOWN}:
        notes.append(words["filter"].format(what="severity", value=severity[:40]))
        severity = ""
    year = request.GET.get("year", "")
    if year and not (year.isdigit() and int(year) in years):
        notes.append(words["filter"].format(what="year with findings", value=year[:40]))
        year = ""
    shown = [
        (r, f) for r, f in items
        if (not category or f.category.value == category)
        and (not severity or f.severity.value == severity)
        and (not year or (r.post.created_at is not None and r.post.created_at.year == int(year)))
    ]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-len(shown) // PER_PAGE))
    page = min(page, pages)
    filters = {k: v for k, v in (("category", category), ("severity", severity), ("year", year))
               if v}
    months = summary.risky_by_month()
    chart_title = services.report_words()["chart_title"]
    return {
        "job": job,
        "summary": summary,
        "kinds": [(k.value, n) for k, n in summary.posts_by_kind.items()],
        "table": [
            (c.value, services.category_title(c), [by.get(s, 0) for s in SEVERITIES_DOWN])
            for c, by in summary.findings.items()
        ],
        "severities": [s.value for s in SEVERITIES_DOWN],
        "severity_words": services.report_words()["severities"],
        "categories": [(c.value, services.category_title(c)) for c in Category],
        "category_about": {
            c.value: services.report_words()["categories"][c.value]["about"] for c in Category
        },
        "years": years,
        "filters": filters,
        "notes": notes,
        "total": len(items),
        "shown_count": len(shown),
        "shown": [
            archive_item(r, f) for r, f in shown[(page - 1) * PER_PAGE : page * PER_PAGE]
        ],
        "page": page,
        "pages": pages,
        "first_number": (page - 1) * PER_PAGE + 1,
        "chart": chart_svg(months, chart_title) if months else "",
        "chart_title": chart_title,
        "months": [(m, n) for m, n in months.items() if n],
        "by_category": Counter(f.category.value for _, f in items),
    }


def archive_item(result: Result, finding: Finding) -> dict[str, Any]:
    post = result.post
    created: datetime | None = post.created_at
    return {
        "post": post,
        "date": f"{created:%d %B %Y, %H:%M} UTC" if created else "",
        "iso": created.isoformat() if created else "",
        "url": post.url if post.url and post.url.startswith(("https://", "http://")) else "",
        "segments": services.segments(post.text, [finding]),
        "finding": finding,
        "title": services.category_title(finding.category),
        "severity": finding.severity.value,
        "quotes": [s.quote for s in finding.spans],
        "guidance": services.guidance_entries(finding.guidance),
        "amplifiers": result.amplifiers,
    }
