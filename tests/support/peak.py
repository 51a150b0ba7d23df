"""Run a child process and read its own peak memory (``wait4``'s rusage, the kernel's count).

``resource.getrusage(RUSAGE_CHILDREN)`` would mix in every child the test process ever
waited for; ``wait4`` gives the peak RSS of exactly this one.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float  # the child's peak resident set size


def run_measured(command: list[str], env: dict[str, str], logs: Path) -> Measured:
    """Run ``command`` (output captured in files under ``logs``), killed after 10 minutes."""
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / "stdout", logs / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=env)
    watchdog = threading.Timer(600, child.kill)
    watchdog.start()
    try:
        _, status, usage = os.wait4(child.pid, 0)
    finally:
        watchdog.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    return Measured(child.returncode, out.read_text(), err.read_text(), usage.ru_maxrss / 1024)
