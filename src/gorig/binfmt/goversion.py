"""``go version -m`` reproduced byte for byte, and the directory walk it (and inspect) uses.

Go's rules (``cmd/go/internal/version``): every argument is ``os.Stat``-ed; directories
are walked in lexical order without following symlinked directories, and only regular
files and symlinks to regular files are read; files met in a walk that are not Go
binaries are skipped silently, while a named file that is not one gives an error line
(only when it looks like a binary: executable bit, ``.exe``, ``.dll``, ``.so``).
"""

from __future__ import annotations

import os
import stat

from gorig.binfmt.errors import BinfmtError, NotExecutable, UnreadableFile
from gorig.binfmt.executable import read_executable
from gorig.binfmt.macho import FAT_MAGICS

TYPE_CHECKING = False  # importing typing (or collections.abc) costs start-up time
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
            info = os.stat(arg)  # noqa: PTH116 (pathlib costs start-up time)
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


def _is_binary_candidate(path: str) -> bool:
    """Go's ``isGoBinaryCandidate``: worth an error line when it is not a Go binary."""
    try:
        mode = os.stat(path).st_mode  # noqa: PTH116
    except OSError:
        mode = 0
    if stat.S_ISREG(mode) and mode & 0o111:
        return True
    name = path.lower()
    base = name.rpartition("/")[2]
    extension = base[base.rfind(".") :] if "." in base else ""
    return extension in (".so", ".exe", ".dll") or ".so." in name


class Output:
    """What ``go version -m`` writes: ordered (stream, bytes) chunks, 1 stdout / 2 stderr."""

    __slots__ = ("chunks", "exit_code")

    def __init__(self, chunks: list[tuple[int, bytes]], exit_code: int) -> None:
        self.chunks = chunks
        self.exit_code = exit_code


def go_version_m(args: list[str]) -> Output:
    """Exactly what ``go version -m ARGS...`` prints, without running Go."""
    chunks: list[tuple[int, bytes]] = []
    exit_code = 0
    for found in walk(args):
        if found.error is not None:
            chunks.append((2, os.fsencode(found.error) + b"\n"))
            exit_code = 1
            continue
        chunk = _scan(found.path, found.explicit)
        if chunk is not None:
            chunks.append(chunk)
        if found.explicit and (chunk is None or chunk[0] == 2):
            exit_code = 1
    return Output(chunks, exit_code)


def _scan(path: str, must_print: bool) -> tuple[int, bytes] | None:
    """Go's ``scanFile`` for one path: the chunk it prints, if any."""
    name = os.fsencode(path)
    try:
        exe = read_executable(path)
    except UnreadableFile:
        return (2, name + b"\n") if must_print else None
    except (NotExecutable, BinfmtError):
        message = "unrecognized file format"
    else:
        if exe.format == "macho-universal" and _is_fat64(path):
            message = "unrecognized file format"  # Go reads only 32-bit universal headers
        elif exe.go is not None:
            return 1, _version_text(name, exe.go.go_version, exe.go.module_text())
        else:
            message = exe.go_error or "not a Go executable"
    if must_print and _is_binary_candidate(path):
        return 2, b"%s: could not read Go build info from %s: %s\n" % (name, name, _raw(message))
    return None


def _is_fat64(path: str) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == FAT_MAGICS[1]


def _version_text(name: bytes, version: str, modules: str) -> bytes:
    text = b"%s: %s\n" % (name, _raw(version))
    if modules:
        text += b"\t" + _raw(modules[:-1]).replace(b"\n", b"\n\t") + b"\n"
    return text


def _raw(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
