#!/usr/bin/env python3
"""Benchmark: ``gorig inspect --json`` against ``go version -m`` over the executables corpus.

Both are run as whole processes (start-up included) over the same directories, several
times each after one warm-up run; the medians and their ratio gorig/go are printed, for the
whole corpus (the goal: ratio <= 1.0) and for its Linux ELF part alone. The corpus is the
tests' (tests/support/corpus.py), built on first use.

Usage: benchmarks/inspect_corpus.py [--runs N] [DIR...]   (default: the whole corpus)
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import corpus, gobin  # noqa: E402


def gorig_command() -> list[str]:
    """The installed console script when there is one, else ``python -m gorig``."""
    script = Path(sys.executable).with_name("gorig")
    if script.exists():
        return [str(script)]
    found = shutil.which("gorig")
    return [found] if found else [sys.executable, "-m", "gorig"]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - start


def measure(title: str, dirs: list[Path], runs: int) -> None:
    """Time both tools over ``dirs`` and print the medians and their ratio."""
    files = [p for d in dirs for p in d.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    env = {**os.environ, "GOTOOLCHAIN": "local"}
    go = [str(gobin.go_binary(gobin.GO_1_27)), "version", "-m", *map(str, dirs)]
    mine = [*gorig_command(), "inspect", "--json", *map(str, dirs)]
    for argv in (go, mine):
        timed(argv, env)  # warm the page cache and the bytecode
    go_times, gorig_times = [], []
    for _ in range(runs):
        go_times.append(timed(go, env))
        gorig_times.append(timed(mine, env))
    go_median, gorig_median = statistics.median(go_times), statistics.median(gorig_times)
    print(f"{title}: {len(files)} files, {size / 1e6:.0f} MB, {runs} runs each")
    print(f"  go version -m         median {go_median * 1000:8.1f} ms")
    print(f"  gorig inspect --json  median {gorig_median * 1000:8.1f} ms")
    print(f"  ratio gorig/go: {gorig_median / go_median:.2f} (goal <= 1.0)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("dirs", nargs="*", type=Path)
    options = parser.parse_args()
    # What an installed gorig runs: byte-compiled modules (an editable install may have none).
    compileall.compile_dir(ROOT / "src" / "gorig", quiet=1)
    if options.dirs:
        measure("given directories", options.dirs, options.runs)
        return 0
    measure("whole corpus (ELF, Mach-O, PE)", [corpus.root()], options.runs)
    # Go's ELF reader skips the symbol tables its Mach-O and PE readers load, so a Linux-only
    # set is where Python's start-up weighs most: reported, not hidden.
    linux = [corpus.wheel_dir(v, p) for v, p in corpus.WHEEL_SETS if p.startswith("linux-")]
    measure("Linux ELF wheels only", linux, options.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
