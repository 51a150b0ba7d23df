"""The short commands the doctor runs (``go env``, ``cc -dumpmachine``, on macOS
``xcode-select -p``): started at once, read when their output is needed.

Spawned with ``os.posix_spawn`` and read with ``select``, not through ``subprocess``, whose
import (with ``locale``, ``signal`` and ``selectors``) costs the doctor a third of a bare
Python start. A started command's output waits in its pipes (a few kilobytes; a pipe holds
64 KiB) until :meth:`Running.output` reads it, so a slow command overlaps the doctor's own
work. A bare name is found on PATH, as ``subprocess`` finds it.
"""

from __future__ import annotations

import os
import select
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

COMMAND_TIMEOUT = 3.0
SIGKILL = 9  # the same on every POSIX system; `signal` would import `enum`


class CommandFailed(Exception):
    """A probe's command exited non-zero; the message is its own last line of stderr."""


class Running:
    """A command started with no stdin, its stdout and stderr in pipes; killed when it has
    not finished ``timeout`` seconds after its start."""

    def __init__(
        self, argv: list[str], env: Mapping[str, str], timeout: float = COMMAND_TIMEOUT
    ) -> None:
        self.name = os.path.basename(argv[0])
        self.timeout = timeout
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out_write, 1),
            (os.POSIX_SPAWN_DUP2, err_write, 2),
        ]
        spawn = os.posix_spawn if "/" in argv[0] else os.posix_spawnp
        try:
            self.pid = spawn(argv[0], argv, env, file_actions=actions)
        except BaseException:
            for fd in (out_read, err_read):
                os.close(fd)
            raise
        finally:
            os.close(out_write)
            os.close(err_write)
        self.deadline = time.monotonic() + timeout
        self.stdout, self.stderr = out_read, err_read

    def output(self) -> str:
        """Standard output once the command has exited; raise with its stderr's last line
        when it failed, or when it did not finish in time (it is killed)."""
        code, stdout, stderr = self._read()
        if code != 0:
            last = (stderr.decode("utf-8", "replace").strip().splitlines() or [""])[-1]
            if not last:
                raise CommandFailed(f"{self.name}: exit {code}")
            own = last.startswith(f"{self.name}:")
            raise CommandFailed(last if own else f"{self.name}: {last}")
        return stdout.decode("utf-8", "replace")

    def _read(self) -> tuple[int, bytes, bytes]:
        chunks: dict[int, list[bytes]] = {self.stdout: [], self.stderr: []}
        open_fds = [self.stdout, self.stderr]
        try:
            while open_fds:
                wait = max(0.0, self.deadline - time.monotonic())
                ready, _, _ = select.select(open_fds, [], [], wait)
                if not ready:
                    os.kill(self.pid, SIGKILL)
                    os.waitpid(self.pid, 0)
                    raise CommandFailed(f"{self.name}: no answer in {self.timeout:g} s")
                for fd in ready:
                    data = os.read(fd, 1 << 16)
                    if data:
                        chunks[fd].append(data)
                    else:
                        open_fds.remove(fd)
        finally:
            for fd in chunks:
                os.close(fd)
        _, status = os.waitpid(self.pid, 0)
        stdout, stderr = b"".join(chunks[self.stdout]), b"".join(chunks[self.stderr])
        return os.waitstatus_to_exitcode(status), stdout, stderr


def run(argv: list[str], env: Mapping[str, str], timeout: float = COMMAND_TIMEOUT) -> str:
    """Standard output of a short command (see :class:`Running`)."""
    return Running(argv, env, timeout).output()
