"""Medians, spreads, the geometric mean, and the SVG chart parsed back as XML."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gorig.bench.plot import MARGIN, MEAN_LABEL, ratio_svg
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


def test_svg_has_one_bar_per_workload_and_the_mean_scaled_to_the_ratio():
    ratios = [("sha256", 30.0), ("gc", 8.0), ("json & <co>", 2.0)]
    mean = geometric_mean([value for _, value in ratios])
    root, bars = bars_of(ratio_svg("arm64 via qemu-aarch64", ratios, mean))
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
    root, bars = bars_of(ratio_svg("t", [("a", 1.5), ("b", 37.0)], 7.4))
    assert min(float(bar.get("y")) for bar in bars) >= MARGIN["top"]
    ticks = [text.text for text in root.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    assert ticks[-1] == "50×"
