"""A self-contained HTML report of an archive check: no external assets, all text escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from html import escape
from importlib import resources
from string import Template
from typing import Any

import yaml

from kaleidoscope.check.records import Category, Finding, Result, Severity
from kaleidoscope.check.scan import SEVERITIES_DOWN, ScanSummary

MAX_PER_GROUP = 300
CHART_WIDTH = 720
CHART_HEIGHT = 200


@cache
def _words() -> dict[str, Any]:
    text = resources.files("kaleidoscope.check").joinpath("templates/report.yaml").read_text(
        encoding="utf-8"
    )
    words: dict[str, Any] = yaml.safe_load(text)
    return words


@cache
def _template() -> Template:
    text = resources.files("kaleidoscope.check").joinpath("templates/report.html").read_text(
        encoding="utf-8"
    )
    return Template(text)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _link(url: str | None) -> str:
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(url)}</a>'
    return _e(url) if url else "none"


def _marked(text: str, findings: list[Finding]) -> str:
    """The post text with every span of these findings in <mark> (overlaps merged)."""
    ranges = sorted(
        (max(s.start, 0), min(s.end, len(text))) for f in findings for s in f.spans
        if s.end > s.start
    )
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(_e(text[pos:start]))
        out.append(f"<mark>{_e(text[start:end])}</mark>")
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out)


def _summary_html(summary: ScanSummary) -> str:
    words = _words()
    rows = "".join(
        f'<tr><th scope="row">{_e(kind.value)}</th><td class="n">{n}</td></tr>'
        for kind, n in summary.posts_by_kind.items()
    )
    span = ""
    if summary.first and summary.last:
        span = f" covering {summary.first:%d %B %Y} to {summary.last:%d %B %Y}"
    parts = [
        "<h2>Summary</h2>",
        f"<p>{_e(summary.source)}: export from {_e(summary.platform_label)}{_e(span)}. "
        f"{summary.checked} of your own posts, replies and comments were checked; "
        f"{summary.reposts} reposts were counted apart and not checked. "
        f"{len(summary.flagged)} posts have findings.</p>",
        '<table><caption>Records read, by kind</caption><thead><tr><th scope="col">kind</th>'
        f'<th scope="col" class="n">records</th></tr></thead><tbody>{rows}</tbody></table>',
    ]
    if summary.findings:
        head = "".join(f'<th scope="col" class="n">{s.value}</th>' for s in SEVERITIES_DOWN)
        body = "".join(
            f'<tr><th scope="row"><a href="#cat-{c.value}">'
            f"{_e(words['categories'][c.value]['title'])}</a></th>"
            + "".join(f'<td class="n">{by.get(s, 0)}</td>' for s in SEVERITIES_DOWN)
            + "</tr>"
            for c, by in summary.findings.items()
        )
        parts.append(
            "<table><caption>Findings by category and severity</caption><thead><tr>"
            f'<th scope="col">category</th>{head}</tr></thead><tbody>{body}</tbody></table>'
        )
    else:
        parts.append(f"<p>{_e(words['no_findings'])}</p>")
    if summary.skipped:
        body = "".join(
            f"<tr><td>{_e(r.reason)}</td><td class=\"n\">{r.count}</td>"
            f"<td>{_e(', '.join(r.examples))}</td></tr>"
            for r in summary.skipped
        )
        parts.append(
            "<table><caption>Records that could not be read</caption><thead><tr>"
            '<th scope="col">reason</th><th scope="col" class="n">records</th>'
            f'<th scope="col">where (examples)</th></tr></thead><tbody>{body}</tbody></table>'
        )
    return "\n".join(parts)


def chart_svg(months: dict[str, int], title: str) -> str:
    """An inline SVG bar chart (one bar a month) with a title, a description and labels."""
    if not months:
        return ""
    peak = max(months.values()) or 1
    left, bottom, top = 36, 24, 12
    plot_w, plot_h = CHART_WIDTH - left - 8, CHART_HEIGHT - bottom - top
    step = plot_w / len(months)
    busiest = max(months, key=lambda k: months[k])
    desc = (f"{sum(months.values())} posts with findings from {next(iter(months))} to "
            f"{list(months)[-1]}; the most in {busiest} ({months[busiest]}).")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        'role="img" aria-labelledby="chart-title chart-desc">',
        f'<title id="chart-title">{_e(title)}</title><desc id="chart-desc">{_e(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (month, n) in enumerate(months.items()):
        x = left + i * step
        height = plot_h * n / peak
        if n:
            parts.append(
                f'<rect class="bar" x="{x + step * 0.1:.1f}" y="{top + plot_h - height:.1f}" '
                f'width="{min(max(step * 0.8, 1), 48):.1f}" height="{height:.1f}">'
                f"<title>{_e(month)}: {n} posts with findings</title></rect>"
            )
        if month.endswith("-01") or i == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{CHART_HEIGHT - 6}">{_e(month[:4])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _chart_html(summary: ScanSummary) -> str:
    months = summary.risky_by_month()
    if not months:
        return ""
    title = _words()["chart_title"]
    rows = "".join(
        f'<tr><th scope="row">{_e(m)}</th><td class="n">{n}</td></tr>'
        for m, n in months.items() if n
    )
    return (
        f'<h2 id="chart">{_e(title)}</h2><div class="chart">{chart_svg(months, title)}</div>'
        "<details><summary>The same figures as a table</summary><table><thead><tr>"
        '<th scope="col">month</th><th scope="col" class="n">posts with findings</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></details>"
    )


def _finding_html(result: Result, finding: Finding) -> str:
    post = result.post
    date = f"{post.created_at:%d %B %Y, %H:%M} UTC" if post.created_at else "unknown"
    quotes = "; ".join(f"“{s.quote}”" for s in finding.spans)
    meta = [
        ("Date", _e(date)),
        ("Link", _link(post.url)),
        ("Kind", _e(f"{post.kind.value}" + (f", {post.audience.value}" if post.audience else ""))),
    ]
    if quotes:
        meta.append(("Words", _e(quotes)))
    if finding.guidance:
        meta.append(("Guidance", _e(", ".join(finding.guidance))))
    if finding.rewrite:
        meta.append(("Safer version", _e(finding.rewrite)))
    if result.amplifiers:
        meta.append(("Reach", _e(", ".join(result.amplifiers))))
    if post.source:
        meta.append(("From", _e(post.source)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
    sev = finding.severity.value
    return (
        f'<article class="finding {sev}"><p><span class="tag {sev}">{sev}</span> '
        f"<strong>Why:</strong> {_e(finding.why)}</p>"
        f"<blockquote>{_marked(post.text, [finding])}</blockquote>"
        f'<dl class="meta">{dl}</dl></article>'
    )


def _findings_html(summary: ScanSummary) -> str:
    words = _words()
    groups: dict[Category, dict[Severity, list[tuple[Result, Finding]]]] = {}
    for result in summary.flagged:
        for finding in result.findings:
            groups.setdefault(finding.category, {}).setdefault(finding.severity, []).append(
                (result, finding)
            )
    if not groups:
        return ""
    parts = ["<h2>Findings</h2>"]
    for category in Category:
        if category not in groups:
            continue
        info = words["categories"][category.value]
        total = sum(len(v) for v in groups[category].values())
        parts.append(
            f'<section aria-labelledby="cat-{category.value}"><h3 id="cat-{category.value}">'
            f"{_e(info['title'])} ({total})</h3><p>{_e(info['about'])}</p>"
        )
        for severity in SEVERITIES_DOWN:
            items = groups[category].get(severity, [])
            if not items:
                continue
            parts.append(
                f"<h4>{_e(words['severities'][severity.value])} ({len(items)})</h4>"
            )
            parts.extend(_finding_html(r, f) for r, f in items[:MAX_PER_GROUP])
            if len(items) > MAX_PER_GROUP:
                note = words["limit_note"].format(more=len(items) - MAX_PER_GROUP)
                parts.append(f'<p class="muted">{_e(note)}</p>')
        parts.append("</section>")
    return "\n".join(parts)


def render_report_html(summary: ScanSummary, *, generated: datetime | None = None) -> str:
    """The whole report as one HTML document (inline CSS and SVG; no scripts, no fetches)."""
    words = _words()
    when = generated or datetime.now(UTC)
    return _template().substitute(
        title=_e(f"{words['title']}: {summary.source}"),
        intro=_e(words["intro"]),
        summary=_summary_html(summary),
        chart=_chart_html(summary),
        findings=_findings_html(summary),
        generated=_e(f"{when:%d %B %Y %H:%M} UTC"),
    )
