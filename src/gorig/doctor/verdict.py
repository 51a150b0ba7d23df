"""The doctor's verdict over check results: counts, the exit status, and the facts in brief.

Decisions, not printing: the command line only renders what these return.
"""

from __future__ import annotations

from gorig.doctor.findings import FAILED, SKIPPED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from gorig.doctor.facts import Facts, GoOnPath
    from gorig.doctor.findings import CheckResult

EXIT_CLEAN, EXIT_FOUND, EXIT_BROKEN = 0, 1, 2


def counts(results: list[CheckResult]) -> dict[str, int]:
    """Findings per severity, checks that could not run, and checks that ran."""
    tally = {"error": 0, "warning": 0, "info": 0, "failed": 0, "checks": 0}
    for result in results:
        for finding in result.findings:
            tally[finding.severity] += 1
        tally["failed"] += result.status == FAILED
        tally["checks"] += result.status != SKIPPED
    return tally


def exit_code(results: list[CheckResult], strict: bool) -> int:
    """1 on any error; with ``strict`` also on a warning or a check that could not run."""
    tally = counts(results)
    if tally["error"] or (strict and (tally["warning"] or tally["failed"])):
        return EXIT_FOUND
    return EXIT_CLEAN


def _go_summary(go: GoOnPath | None) -> dict[str, Any] | None:
    if go is None:
        return None
    platform = f"{go.get('goos')}/{'+'.join(go.get('archs') or [])}"
    return {"path": go["path"], "version": go.get("go_version"), "platform": platform}


def facts_summary(facts: Facts) -> dict[str, Any]:
    """The machine in a few fields: what the report's head line and ``facts_summary`` show."""
    host, gos = facts["host"], facts.get("gos") or []
    cc, project = facts.get("cc"), facts.get("project")
    return {
        "host": f"{host['os']}/{host['kernel_arch']}",
        "hardware_arch": host["hardware_arch"],
        "translated": host["translated"],
        "go": _go_summary(gos[0] if gos else None),
        "gos_on_path": len(gos),
        "c_compiler": cc["path"] if cc else None,
        "project": project["dir"] if project else None,
        "failed_probes": sorted(name for name, p in facts["probes"].items() if not p["ok"]),
    }


def json_report(facts: Facts, results: list[CheckResult], verbose: bool) -> dict[str, Any]:
    """What ``--json`` prints: findings, checks, counts, the facts in brief (and, verbose,
    every probe's status and all facts)."""
    report: dict[str, Any] = {
        "schema": facts["schema"],
        "findings": [f.to_dict() for r in results for f in r.findings],
        "checks": [r.to_dict() for r in results],
        "counts": counts(results),
        "facts_summary": facts_summary(facts),
    }
    if verbose:
        report["probes"] = facts["probes"]
        report["facts"] = facts
    return report
