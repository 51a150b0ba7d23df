"""Shared fixtures: how to run gorig as a user would, and isolated gorig homes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GORIG = [sys.executable, "-m", "gorig"]


def run_gorig(
    *args: str | os.PathLike[str],
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    input: str | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run the real ``gorig`` command in a child process and capture its output."""
    return subprocess.run(
        [*GORIG, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        input=input,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def gorig_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private GORIG_HOME for one test, also set for child processes."""
    home = tmp_path / "gorig-home"
    monkeypatch.setenv("GORIG_HOME", str(home))
    return home
