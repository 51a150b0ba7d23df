"""``gorig bench``: what running a foreign architecture's code costs here, against native.

Each shipped workload is built twice with the resolved toolchain, for the host's native
architecture and for ``against``, then run (warm-up first) the way the host runs that
architecture: directly, through Rosetta, through a binfmt handler or through qemu-user.
The result is plain data; rendering is the CLI's business.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gorig.bench.emulation import QEMU_ARCH, Emulators, RunPlan, run_plan
from gorig.bench.stats import Timing, geometric_mean, ratio
from gorig.bench.suite import build, go_version, run_once, select
from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.i18n import _
from gorig.targets import Target

# Called with a short label before each build and each run, so a display can advance.
Step = Callable[[str], None]


@dataclass(frozen=True)
class Measurement:
    """What to measure: workloads, the foreign GOARCH, runs per binary, work per run."""

    workloads: tuple[str, ...]
    against: str
    runs: int = 5
    scale: int = 5
    warmup: int = 1

    @property
    def steps(self) -> int:
        """Builds plus runs: the length of a progress bar."""
        return len(self.workloads) * 2 * (1 + self.warmup + self.runs)


@dataclass(frozen=True)
class Plans:
    """How the native and the foreign binaries are started on this host."""

    goos: str
    native: RunPlan
    foreign: RunPlan


@dataclass(frozen=True)
class WorkloadResult:
    name: str
    native: Timing
    emulated: Timing
    native_answer: str
    emulated_answer: str

    @property
    def answers_match(self) -> bool:
        return self.native_answer == self.emulated_answer

    @property
    def ratio(self) -> float:
        return ratio(self.emulated, self.native)

    def to_dict(self) -> dict[str, Any]:
        return {
            "workload": self.name,
            "native": self.native.to_dict(),
            "emulated": self.emulated.to_dict(),
            "ratio": round(self.ratio, 4),
            "native_answer": self.native_answer,
            "emulated_answer": self.emulated_answer,
            "answers_match": self.answers_match,
        }


@dataclass(frozen=True)
class BenchReport:
    plans: Plans
    go: str  # the toolchain's path
    go_version: str
    settings: Measurement
    results: tuple[WorkloadResult, ...]

    @property
    def geomean_ratio(self) -> float:
        return geometric_mean([result.ratio for result in self.results])

    def to_dict(self) -> dict[str, Any]:
        plans = self.plans
        return {
            "native": {"platform": f"{plans.goos}/{plans.native.goarch}", "via": plans.native.via},
            "against": {
                "platform": f"{plans.goos}/{plans.foreign.goarch}",
                "via": plans.foreign.via,
                "command_prefix": list(plans.foreign.prefix),
            },
            "go": self.go,
            "go_version": self.go_version,
            "runs": self.settings.runs,
            "warmup": self.settings.warmup,
            "scale": self.settings.scale,
            "workloads": [result.to_dict() for result in self.results],
            "geomean_ratio": round(self.geomean_ratio, 4),
        }


def make_settings(
    facts: HostFacts, workloads: list[str] | None, against: str, runs: int, scale: int
) -> Measurement:
    """Check the user's choices and return them as :class:`Measurement`."""
    if runs < 1 or scale < 1:
        raise GorigError(_("--runs and --scale must be at least 1"), exit_code=2)
    if against not in QEMU_ARCH:
        raise GorigError(
            _("--against {arch}: not a Go architecture; use one of {choices}").format(
                arch=against, choices=", ".join(QEMU_ARCH)
            ),
            exit_code=2,
        )
    if against == native_platform(facts)[1]:
        raise GorigError(
            _("--against {arch} is this machine's own architecture; pick a foreign one").format(
                arch=against
            ),
            exit_code=2,
        )
    return Measurement(select(workloads), against, runs, scale)


def make_plans(facts: HostFacts, against: str, emulators: Emulators) -> Plans:
    """Decide how both binaries run, before anything is built (fails fast without emulator)."""
    goos, native = native_platform(facts)
    return Plans(goos, run_plan(facts, native, emulators), run_plan(facts, against, emulators))


def run_bench(
    go: Path, plans: Plans, settings: Measurement, step: Step, environ: Mapping[str, str]
) -> BenchReport:
    """Build every workload for both architectures, then measure each pair.

    ``environ`` is the command's environment, which the builds start from."""
    version = go_version(go, environ)
    with tempfile.TemporaryDirectory(prefix="gorig-bench-") as scratch:
        binaries: dict[tuple[str, str], Path] = {}
        for name in settings.workloads:
            for plan in (plans.native, plans.foreign):
                step(_("build {name} for {platform}").format(
                    name=name, platform=f"{plans.goos}/{plan.goarch}"))  # fmt: skip
                target = Target(plans.goos, plan.goarch)
                binaries[name, plan.goarch] = build(go, name, target, Path(scratch), environ)
        results = tuple(
            _measure_pair(name, plans, binaries, settings, step) for name in settings.workloads
        )
    return BenchReport(plans, str(go), version, settings, results)


def _measure_pair(
    name: str,
    plans: Plans,
    binaries: dict[tuple[str, str], Path],
    settings: Measurement,
    step: Step,
) -> WorkloadResult:
    """Warm-up runs (discarded), then native and emulated runs taken in turn.

    Alternating means a change in the machine's load while measuring (other processes,
    thermal limits) falls on both sides instead of skewing the ratio.
    """
    sides = [(plan, binaries[name, plan.goarch]) for plan in (plans.native, plans.foreign)]
    samples: list[list[int]] = [[], []]
    answers: list[set[str]] = [set(), set()]
    for index in range(settings.warmup + settings.runs):
        warm = index < settings.warmup
        label = (
            _("warm-up")
            if warm
            else _("run {number}/{runs}").format(
                number=index - settings.warmup + 1, runs=settings.runs
            )
        )
        for side, (plan, binary) in enumerate(sides):
            step(f"{name} {plan.goarch} ({plan.via}) {label}")
            ns, answer = run_once(plan, binary, name, settings.scale)
            answers[side].add(answer)
            if not warm:
                samples[side].append(ns)
    for side, (plan, _binary) in enumerate(sides):
        if len(answers[side]) != 1:
            raise GorigError(
                f"{name} on {plan.goarch} gave different answers run to run: {answers[side]}"
            )
    return WorkloadResult(
        name,
        Timing(tuple(samples[0])),
        Timing(tuple(samples[1])),
        answers[0].pop(),
        answers[1].pop(),
    )
