"""Stop or kill a real child process at an exact system call, with strace.

Deterministic fault points without hooks in gorig: ``strace -e inject=CALL:signal=SIG:when=N``
delivers SIG as the child's main thread enters its N-th CALL. SIGKILL ends it right there,
before that call runs; SIGSTOP lets the call finish and holds the child just after it, until
the test sends SIGCONT. :func:`trace` lists the calls one run makes, so a test can take
every one of them as a kill point.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

# The calls that change a directory tree: every step of an install, swap or removal.
TREE_CALLS = (
    "rename",
    "renameat",
    "renameat2",
    "symlink",
    "symlinkat",
    "unlink",
    "unlinkat",
    "rmdir",
    "mkdir",
    "mkdirat",
)
_LINE = re.compile(r"^(?P<pid>\d+) +(?P<name>\w+)\((?P<args>.*)\) += (?P<result>-?\d+)")


@dataclass(frozen=True)
class Call:
    """The ``ordinal``-th call of ``name`` made by the child's main thread."""

    name: str
    ordinal: int
    args: str

    def __str__(self) -> str:
        return f"{self.name}#{self.ordinal}({self.args[:120]})"


def strace() -> str:
    found = shutil.which("strace")
    if found is None:
        pytest.skip("strace is not installed (scripts/test installs it)")
    return found


def trace(
    argv: list[str], env: dict[str, str], log: Path, calls: tuple[str, ...] = TREE_CALLS
) -> tuple[subprocess.CompletedProcess[str], list[Call]]:
    """Run ``argv`` once under strace; the ``calls`` its main thread made, in order."""
    done = subprocess.run(
        [strace(), "-f", "-qq", "-o", str(log), "-e", f"trace={','.join(calls)}", "--", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    lines = [m for m in map(_LINE.match, log.read_text().splitlines()) if m]
    main = lines[0]["pid"] if lines else ""
    seen: Counter[str] = Counter()
    made = []
    for match in lines:
        if match["pid"] == main:
            seen[match["name"]] += 1
            made.append(Call(match["name"], seen[match["name"]], match["args"]))
    return done, made


def _inject(call: Call, sig: str) -> list[str]:
    return [
        strace(),
        "-f",
        "-qq",
        "-o",
        os.devnull,
        "-e",
        f"trace={call.name}",
        "-e",
        f"inject={call.name}:signal={sig}:when={call.ordinal}",
        "--",
    ]


def kill_at(argv: list[str], env: dict[str, str], call: Call) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` and SIGKILL it as it enters ``call`` (which therefore never runs)."""
    return subprocess.run(
        [*_inject(call, "SIGKILL"), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


class Stopped:
    """``argv`` running under strace, held just after ``call`` until :meth:`resume`.

    strace's log says when the child has entered the stop (a traced child also stops briefly
    at every traced call, so its process state alone proves nothing). Used as a context
    manager, it kills a child still held when the block ends (a failed test).
    """

    def __init__(self, argv: list[str], env: dict[str, str], call: Call, log: Path) -> None:
        self.log = log
        command = _inject(call, "SIGSTOP")
        command[command.index(os.devnull)] = str(log)
        self.process = subprocess.Popen(
            [*command, *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.child = self._wait_stopped()

    def __enter__(self) -> Stopped:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            os.kill(self.child, signal.SIGKILL)
            self.process.communicate(timeout=60)

    def _wait_stopped(self) -> int:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"never stopped: {self.process.communicate()}")
            if self.log.exists() and "--- stopped by SIGSTOP ---" in self.log.read_text():
                return self._traced()
            time.sleep(0.01)
        os.kill(self._traced(), signal.SIGKILL)
        raise AssertionError("the child never reached its stop point")

    def _traced(self) -> int:
        pid = self.process.pid
        return int(Path(f"/proc/{pid}/task/{pid}/children").read_text().split()[0])

    def resume(self) -> subprocess.CompletedProcess[str]:
        os.kill(self.child, signal.SIGCONT)
        out, err = self.process.communicate(timeout=600)
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, out, err)
