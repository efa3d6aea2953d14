"""What learn's templates show, computed from the engine's results (no markup here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaleidoscope.learn.model import DIMENSION_LABELS, Dimension

# The chart is drawn in a 360-unit-wide box, so on a 320 px phone a unit is about 0.8 px
# and the 16-unit labels stay readable. Each dimension gets a row: its name on one line,
# its bar on the next (left of the centre line for a negative score), and its value in a
# column of its own at the right, so no label can overlap another.
WIDTH = 360
HALF = 125.0
CENTRE = 10 + HALF
VALUE_X = WIDTH - 4
ROW = 56


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    width: float
    y: float


def profile_chart(profile: dict[Dimension, int]) -> dict[str, Any]:
    """Geometry for the SVG dimension chart: bars left (negative) or right of a centre line."""
    scale = max([2, *(abs(v) for v in profile.values())])
    bars = []
    for index, dim in enumerate(Dimension):
        value = profile.get(dim, 0)
        width = HALF * abs(value) / scale
        x = CENTRE if value >= 0 else CENTRE - width
        bars.append(Bar(DIMENSION_LABELS[dim], value, x, width, 4 + index * ROW))
    return {
        "bars": bars,
        "width": WIDTH,
        "centre": CENTRE,
        "half": HALF,
        "value_x": VALUE_X,
        "scale": scale,
        "height": 4 + len(bars) * ROW + 22,
    }
