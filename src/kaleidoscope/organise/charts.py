"""SVG charts of the results. Each chart repeats a table shown beside it, so it is drawn
``aria-hidden``: the table is what a screen reader reads. Colours meet 3:1 against white
and every bar carries its number, so colour is never the only cue."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from kaleidoscope.organise.results import Assessment, Comparison, text

LEAD = "#1d70b8"
STAFF = "#4c2c92"
BENCH = "#505a5f"
INK = "#0b0c0c"
LABEL_W = 230
BAR_W = 330
ROW_H = 22
GAP_H = 14


def _bar(x: int, y: int, value: int | None, colour: str, label: str) -> str:
    if value is None:
        return (
            f'<text x="{x + 4}" y="{y + 15}" font-size="13" fill="{INK}">{escape(label)}: -</text>'
        )
    width = max(1, round(BAR_W * value / 100))
    return (
        f'<rect x="{x}" y="{y}" width="{width}" height="{ROW_H - 4}" fill="{colour}"/>'
        f'<text x="{x + width + 6}" y="{y + 14}" font-size="13" fill="{INK}">'
        f"{escape(label)} {value}%</text>"
    )


def _svg(title: str, height: int, body: Sequence[str]) -> str:
    width = LABEL_W + BAR_W + 110
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="k-chart" aria-hidden="true" '
        f'focusable="false" viewBox="0 0 {width} {height}" width="100%" '
        f'font-family="Arial, sans-serif"><title>{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def profile_svg(assessment: Assessment) -> str:
    """Readiness per theme: a bar for the lead and one for staff, where each exists."""
    body: list[str] = []
    y = 8
    lead_label, staff_label = text("label_lead"), text("label_staff")
    for theme in assessment.themes:
        rows = [(theme.lead, LEAD, lead_label)] if assessment.has_lead else []
        if assessment.has_staff:
            rows.append((theme.staff, STAFF, staff_label))
        if not rows:
            rows = [(None, LEAD, lead_label)]
        block = len(rows) * ROW_H
        body.append(
            f'<text x="0" y="{y + block / 2 + 5:.0f}" font-size="14" fill="{INK}">'
            f"{escape(theme.title)}</text>"
        )
        for value, colour, label in rows:
            body.append(_bar(LABEL_W, y, value, colour, label))
            y += ROW_H
        y += GAP_H
    return _svg(text("chart_title"), y, body)


def benchmark_svg(comparisons: Sequence[Comparison]) -> str:
    """Your figure next to the benchmark's, for comparisons that have both numbers."""
    body: list[str] = []
    y = 8
    for c in comparisons:
        comparable = c.verdict in ("better", "worse", "similar", "context")
        figure = c.benchmark.figure
        if not comparable or figure is None or c.ours_figure is None or c.respondent != "staff":
            continue
        body.append(
            f'<text x="0" y="{y + ROW_H + 5}" font-size="13" fill="{INK}">'
            f"{escape(c.question_id)}</text>"
        )
        body.append(_bar(LABEL_W, y, round(c.ours_figure), STAFF, text("label_staff")))
        y += ROW_H
        body.append(_bar(LABEL_W, y, round(figure), BENCH, c.benchmark.short))
        y += ROW_H + GAP_H
    return _svg(text("chart_bench_title"), max(y, 30), body)
