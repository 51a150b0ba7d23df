"""Executables on PATH, found the way a shell finds them, without ``shutil`` (which brings
``fnmatch``, ``bz2`` and ``lzma`` onto a local command's start-up)."""

from __future__ import annotations

import os


def path_entries(path: str) -> list[str]:
    """The directories of a PATH value, in order; empty entries dropped."""
    return [entry for entry in path.split(os.pathsep) if entry]


def which_all(name: str, path_entries: list[str]) -> list[str]:
    """Every executable called ``name`` in ``path_entries``, in order."""
    candidates = [os.path.join(entry, name) for entry in path_entries]  # noqa: PTH118
    return [found for found in candidates if os.path.isfile(found) and os.access(found, os.X_OK)]  # noqa: PTH113


def which(name: str, path: str) -> str | None:
    """The first executable ``name`` on ``path`` (a PATH value), as ``shutil.which`` finds it.

    Windows (PATHEXT and the current directory) is left to ``shutil.which``.
    """
    if os.name == "nt":
        import shutil

        return shutil.which(name, path=path)
    found = which_all(name, path_entries(path))
    return found[0] if found else None
