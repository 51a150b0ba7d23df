"""Stamps: which files of a directory were hashed whole, so an unchanged one is not re-read.

A stamp is a file's (device, inode, size, mtime, ctime) when its SHA-256 was found right.
Writing to a file changes its mtime and its ctime (which no user call can set back), and a
replacement brings another inode: a file whose stat still equals its stamp holds the bytes
that were hashed. A stamp is recorded only once the file is fsynced, so a power cut cannot
leave a stamp for bytes that never reached the disk. The stamps of a directory are one
JSON file in gorig's cache, named by the directory's real path: a lost or unreadable one
only costs a re-hash. ``mirror verify`` never uses them.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gorig.fs import write_atomic

Stamp = list[int]
MAX_BYTES = 16 << 20  # a stamp is ~150 bytes: room for a hundred thousand files


def stamp_of(path: Path) -> Stamp | None:
    """The file's stamp as it is now; None when it is missing."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


@dataclass
class Stamps:
    """The stamps of one directory's files, by file name; ``file`` None keeps none."""

    file: Path | None = None
    known: dict[str, tuple[str, Stamp]] = field(default_factory=dict)

    @classmethod
    def load(cls, cache_dir: Path | None, directory: Path) -> Stamps:
        if cache_dir is None:
            return cls()
        key = hashlib.sha256(os.fsencode(os.path.realpath(directory))).hexdigest()[:32]
        file = cache_dir / "mirror-stamps" / f"{key}.json"
        try:
            with file.open("rb") as handle:
                recorded = json.loads(handle.read(MAX_BYTES + 1))
        except (OSError, ValueError, RecursionError):
            return cls(file)
        return cls(file, _valid(recorded))

    def vouches(self, path: Path, sha256: str) -> bool:
        """Whether ``path`` still holds the bytes that hashed to ``sha256``."""
        known = self.known.get(path.name)
        return known is not None and known[0] == sha256.lower() and known[1] == stamp_of(path)

    def record(self, path: Path, sha256: str) -> None:
        """Remember ``path``, just found to hash to ``sha256``, once its bytes are on disk
        (a file that cannot be fsynced gets no stamp: it is hashed again next time)."""
        try:
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
        except OSError:
            return
        stamp = stamp_of(path)
        if stamp is not None:
            self.known[path.name] = (sha256.lower(), stamp)

    def save(self, names: Iterable[str]) -> None:
        """Keep the stamps of ``names`` (the files the directory still holds); a cache that
        cannot be written is only a lost cache."""
        if self.file is None:
            return
        kept = {name: list(self.known[name]) for name in sorted(set(names) & set(self.known))}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.file, json.dumps(kept).encode(), durable=False)
        except OSError:
            pass


def _valid(recorded: object) -> dict[str, tuple[str, Stamp]]:
    """The well-formed entries of a stamps file (gorig wrote it, but a file can be damaged)."""
    if not isinstance(recorded, dict):
        return {}
    valid = {}
    for name, entry in recorded.items():
        match entry:
            case [str(digest), [int(), int(), int(), int(), int()] as stamp]:
                valid[name] = (digest, [int(part) for part in stamp])  # compared, never used
    return valid
