"""The shipped workloads: where their sources are, building them, running one and reading it.

Each workload is a stdlib-only Go command under ``workloads/<name>/`` (one Go module, so they
share ``internal/report``). It does a fixed amount of work times ``-scale``, then prints one
JSON line: ``{"workload": name, "ns": elapsed, "answer": checksum}``. The time is the
program's own, so process and emulator start-up are not part of it.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

from gorig.bench.emulation import RunPlan
from gorig.errors import GorigError
from gorig.i18n import _
from gorig.matrix.compile import go_build
from gorig.targets import Target

WORKLOADS: tuple[str, ...] = ("sha256", "bigmath", "gc", "json", "regexp", "goroutines")

# The workloads build the same whatever the user's Go settings: no workspace, no toolchain
# switch (the resolved toolchain is the one measured), no inherited build flags.
BUILD_ENV: dict[str, str] = {"GOWORK": "off", "GOTOOLCHAIN": "local", "GOFLAGS": ""}

# Seconds one run may take before it counts as hung.
RUN_TIMEOUT = 900


def source_dir() -> Path:
    """The Go module holding the workloads, inside the installed package."""
    return Path(str(files("gorig.bench") / "workloads"))


def select(names: list[str] | None) -> tuple[str, ...]:
    """The workloads to run, in the order given; all of them when ``names`` is empty."""
    if not names:
        return WORKLOADS
    unknown = [name for name in names if name not in WORKLOADS]
    if unknown:
        raise GorigError(
            _("unknown workload {name}; choose from {choices}").format(
                name=repr(unknown[0]), choices=", ".join(WORKLOADS)
            ),
            exit_code=2,
        )
    return tuple(dict.fromkeys(names))


def build(go: Path, name: str, target: Target, out_dir: Path, environ: Mapping[str, str]) -> Path:
    """Cross-compile one workload for ``target``; returns the binary's path."""
    output = out_dir / f"{name}-{target.goos}-{target.goarch}"
    go_build(go, f"./{name}", target, output, cwd=source_dir(), environ=environ, env=BUILD_ENV)
    return output


def go_version(go: Path, environ: Mapping[str, str]) -> str:
    """``go env GOVERSION`` of the toolchain that builds the workloads."""
    try:
        done = subprocess.run(
            [str(go), "env", "GOVERSION"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            cwd=source_dir(),
            env={**environ, **BUILD_ENV},
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GorigError(f"cannot run {go}: {error}; check the Go toolchain") from error
    if done.returncode != 0:
        raise GorigError(f"{go} env GOVERSION failed; check the Go toolchain")
    return done.stdout.strip()


def run_once(plan: RunPlan, binary: Path, name: str, scale: int) -> tuple[int, str]:
    """Run a workload binary once; returns (its own elapsed ns, its answer)."""
    command = plan.command(binary, "-scale", str(scale))
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, timeout=RUN_TIMEOUT
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GorigError(f"running {name} ({plan.via}) failed: {error}") from error
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise GorigError(f"{name} ({plan.goarch}, {plan.via}) failed: {last}")
    return parse_result(done.stdout, name)


def parse_result(stdout: str, name: str) -> tuple[int, str]:
    """(ns, answer) from a workload's JSON line, checked for shape (pure)."""
    lines = stdout.strip().splitlines()
    try:
        line = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        line = {}
    ns, answer = line.get("ns"), line.get("answer")
    if line.get("workload") != name or not isinstance(ns, int) or not isinstance(answer, str):
        raise GorigError(f"{name} printed no result line; its output was {stdout.strip()[:200]!r}")
    return ns, answer
