"""``go version -m`` reproduced byte for byte: the command, apart from the reading library.

As Go keeps ``cmd/go/internal/version`` apart from ``debug/buildinfo``, this module holds
the command's rules and messages while :mod:`gorig.binfmt` only reads executables. Files
met in a walk (:mod:`gorig.inspect.walk`) that are not Go binaries are skipped silently,
while a named file that is not one gives an error line (only when it looks like a binary:
executable bit, ``.exe``, ``.dll``, ``.so``).
"""

from __future__ import annotations

import os
import stat

from gorig.binfmt.errors import BinfmtError, NotExecutable, UnreadableFile
from gorig.binfmt.executable import read_executable
from gorig.binfmt.macho import FAT_MAGICS
from gorig.inspect.walk import walk


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
