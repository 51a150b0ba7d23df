"""An exclusive lock on a file for as long as a block runs, between processes.

POSIX: ``fcntl.flock`` on the lock file, which is what the filelock package uses there, so
gorig processes of any version exclude each other; the lock goes with the process, however
it ends. Windows: filelock. Importing filelock costs more than a bare interpreter start
(logging, decimal, dataclasses...), and every install and uninstall takes a lock.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

POLL_SECONDS = 0.05


class LockBusy(Exception):
    """Another process held the lock for the whole timeout."""


@contextmanager
def hold(path: str, timeout: float = -1) -> Iterator[None]:
    """Hold the lock of ``path`` (created if missing) while the block runs.

    ``timeout`` is in seconds: ``-1`` waits as long as it takes, ``0`` tries once.
    """
    if os.name == "nt":
        with _hold_filelock(path, timeout):
            yield
        return
    import fcntl

    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if timeout >= 0 and deadline <= time.monotonic():
                    raise LockBusy(path) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(handle)  # closing the descriptor releases the lock


@contextmanager
def _hold_filelock(path: str, timeout: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    try:
        with FileLock(path, timeout=timeout):
            yield
    except Timeout:
        raise LockBusy(path) from None
