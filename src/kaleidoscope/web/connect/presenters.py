"""What the Connect pages show, worked out from the models: check-in tables and the
trend chart (an inline SVG with a table beside it that says the same in words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup, escape

from kaleidoscope.connect.scales import Scales, bundled_scales

from . import services
from .models import CheckIn

# GOV.UK colours, distinguishable by more than hue: each line also has its own dash.
COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#f47738", "#0b0c0c")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 44, 16, 16, 40


@dataclass(frozen=True, slots=True)
class Row:
    day: date
    scores: dict[str, int]
    note: str | None  # None: not in scope


def rows(checkins: list[CheckIn], *, with_notes: bool) -> list[Row]:
    return [
        Row(c.day, dict(c.scores), services.unseal(c.note_token) if with_notes else None)
        for c in checkins
    ]


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def chart(data: list[Row], title: str, scales: Scales | None = None) -> Markup:
    """An SVG line chart of every scale over the days in ``data`` (oldest first)."""
    scales = scales or bundled_scales()
    if not data:
        return Markup("")
    low = min(s.min for s in scales.scales)
    high = max(s.max for s in scales.scales)
    first, last = data[0].day, data[-1].day
    span = max(1, (last - first).days)
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B

    def x(day: date) -> float:
        return PAD_L + inner_w * ((day - first).days / span if len(data) > 1 else 0.5)

    def y(value: int) -> float:
        return PAD_T + inner_h * (1 - (value - low) / (high - low))

    parts: list[str] = []
    for value in range(low, high + 1):
        parts.append(
            f'<line x1="{PAD_L}" x2="{WIDTH - PAD_R}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{PAD_L - 8}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#0b0c0c">{value}</text>'
        )
    for label_day in (first, last) if span else (first,):
        parts.append(
            f'<text x="{x(label_day):.1f}" y="{HEIGHT - 20}" text-anchor="middle" '
            f'font-size="12" fill="#0b0c0c">{escape(f"{label_day.day} {label_day:%b}")}</text>'
        )
    legend_x = PAD_L
    for i, scale in enumerate(scales.scales):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        points = [(x(r.day), y(r.scores[scale.id])) for r in data if scale.id in r.scores]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for px, py in points:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>')
        parts.append(
            f'<line x1="{legend_x}" x2="{legend_x + 22}" y1="{HEIGHT - 6}" y2="{HEIGHT - 6}" '
            f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            f'<text x="{legend_x + 26}" y="{HEIGHT - 2}" font-size="12" fill="#0b0c0c">'
            f"{escape(scale.label)}</text>"
        )
        legend_x += 34 + 8 * len(scale.label)
    desc = (
        f"{len(data)} check-ins from {day_label(first)} to {day_label(last)}. "
        "The table below gives every score."
    )
    svg = (
        f'<svg class="k-connect-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}'
        f"</desc>{''.join(parts)}</svg>"
    )
    return Markup(svg)


def scale_columns(scales: Scales | None = None) -> list[dict[str, Any]]:
    scales = scales or bundled_scales()
    return [
        {
            "id": s.id,
            "label": s.label,
            "range": f"{s.min} {s.low.lower()} to {s.max} {s.high.lower()}",
        }
        for s in scales.scales
    ]
