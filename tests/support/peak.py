"""Run a child process and read its own peak memory (``wait4``'s rusage, the kernel's count).

``resource.getrusage(RUSAGE_CHILDREN)`` would mix in every child the test process ever
waited for, and even ``wait4`` on a direct child is not enough: Linux's ``exec`` keeps the
peak of the memory it replaces, which for a child that Python starts with ``vfork`` is the
test process's own peak. A test process that once grew to 300 MB (a large fixture, another
test in the same xdist worker) made every child it started "peak" at 300 MB. So a small
launcher starts the command (a ``fork`` of a ~10 MB process) and reports its peak alone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

# argv: RUSAGE-FILE COMMAND...; writes "EXIT-STATUS PEAK-KB" of COMMAND to RUSAGE-FILE.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}")
"""


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float  # the child's peak resident set size


def run_measured(command: list[str], env: dict[str, str] | None, logs: Path) -> Measured:
    """Run ``command`` (output captured in files under ``logs``), killed after 10 minutes."""
    logs.mkdir(parents=True, exist_ok=True)
    out, err, rusage = logs / "stdout", logs / "stderr", logs / "rusage"
    launch = [sys.executable, "-c", _LAUNCHER, str(rusage), *command]
    with out.open("w") as stdout, err.open("w") as stderr:
        launcher = subprocess.Popen(
            launch, stdout=stdout, stderr=stderr, env=env, start_new_session=True
        )
    watchdog = threading.Timer(600, os.killpg, (launcher.pid, signal.SIGKILL))
    watchdog.start()
    try:
        launcher.wait()
    finally:
        watchdog.cancel()
    assert launcher.returncode == 0, f"the launcher failed: {err.read_text()}"
    returncode, peak_kb = map(int, rusage.read_text().split())
    return Measured(returncode, out.read_text(), err.read_text(), peak_kb / 1024)
