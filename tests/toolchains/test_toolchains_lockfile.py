"""The store's lock: processes exclude each other (and filelock users), a busy lock times
out, and a killed holder frees it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from gorig.toolchains.lockfile import LockBusy, hold

HOLDER = """\
import sys, time
from gorig.toolchains.lockfile import hold
with hold(sys.argv[1]):
    print("held", flush=True)
    time.sleep(600)
"""


def _holder(path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE,
                             text=True)  # fmt: skip
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    return child


def test_another_process_holding_it_makes_a_try_fail_and_its_death_frees_it(tmp_path):
    path = tmp_path / "go1.22.lock"
    child = _holder(path)
    try:
        with pytest.raises(LockBusy), hold(str(path), timeout=0):
            pass
        with pytest.raises(LockBusy), hold(str(path), timeout=0.2):
            pass
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    with hold(str(path), timeout=0):
        pass


def test_it_excludes_filelock_users_both_ways(tmp_path):
    """filelock on POSIX is flock too: older gorig processes and this one exclude each other."""
    path = str(tmp_path / "go1.22.lock")
    with FileLock(path, timeout=0), pytest.raises(LockBusy), hold(path, timeout=0):
        pass
    child = _holder(Path(path))
    try:
        from filelock import Timeout

        with pytest.raises(Timeout), FileLock(path, timeout=0):
            pass
    finally:
        child.kill()
        child.wait()
