"""A fleet report: the findings of many machines' saved facts, grouped by finding id.

Pure: each machine comes in as its name and either its check results or why its document
was refused; the report comes out as plain data the command line renders. One refused
document (another gorig's schema, not JSON, too large) is listed, never fatal.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

from gorig.doctor.findings import SEVERITIES
from gorig.doctor.verdict import EXIT_BROKEN, EXIT_CLEAN, EXIT_FOUND, counts

if TYPE_CHECKING:
    from gorig.doctor.findings import CheckResult


class Machine(NamedTuple):
    """One saved document: the machine's name (its file's stem) and what it gave."""

    name: str
    results: list[CheckResult] | None  # None: the document was refused
    refused: str = ""  # why, one line


def machine_entry(machine: Machine) -> dict[str, Any]:
    """What ``--report --json`` says of one machine."""
    if machine.results is None:
        return {"name": machine.name, "status": "refused", "error": machine.refused}
    findings = [f.to_dict() for r in machine.results for f in r.findings]
    return {
        "name": machine.name,
        "status": "read",
        "findings": findings,
        "counts": counts(machine.results),
        "failed_checks": [r.id for r in machine.results if r.status == "failed"],
    }


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def finding_entries(machines: list[Machine]) -> list[dict[str, Any]]:
    """One entry per finding id: its worst severity, the machines with it, their fixes.

    ``fix`` is the one most machines share (paths differ per machine); ``fixes`` has each
    machine's own. Sorted worst first, then by how many machines have it.
    """
    grouped: dict[str, list[tuple[str, Any]]] = {}
    for machine in machines:
        for result in machine.results or []:
            for finding in result.findings:
                grouped.setdefault(finding.id, []).append((machine.name, finding))
    entries = []
    for finding_id, found in grouped.items():
        names = sorted({name for name, _ in found})
        fixes = Counter(f.fix for _, f in found if f.fix)
        entries.append(
            {
                "id": finding_id,
                "severity": min((f.severity for _, f in found), key=_rank),
                "count": len(names),
                "machines": names,
                "title": Counter(f.title for _, f in found).most_common(1)[0][0],
                "fix": fixes.most_common(1)[0][0] if fixes else "",
                "fixes": {name: f.fix for name, f in found if f.fix},
            }
        )
    return sorted(entries, key=lambda e: (_rank(e["severity"]), -e["count"], e["id"]))


def report(machines: list[Machine]) -> dict[str, Any]:
    """The whole report: per finding, per machine, and how many were read or refused."""
    read = [m for m in machines if m.results is not None]
    return {
        "findings": finding_entries(machines),
        "machines": [machine_entry(m) for m in machines],
        "read": len(read),
        "refused": len(machines) - len(read),
    }


def exit_code(machines: list[Machine], strict: bool) -> int:
    """2 when no document could be read; 1 when one was refused or a machine has an error
    (with ``strict``: a warning); else 0."""
    from gorig.doctor.verdict import exit_code as machine_exit

    read = [m.results for m in machines if m.results is not None]
    if not read:
        return EXIT_BROKEN
    if len(read) < len(machines) or any(machine_exit(r, strict) for r in read):
        return EXIT_FOUND
    return EXIT_CLEAN
