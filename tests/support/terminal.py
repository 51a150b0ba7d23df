"""Run a command on a pseudo-terminal, as a user at a terminal would see it."""

from __future__ import annotations

import os
import pty
import subprocess
from collections.abc import Mapping, Sequence


def run_in_terminal(
    command: Sequence[str | os.PathLike[str]],
    env: Mapping[str, str],
    cwd: str | os.PathLike[str] | None = None,
    *,
    stdout_on_terminal: bool = True,
    timeout: float = 600,
) -> tuple[int, str]:
    """(exit status, everything written to the terminal); stdout may go nowhere instead."""
    primary, secondary = pty.openpty()
    stdout = secondary if stdout_on_terminal else subprocess.DEVNULL
    child = subprocess.Popen(
        command, stdin=secondary, stdout=stdout, stderr=secondary, env=env, cwd=cwd
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 1 << 16)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    return child.wait(timeout=timeout), b"".join(chunks).decode(errors="replace")
