"""``gorig doctor``: find every known way a Go set-up is broken, and the fix.

Two phases. :func:`collect` gathers facts (host, PATH, every ``go`` read from its headers,
one ``go env -json``, settings files, compiler, tools, project files) into one
JSON-serialisable document; :func:`diagnose` is a pure function from that document to
findings, so a saved document (``--facts``) from another machine is diagnosed the same way.
"""

from gorig.doctor.checks import CHECKS, diagnose, run_checks, select
from gorig.doctor.collect import SCHEMA, collect
from gorig.doctor.findings import CheckResult, Finding

__all__ = [
    "CHECKS",
    "SCHEMA",
    "CheckResult",
    "Finding",
    "collect",
    "diagnose",
    "run_checks",
    "select",
]
