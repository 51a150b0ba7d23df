"""Bar charts of emulated/native ratios, as SVG or PNG, with no plotting dependency.

:func:`layout` places everything once (pure geometry); :func:`to_svg` and
:func:`gorig.bench.png.to_png` only draw what it placed. One bar per workload plus the
geometric mean in another colour, a dashed line at 1× (native speed), the ratio above each
bar. In SVG every bar is a ``<rect class="bar">`` carrying ``data-workload`` and
``data-ratio``, so the chart can be checked (and restyled) by machines as well as read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

WIDTH = 920
HEIGHT = 440
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 48, 40
BAR_COLOUR = "#4c78a8"
MEAN_COLOUR = "#f58518"
GRID_COLOUR = "#dddddd"
INK = "#333333"
MEAN_LABEL = "geomean"
TICKS = 5


@dataclass(frozen=True)
class Bar:
    name: str
    ratio: float
    x: float
    y: float  # top edge
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[str, float], ...]  # (label, y)
    native_y: float  # where 1× is
    baseline_y: float  # where 0× is
    slot: float  # horizontal room per bar, for its labels
    width: int = WIDTH
    height: int = HEIGHT


def layout(title: str, ratios: Sequence[tuple[str, float]], geomean: float) -> Chart:
    """Place the bars of ``ratios`` (workload, emulated/native) and their geometric mean."""
    values = [*ratios, (MEAN_LABEL, geomean)]
    top = axis_top(max(value for _, value in values))
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / len(values)

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - value / top)

    bars = tuple(
        Bar(
            name,
            value,
            LEFT + slot * index + slot * 0.15,
            y_of(value),
            slot * 0.7,
            y_of(0) - y_of(value),
            MEAN_COLOUR if index == len(values) - 1 else BAR_COLOUR,
        )
        for index, (name, value) in enumerate(values)
    )
    ticks = tuple((f"{top * tick / TICKS:g}×", y_of(top * tick / TICKS)) for tick in range(6))
    return Chart(title, bars, ticks, y_of(1.0), y_of(0), slot)


def axis_top(largest: float) -> float:
    """A round number at or above the largest bar (1, 2, 5, 10, 20, 50...)."""
    magnitude = 10 ** math.floor(math.log10(max(largest, 1.0)))
    for step in (1, 2, 5, 10):
        if largest <= step * magnitude:
            return float(step * magnitude)
    return 10.0 * magnitude


def to_svg(chart: Chart) -> str:
    """The chart as an SVG document."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{chart.width}" height="{chart.height}" '
        f'viewBox="0 0 {chart.width} {chart.height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{chart.width}" height="{chart.height}" fill="white"/>',
        f'<text x="{chart.width / 2}" y="26" text-anchor="middle" font-size="15">'
        f"{escape(chart.title)}</text>",
    ]
    for label, y in chart.ticks:
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{chart.width - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}"/>'
        )
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    for bar in chart.bars:
        middle = bar.x + bar.width / 2
        parts += [
            f'<rect class="bar" data-workload={quoteattr(bar.name)} data-ratio="{bar.ratio:.4f}" '
            f'x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.1f}" height="{bar.height:.1f}" '
            f'fill="{bar.colour}"><title>{escape(bar.name)}: {bar.ratio:.2f}×</title></rect>',
            f'<text x="{middle:.1f}" y="{bar.y - 5:.1f}" text-anchor="middle">'
            f"{bar.ratio:.1f}×</text>",
            f'<text x="{middle:.1f}" y="{chart.baseline_y + 18:.1f}" text-anchor="middle">'
            f"{escape(bar.name)}</text>",
        ]
    parts.append(
        f'<line class="native" x1="{LEFT}" y1="{chart.native_y:.1f}" x2="{chart.width - RIGHT}" '
        f'y2="{chart.native_y:.1f}" stroke="{INK}" stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
