"""All doctor checks, in the catalogue's order, and the pure ``diagnose`` over facts."""

from __future__ import annotations

# Importing the check modules registers their checks.
from gorig.doctor.checks import environment, modules, platform, toolchain  # noqa: F401
from gorig.doctor.checks.registry import REGISTRY, Check
from gorig.doctor.findings import FAILED, SKIPPED, CheckResult, Finding, worst
from gorig.doctor.verdict import EXIT_BROKEN
from gorig.errors import GorigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    "editor.arch",
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


def probes_for(ids: list[str]) -> set[str]:
    """The probes the named checks need: those they declare or report, ``gos`` (the report's
    head line), and ``go_env`` wherever settings are read (Go's defaults come from it)."""
    needed = {"gos"}
    for selected in select(ids):
        needed |= {*selected.needs, *selected.reports}
    return needed | ({"go_env"} if "settings" in needed else set())


# Sections written by a probe of another name; every other probe writes its own name.
PROBE_OF = {"goenv_file": "settings", "goroot_env_file": "settings", "goroot": "settings"}


class _Reads(dict):  # type: ignore[type-arg]
    """A facts document that notes which top-level sections a check reads."""

    def __init__(self, facts: Facts) -> None:
        super().__init__(facts)
        self.sections: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.sections.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.sections.add(key)
        return super().get(key, default)


def _failed(names: set[str], facts: Facts) -> dict[str, str]:
    """The failed probes among ``names``, with their errors."""
    probes = facts["probes"]
    return {
        name: probes[name]["error"] or "failed"
        for name in sorted(names)
        if name in probes and not probes[name]["ok"]
    }


def run_checks(facts: Facts, ids: list[str] | None = None) -> list[CheckResult]:
    """Run the selected checks. One for another OS is skipped; one that needs, or reads any
    section of, a failed probe could not run (its findings would rest on missing facts)."""
    results = []
    for selected in select(ids):
        result = CheckResult(selected.id, selected.summary)
        if selected.platforms and facts["host"]["os"] not in selected.platforms:
            result.status = SKIPPED
            results.append(result)
            continue
        reads = _Reads(facts)
        findings = selected.run(reads)  # type: ignore[arg-type]  # a Facts that notes reads
        read = {PROBE_OF.get(section, section) for section in reads.sections}
        result.failed_probes = _failed((set(selected.needs) | read) - set(selected.reports), facts)
        if result.failed_probes:
            result.status = FAILED
        else:
            result.findings = findings
            result.status = worst(findings)
        results.append(result)
    return results


def diagnose(facts: Facts, ids: list[str] | None = None) -> list[Finding]:
    """Every finding over ``facts``: plain data in, findings out."""
    return [finding for result in run_checks(facts, ids) for finding in result.findings]
