"""All doctor checks, in the catalogue's order, and the pure ``diagnose`` over facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

# Importing the check modules registers their checks.
from gorig.doctor.checks import environment, modules, platform, toolchain  # noqa: F401
from gorig.doctor.checks.registry import REGISTRY, Check
from gorig.doctor.findings import FAILED, SKIPPED, CheckResult, Finding, worst
from gorig.doctor.verdict import EXIT_BROKEN
from gorig.errors import GorigError

if TYPE_CHECKING:
    from gorig.doctor.facts import Facts

# The catalogue's order: the most common failures first.
ORDER = (
    "host.translated",
    "go.arch",
    "path.go-shadowed",
    "brew.intel-prefix",
    "env.overrides",
    "cgo.compiler",
    "tools.arch",
    "modules.sumdb-off",
    "modules.proxy",
    "docker.platform",
    "toolchain.directive",
    "goroot.mismatch",
    "env.goarm-ignored",
    "goamd64.level",
    "linux.userland",
    "linux.binfmt",
    "gobin.path",
    "cc.override",
    "xcode.clt",
    "dns.resolver",
)
assert set(ORDER) == set(REGISTRY), "every registered check has a place in ORDER"

CHECKS: tuple[Check, ...] = tuple(REGISTRY[check_id] for check_id in ORDER)


def select(ids: list[str] | None = None) -> tuple[Check, ...]:
    """The checks named by ``ids`` (all of them when empty); unknown ids are an error."""
    if not ids:
        return CHECKS
    unknown = [check_id for check_id in ids if check_id not in REGISTRY]
    if unknown:
        raise GorigError(
            f"unknown check {', '.join(unknown)}; run 'gorig doctor --list-checks' to list them",
            exit_code=EXIT_BROKEN,
        )
    return tuple(c for c in CHECKS if c.id in ids)


def _failed_probes(check: Check, facts: Facts) -> dict[str, str]:
    probes = facts["probes"]
    return {
        name: probes[name]["error"] or "failed"
        for name in check.needs
        if name in probes and not probes[name]["ok"]
    }


def run_checks(facts: Facts, ids: list[str] | None = None) -> list[CheckResult]:
    """Run the selected checks; one whose probe failed, or for another OS, is not run."""
    results = []
    for selected in select(ids):
        result = CheckResult(selected.id, selected.summary)
        result.failed_probes = _failed_probes(selected, facts)
        if selected.platforms and facts["host"]["os"] not in selected.platforms:
            result.status = SKIPPED
        elif result.failed_probes:
            result.status = FAILED
        else:
            result.findings = selected.run(facts)
            result.status = worst(result.findings)
        results.append(result)
    return results


def diagnose(facts: Facts, ids: list[str] | None = None) -> list[Finding]:
    """Every finding over ``facts``: plain data in, findings out."""
    return [finding for result in run_checks(facts, ids) for finding in result.findings]
