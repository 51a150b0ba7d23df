"""Real read-only and full file systems for fault tests (root only: bind mounts and tmpfs).

Running as root, ``chmod`` does not stop writes, so a read-only directory is a read-only bind
mount of it, and a full disk is a small tmpfs: the kernel itself answers ``EROFS`` and
``ENOSPC``, at the real moment, to the real gorig. Each mount is undone when the block ends.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here (needs root with CAP_SYS_ADMIN): {done.stderr.strip()}")


@contextmanager
def _mounted(path: Path, *args: str) -> Iterator[Path]:
    _mount(*args)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


@contextmanager
def read_only(path: Path) -> Iterator[Path]:
    """``path`` (an existing directory) read-only for everyone, root included."""
    with _mounted(path, "--bind", str(path), str(path)):
        _mount("-o", "remount,bind,ro", str(path))
        yield path


@contextmanager
def small_disk(path: Path, megabytes: int) -> Iterator[Path]:
    """An empty file system of ``megabytes`` at ``path`` (created), to fill up."""
    path.mkdir(parents=True, exist_ok=True)
    with _mounted(path, "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)):
        yield path
