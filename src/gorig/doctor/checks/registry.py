"""The check registry: one small function per check id, Homebrew ``diagnostic.rb`` style.

A check takes the facts document and returns findings (an empty list when all is well).
It declares the probes it reads, so ``--check`` runs only those; a check that reads a
section of a failed probe (declared or not) shows as "could not check" instead of a false
all-clear, unless it ``reports`` that probe's failure itself.
"""

from __future__ import annotations

from gorig.doctor.findings import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NamedTuple, TypeAlias

    from gorig.doctor.facts import Facts
else:  # typing's import costs the doctor a third of a Python start
    from gorig.record import NamedTuple

CheckFunction: TypeAlias = "Callable[[Facts], list[Finding]]"  # no collections.abc at run time


class Check(NamedTuple):
    id: str
    severity: str  # the worst severity this check reports
    summary: str  # what "✓" means for this check, one line
    needs: tuple[str, ...]  # probe names whose facts it reads
    run: CheckFunction
    platforms: tuple[str, ...] = ()  # the GOOS values it applies to; empty for all
    reports: tuple[str, ...] = ()  # probes whose failure is its finding, not its failure


REGISTRY: dict[str, Check] = {}


def check(
    check_id: str,
    severity: str,
    summary: str,
    needs: tuple[str, ...] = (),
    platforms: tuple[str, ...] = (),
    reports: tuple[str, ...] = (),
) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as check ``check_id``."""

    def register(function: CheckFunction) -> CheckFunction:
        REGISTRY[check_id] = Check(check_id, severity, summary, needs, function, platforms, reports)
        return function

    return register
