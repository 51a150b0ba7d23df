"""``gorig doctor``: find every known way a Go set-up is broken, and the fix.

Two phases. :func:`collect` gathers facts (host, PATH, every ``go`` read from its headers,
one ``go env``, settings files, compiler, tools, project files) into one
JSON-serialisable document; :func:`diagnose` is a pure function from that document to
findings, so a saved document (``--facts``) from another machine is diagnosed the same way.

Names are loaded on first use: importing ``gorig.doctor.collect`` must not import the
checks, so ``go env`` starts before they load.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_EXPORTS = {
    "CHECKS": "gorig.doctor.checks",
    "diagnose": "gorig.doctor.checks",
    "run_checks": "gorig.doctor.checks",
    "select": "gorig.doctor.checks",
    "collect": "gorig.doctor.collect",
    "SCHEMA": "gorig.doctor.document",
    "CheckResult": "gorig.doctor.findings",
    "Finding": "gorig.doctor.findings",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'gorig.doctor' has no attribute {name!r}")
    return getattr(__import__(_EXPORTS[name], fromlist=[name]), name)  # importlib: an import
