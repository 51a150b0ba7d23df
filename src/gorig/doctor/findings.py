"""What a check returns: findings with a severity and a fix, and one result per check.

Named tuples and a plain class rather than dataclasses: building a dataclass runs
generated code at import, and the doctor's start-up time is measured.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:  # typing's import costs the doctor a third of a Python start
    from gorig.record import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

# A check's status: clean, the worst severity it found, or "failed" when a probe it needs failed.
OK = "ok"
FAILED = "failed"
SKIPPED = "skipped"  # the check does not apply to the recorded machine's OS


class Finding(NamedTuple):
    """One thing wrong: ``title`` is one line, ``fix`` a command to copy or the line to change."""

    id: str
    severity: str
    title: str
    detail: str = ""
    fix: str = ""

    def to_dict(self) -> dict[str, str]:
        return self._asdict()


class CheckResult:
    """The outcome of one check id over one facts document."""

    def __init__(self, check_id: str, summary: str) -> None:
        self.id = check_id
        self.summary = summary
        self.status = OK
        self.findings: list[Finding] = []
        self.failed_probes: dict[str, str] = {}  # probe name -> its error

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
