"""Executables as facts: what the headers and build info say, never by running them."""

from __future__ import annotations

import os

from gorig.binfmt import BinfmtError, NotExecutable, read_executable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import Executable

# Build settings the checks read (GOAMD64 level, cgo for the darwin resolver).
SETTINGS = ("GOAMD64", "GOARM", "GOARM64", "CGO_ENABLED", "-buildmode")


def _is_script(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False


def describe(path: str, shown_as: str | None = None) -> Executable:
    """Facts about the executable at ``path`` (recorded under ``shown_as`` when given).

    Read failures are facts too: a ``go`` that is a shell script or a damaged file is
    recorded with its ``format`` ("script") or ``error``, not raised.
    """
    shown = shown_as or path
    try:
        exe = read_executable(path)
    except NotExecutable as error:
        return {
            "path": shown,
            "format": "script" if _is_script(path) else None,
            "error": str(error),
        }
    except BinfmtError as error:
        return {"path": shown, "format": None, "error": str(error)}
    pieces = exe.slices or [exe]
    info = exe.go or next((piece.go for piece in pieces if piece.go), None)
    return {
        "path": shown,
        "format": exe.format,
        "goos": exe.goos,
        "archs": [piece.goarch for piece in pieces],
        "bits": exe.bits,
        "go_version": info.go_version if info else None,
        "main": info.path if info else None,
        "settings": {
            key: value for key in SETTINGS if info and (value := info.setting(key)) is not None
        },
    }


def executables_in(directory: str, limit: int = 200) -> list[str]:
    """Executable regular files in ``directory``, sorted, at most ``limit``."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    paths = (os.path.join(directory, name) for name in names)
    return [path for path in paths if os.path.isfile(path) and os.access(path, os.X_OK)][:limit]
