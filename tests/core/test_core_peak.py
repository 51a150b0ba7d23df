"""The tests' memory measurement (``tests/support/peak.py``) reads a child's own peak."""

from __future__ import annotations

import sys
from pathlib import Path

from support.peak import run_measured

MIB = 1 << 20


def test_a_childs_peak_is_its_own_not_the_test_processs(tmp_path: Path) -> None:
    """Before: a child of a test process that had once grown to 300 MB "peaked" at 300 MB.

    That made the doctor's bounded-memory tests fail in an xdist worker that had run a
    large test before them, and pass alone.
    """
    ballast = b"\x01" * (256 * MIB)  # resident: every page written
    small = run_measured([sys.executable, "-c", "pass"], None, tmp_path / "small")
    del ballast
    assert small.returncode == 0, small.stderr
    assert small.peak_mb < 100


def test_a_childs_growth_and_exit_status_are_reported(tmp_path: Path) -> None:
    grow = "import sys; data = b'x' * (200 << 20); print(len(data)); sys.exit(3)"
    grown = run_measured([sys.executable, "-c", grow], None, tmp_path)
    assert grown.returncode == 3
    assert grown.stdout == f"{200 * MIB}\n"
    assert grown.peak_mb >= 200
