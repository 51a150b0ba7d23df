"""A bar chart of emulated/native ratios as a hand-written SVG (no plotting dependency).

One bar per workload plus the geometric mean, a dashed line at 1× (native speed), the ratio
written above each bar. Every bar is a ``<rect class="bar">`` carrying ``data-workload`` and
``data-ratio``, so the chart can be checked (and restyled) by machines as well as read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
HEIGHT = 360
MARGIN = {"left": 56, "right": 16, "top": 40, "bottom": 48}
BAR_COLOUR = "#4c78a8"
MEAN_COLOUR = "#f58518"
MEAN_LABEL = "geomean"


def ratio_svg(title: str, ratios: Sequence[tuple[str, float]], geomean: float) -> str:
    """The SVG document for ``ratios`` (workload, emulated/native) and their geometric mean."""
    bars = [*ratios, (MEAN_LABEL, geomean)]
    top = _axis_top(max(value for _, value in bars))
    plot_w = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    slot = plot_w / len(bars)

    def y_of(value: float) -> float:
        return MARGIN["top"] + plot_h * (1 - value / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>',
        *_grid(top, y_of),
    ]
    for index, (name, value) in enumerate(bars):
        x = MARGIN["left"] + slot * index + slot * 0.15
        y = y_of(value)
        colour = MEAN_COLOUR if index == len(bars) - 1 else BAR_COLOUR
        parts += [
            f'<rect class="bar" data-workload={quoteattr(name)} data-ratio="{value:.4f}" '
            f'x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{y_of(0) - y:.1f}" fill="{colour}"><title>{escape(name)}: '
            f"{value:.2f}×</title></rect>",
            f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{value:.1f}×</text>",
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - MARGIN["bottom"] + 16}" '
            f'text-anchor="middle">{escape(name)}</text>',
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _axis_top(largest: float) -> float:
    """A round number at or above the largest bar (1, 2, 5, 10, 20, 50...)."""
    magnitude = 10 ** math.floor(math.log10(max(largest, 1.0)))
    for step in (1, 2, 5, 10):
        if largest <= step * magnitude:
            return float(step * magnitude)
    return 10.0 * magnitude


def _grid(top: float, y_of: Callable[[float], float]) -> list[str]:
    """Horizontal lines at five ticks, labelled, and the dashed native-speed line at 1×."""
    left, right = MARGIN["left"], WIDTH - MARGIN["right"]
    lines = []
    for tick in range(6):
        value = top * tick / 5
        y = y_of(value)
        lines.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#ddd"/>')
        lines.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}×</text>')
    one = y_of(1.0)
    lines.append(
        f'<line class="native" x1="{left}" y1="{one:.1f}" x2="{right}" y2="{one:.1f}" '
        'stroke="#333" stroke-dasharray="4 3"/>'
    )
    return lines
