"""Medians, spreads, the geometric mean, and the SVG chart parsed back as XML."""

import struct
import xml.etree.ElementTree as ET
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorig.bench.plot import INK, MEAN_LABEL, TOP, layout, to_svg
from gorig.bench.png import FONT, rgb, to_png
from gorig.bench.stats import Timing, geometric_mean, ratio

SVG = "{http://www.w3.org/2000/svg}"


def test_timing_median_and_spread():
    timing = Timing((120, 100, 90, 300, 110))
    assert timing.median_ns == 110
    assert (timing.min_ns, timing.max_ns) == (90, 300)
    assert timing.spread == pytest.approx(210 / 110)
    assert timing.to_dict()["samples_ns"] == [120, 100, 90, 300, 110]


def test_ratio_is_emulated_over_native():
    assert ratio(Timing((500, 700, 600)), Timing((100, 300, 200))) == 3.0


@given(st.lists(st.floats(min_value=0.01, max_value=1e4), min_size=1, max_size=20))
def test_geometric_mean_lies_between_the_extremes(values):
    mean = geometric_mean(values)
    assert min(values) * (1 - 1e-9) <= mean <= max(values) * (1 + 1e-9)


@given(st.floats(min_value=0.01, max_value=1e3), st.floats(min_value=0.01, max_value=1e3))
def test_geometric_mean_of_a_ratio_and_its_inverse_is_one(a, b):
    assert geometric_mean([a / b, b / a]) == pytest.approx(1.0)


def bars_of(svg_text):
    root = ET.fromstring(svg_text)
    assert root.tag == f"{SVG}svg"
    return root, [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def svg_of(ratios, mean):
    return to_svg(layout("arm64 via qemu-aarch64", ratios, mean))


def test_svg_has_one_bar_per_workload_and_the_mean_scaled_to_the_ratio():
    ratios = [("sha256", 30.0), ("gc", 8.0), ("json & <co>", 2.0)]
    mean = geometric_mean([value for _, value in ratios])
    root, bars = bars_of(svg_of(ratios, mean))
    names = [bar.get("data-workload") for bar in bars]
    assert names == ["sha256", "gc", "json & <co>", MEAN_LABEL]
    heights = {bar.get("data-workload"): float(bar.get("height")) for bar in bars}
    assert heights["sha256"] / heights["gc"] == pytest.approx(30 / 8, rel=0.01)
    assert float(bars[-1].get("data-ratio")) == pytest.approx(mean, abs=1e-4)
    assert bars[-1].get("fill") != bars[0].get("fill")
    # The bars stand on one baseline, and the dashed native line sits at 1× above it.
    bottoms = {float(bar.get("y")) + float(bar.get("height")) for bar in bars}
    assert len({round(bottom, 0) for bottom in bottoms}) == 1
    native = next(line for line in root.iter(f"{SVG}line") if line.get("class") == "native")
    one_x = bottoms.pop() - float(native.get("y1"))
    assert one_x == pytest.approx(heights["gc"] / 8, rel=0.02)


def test_svg_axis_reaches_just_above_the_tallest_bar():
    root, bars = bars_of(svg_of([("a", 1.5), ("b", 37.0)], 7.4))
    assert min(float(bar.get("y")) for bar in bars) >= TOP
    ticks = [text.text for text in root.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    assert ticks[-1] == "50×"


def read_png(data):
    """Check a PNG's structure (signature, chunk CRCs, IHDR) and return (width, height, rows).

    Only what gorig writes is decoded: 8-bit RGB, no interlace, filter 0 on every scanline.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = [], 8
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks.append((kind, body))
        offset += 12 + length
    kinds = [kind for kind, _ in chunks]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"IDAT" in kinds
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour_type, interlace) == (8, 2, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + width * 3
    assert len(raw) == stride * height
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return width, height, [row[1:] for row in rows]


def pixel(rows, x, y):
    return tuple(rows[y][x * 3 : x * 3 + 3])


def test_png_draws_each_bar_at_its_height():
    ratios = [("sha256", 41.8), ("gc", 3.8), ("goroutines", 13.3)]
    chart = layout("arm64 via qemu-aarch64 vs native amd64", ratios, 12.9)
    width, height, rows = read_png(to_png(chart))
    assert (width, height) == (chart.width, chart.height)
    for bar in chart.bars:
        column = round(bar.x + bar.width / 2)
        filled = sum(pixel(rows, column, y) == rgb(bar.colour) for y in range(height))
        assert filled == pytest.approx(bar.height, abs=1.5), bar.name
    # Labels are drawn: ink appears in the title band and under the bars.
    assert any(pixel(rows, x, 22) == rgb(INK) for x in range(width))
    assert any(pixel(rows, x, round(chart.baseline_y) + 14) == rgb(INK) for x in range(width))


def test_every_drawn_character_has_a_glyph_of_seven_rows_of_five():
    for char, glyph in FONT.items():
        rows = glyph.split()
        assert len(rows) == 7 and all(len(row) == 5 and set(row) <= {"#", "."} for row in rows), (
            char
        )
