"""Shared fixtures: how to run gorig as a user would, and isolated gorig homes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GORIG = [sys.executable, "-m", "gorig"]

# The tests' expected messages are gorig's English: a developer whose locale is zh_CN must
# see the same results. Messages follow LC_MESSAGES (LANG keeps the character encoding);
# tests of other languages set LANG in an environment they build without these.
for _name in ("GORIG_LANG", "LANGUAGE", "LC_ALL"):
    os.environ.pop(_name, None)
os.environ["LC_MESSAGES"] = "C.UTF-8"


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


SLOW_MARKERS = ("toolchain", "qemu", "network", "fuzz")
# Shared fixtures that need a slow part, so every test requesting them (however indirectly)
# carries its marker: the configure tests' store is filled by `gorig install` with real Go,
# the trust tests' release archive is made of a real GOROOT's files.
FIXTURE_MARKERS = {"store": "toolchain", "release_archive": "toolchain"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the slow fixtures they use; every slow part also makes a test ``slow``."""
    for item in items:
        for fixture in set(getattr(item, "fixturenames", ())) & FIXTURE_MARKERS.keys():
            item.add_marker(FIXTURE_MARKERS[fixture])
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)
