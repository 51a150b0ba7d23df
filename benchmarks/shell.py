#!/usr/bin/env python3
"""Benchmark gorig's prompt hook in bash, zsh and fish against an empty shell function.

For each shell: load `gorig shell init SHELL` into one shell process inside a project five
directories below its go.mod, then time ROUNDS rounds of CALLS calls of (a) an empty function
(the baseline), (b) the hook with $PWD unchanged (what every bash prompt pays), (c) the hook
after a directory change (its cache cleared before each call: what `cd` pays in every shell).
Prints the median per-call time over the rounds by the wall clock and as on-CPU time (from
/proc/self/schedstat, steadier on a busy machine), the cost above the baseline in ms, and
the ratio to the baseline. Goal: under 2 ms per prompt in every shell.

Usage: benchmarks/shell.py [--calls 1000] [--rounds 11] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support import gobin  # noqa: E402  (real Go toolchains for the store)

SHELLS = ("bash", "zsh", "fish")
VERSIONS = (gobin.GO_1_27, gobin.GO_1_26)

# Per shell: how to read a clock without forking inside the timed loops, and the loops.
# Wall time from the shell's clock, on-CPU time (ns) from /proc/self/schedstat (Linux; "-"
# elsewhere): on a busy machine the CPU time is the steadier figure.
POSIX_LOOP = """
__bench_empty() {{ :; }}
__bench_empty_reset() {{ __gorig_pwd=; }}
__bench_hook_reset() {{ __gorig_pwd=; __gorig_hook; }}
__bench() {{  # $1: a label, $2: the function to call CALLS times
  local i t0 t1 c0=- c1=- _
  read -r c0 _ < /proc/self/schedstat 2>/dev/null
  t0=$EPOCHREALTIME
  for ((i = 0; i < {calls}; i++)); do $2; done
  t1=$EPOCHREALTIME
  read -r c1 _ < /proc/self/schedstat 2>/dev/null
  echo "$1 $t0 $t1 ${{c0:--}} ${{c1:--}}"
}}
for ((r = 0; r < {rounds}; r++)); do
  __bench empty __bench_empty
  __bench cached __gorig_hook
  __bench reset-empty __bench_empty_reset
  __bench uncached __bench_hook_reset
done
"""
FISH_LOOP = """
function __bench_empty; end
function __bench_empty_reset; set -g __gorig_pwd ''; end
function __bench_hook_reset; set -g __gorig_pwd ''; __gorig_hook; end
function __bench --argument-names label fn
    set -l c0 -
    set -l c1 -
    read -l c0 _ </proc/self/schedstat 2>/dev/null
    set -l t0 (date +%s%N)
    for i in $__bench_calls
        $fn
    end
    set -l t1 (date +%s%N)
    read -l c1 _ </proc/self/schedstat 2>/dev/null
    echo $label (math "$t0 / 1000000000") (math "$t1 / 1000000000") $c0 $c1
end
set -g __bench_calls (seq {calls})
for r in (seq {rounds})
    __bench empty __bench_empty
    __bench cached __gorig_hook
    __bench reset-empty __bench_empty_reset
    __bench uncached __bench_hook_reset
end
"""


def _posix(shell: str, calls: int, rounds: int) -> str:
    head = "zmodload zsh/datetime\n" if shell == "zsh" else ""
    return head + POSIX_LOOP.format(calls=calls, rounds=rounds)


def _store(base: Path) -> tuple[Path, Path]:
    """A gorig home with two real toolchains, and a project dir pinned to the second."""
    home = base / "gorig"
    platform = gobin.HOST_PLATFORM
    for version in VERSIONS:
        root = home / "toolchains" / f"go{version}.{platform}"
        root.mkdir(parents=True)
        for entry in gobin.goroot(version).iterdir():
            (root / entry.name).symlink_to(entry)
    (home / "current").symlink_to(f"toolchains/go{VERSIONS[0]}.{platform}")
    (home / "bin").mkdir()
    (home / "bin" / "go").symlink_to("../current/bin/go")
    project = base / "project"
    deep = project / "a" / "b" / "c" / "d" / "e"
    deep.mkdir(parents=True)
    requires = "".join(f"\tgolang.org/x/mod{i} v0.{i}.0\n" for i in range(20))
    (project / "go.mod").write_text(
        f"module example.com/p\n\ngo {VERSIONS[1]}\n\nrequire (\n{requires})\n"
    )
    return home, deep


def _measure(shell: str, home: Path, cwd: Path, calls: int, rounds: int) -> dict[str, float]:
    env = {"HOME": str(home.parent), "PATH": "/usr/bin:/bin", "GORIG_HOME": str(home)}
    init = subprocess.run(
        [sys.executable, "-m", "gorig", "shell", "init", shell],
        env={**env, "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        check=True,
    )
    code = home.parent / f"init.{shell}"
    code.write_text(init.stdout)
    loop = (
        FISH_LOOP.format(calls=calls, rounds=rounds)
        if shell == "fish"
        else _posix(shell, calls, rounds)
    )
    script = f"source '{code}'\n{loop}"
    done = subprocess.run(
        [shutil.which(shell) or shell, "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for line in done.stdout.splitlines():
        kind, start, end, cpu_start, cpu_end = line.split()
        wall.setdefault(kind, []).append((float(end) - float(start)) / calls * 1000)
        if cpu_start != "-" and cpu_end != "-":
            cpu.setdefault(kind, []).append((int(cpu_end) - int(cpu_start)) / calls / 1e6)
    medians = {kind: statistics.median(values) for kind, values in wall.items()}
    medians |= {f"cpu-{kind}": statistics.median(values) for kind, values in cpu.items()}
    return medians


def _summary(ms: dict[str, float], prefix: str) -> dict[str, float] | None:
    """Costs above the baseline and ratios to it, from one clock's medians."""
    if f"{prefix}empty" not in ms:
        return None
    empty, reset = ms[f"{prefix}empty"], ms[f"{prefix}reset-empty"]
    cached, uncached = ms[f"{prefix}cached"], ms[f"{prefix}uncached"]
    return {
        "baseline_ms": empty,
        "hook_ms": cached,
        "hook_after_cd_ms": uncached,
        "cost_ms": cached - empty,
        "cost_after_cd_ms": uncached - reset,
        "ratio": cached / empty,
        "ratio_after_cd": uncached / reset,
    }


def _print(results: dict[str, dict[str, dict[str, float] | None]], calls: int, rounds: int):
    print(
        f"median per call over {rounds} rounds of {calls} calls, in ms; baseline: an empty "
        "shell function; cost = hook - baseline; wall clock and on-CPU time"
    )
    print(
        f"{'shell':6} {'clock':5} {'baseline':>9} {'hook':>9} {'ratio':>7} {'hook+cd':>9} "
        f"{'ratio':>7} {'cost':>9} {'cost+cd':>9}  goal: cost < 2 ms"
    )
    for shell, clocks in results.items():
        for clock, row in clocks.items():
            if row is None:
                continue
            worst = max(row["cost_ms"], row["cost_after_cd_ms"])
            cells = [
                f"{row['baseline_ms']:9.4f}",
                f"{row['hook_ms']:9.4f}",
                f"{row['ratio']:6.1f}x",
                f"{row['hook_after_cd_ms']:9.4f}",
                f"{row['ratio_after_cd']:6.1f}x",
                f"{row['cost_ms']:9.4f}",
                f"{row['cost_after_cd_ms']:9.4f}",
            ]
            print(f"{shell:6} {clock:5} {' '.join(cells)}  {'met' if worst < 2 else 'MISSED'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        home, deep = _store(Path(scratch))
        for shell in SHELLS:
            if shutil.which(shell) is None:
                print(f"{shell}: not installed, skipped", file=sys.stderr)
                continue
            ms = _measure(shell, home, deep, args.calls, args.rounds)
            results[shell] = {"wall": _summary(ms, ""), "cpu": _summary(ms, "cpu-")}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        _print(results, args.calls, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
