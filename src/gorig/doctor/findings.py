"""What a check returns: findings with a severity and a fix, and one result per check."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

# A check's status: clean, the worst severity it found, or "failed" when a probe it needs failed.
OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"  # the check does not apply to the recorded machine's OS


@dataclass(frozen=True)
class Finding:
    """One thing wrong: ``title`` is one line, ``fix`` a command to copy or the line to change."""

    id: str
    severity: str
    title: str
    detail: str = ""
    fix: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class CheckResult:
    """The outcome of one check id over one facts document."""

    id: str
    summary: str
    status: str = OK
    findings: list[Finding] = field(default_factory=list)
    failed_probes: dict[str, str] = field(default_factory=dict)  # probe name -> its error

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "findings": [finding.to_dict() for finding in self.findings],
            "failed_probes": self.failed_probes,
        }


def worst(findings: list[Finding]) -> str:
    """The status a list of findings gives its check."""
    for severity in SEVERITIES:
        if any(finding.severity == severity for finding in findings):
            return severity
    return OK
