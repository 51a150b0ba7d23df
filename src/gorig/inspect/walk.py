"""The files ``gorig inspect`` and ``go version`` examine for a list of arguments.

Go's rules (``cmd/go/internal/version``): every argument is ``os.Stat``-ed; directories
are walked in lexical order without following symlinked directories, and only regular
files and symlinks to regular files are read. An argument that cannot be stat-ed gives
Go's error line.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator


class Found:
    """A file to examine: named on the command line (``explicit``) or met in a walk.

    ``error`` is Go's message for an argument that cannot be examined at all.
    """

    __slots__ = ("error", "explicit", "path")

    def __init__(self, path: str, explicit: bool, error: str | None = None) -> None:
        self.path = path
        self.explicit = explicit
        self.error = error


def walk(args: list[str]) -> Iterator[Found]:
    """The files ``go version`` examines for ``args``, in its order."""
    for arg in args:
        try:
            info = os.stat(arg)  # noqa: PTH116
        except OSError as error:
            yield Found(arg, True, f"stat {arg}: {_go_errno_text(error)}")
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_dir(arg)
        else:
            yield Found(arg, True)


def _walk_dir(root: str) -> Iterator[Found]:
    """``filepath.WalkDir`` order, without recursion (a deep tree cannot exhaust the stack)."""
    if stat.S_ISLNK(os.lstat(root).st_mode):
        return  # Go walks a symlinked root as one non-regular file: nothing to report
    pending: list[Iterator[tuple[str, os.DirEntry[str]]]] = [_entries(root, _child_prefix(root))]
    while pending:
        for path, entry in pending[-1]:
            if entry.is_dir(follow_symlinks=False):
                pending.append(_entries(path, path + "/"))
                break
            if entry.is_file(follow_symlinks=False) or _is_file_link(entry):
                yield Found(path, False)
        else:
            pending.pop()


def _child_prefix(root: str) -> str:
    """What Go's ``filepath.Join(root, name)`` puts before a child's name.

    Join cleans the path; below a cleaned root a child is just ``root/name``.
    """
    cleaned = _clean(root)
    return "" if cleaned == "." else cleaned.rstrip("/") + "/"


def _entries(directory: str, prefix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """A directory's entries sorted by name as bytes (Go's ``ReadDir`` order)."""
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: os.fsencode(entry.name))
    except OSError:
        return iter(())
    return ((prefix + entry.name, entry) for entry in entries)


def _is_file_link(entry: os.DirEntry[str]) -> bool:
    return entry.is_symlink() and entry.is_file(follow_symlinks=True)


def _clean(path: str) -> str:
    """Go's ``filepath.Clean`` (unlike ``normpath``, it also folds a leading ``//``)."""
    cleaned = os.path.normpath(path)
    return cleaned[1:] if cleaned.startswith("//") else cleaned


def _go_errno_text(error: OSError) -> str:
    """Go's text for an errno: the C library's message with a lower-case first letter."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]
