"""A small official-layout Go archive: the real ``go`` and ``gofmt`` of a release, a few
sources and the directories that make ``go`` find its GOROOT.

Kill tests run an install dozens of times; with a 65 MB, 13,000-file release each run would
spend seconds inflating, so they use this 20-odd-file tree. The binaries are the release's
own, so ``bin/go version`` through gorig's links runs the real thing.
"""

from __future__ import annotations

import hashlib
import tarfile
from dataclasses import dataclass
from pathlib import Path

from support import gobin

_KEEP = ("VERSION", "bin/go", "bin/gofmt", "src/errors/", "src/unicode/utf8/")
_DIRECTORIES = ("pkg/tool/linux_amd64",)  # go finds its GOROOT by pkg/tool


@dataclass(frozen=True)
class Release:
    version: str  # 1.26.6
    archive: Path
    sha256: str
    files: tuple[str, ...]  # regular files, relative to the GOROOT

    def install_args(self, *extra: str) -> list[str]:
        """``gorig install`` of this archive as a file: source, verified by its SHA-256."""
        archive = f"file:{self.archive}"
        return ["install", self.version, "--source", archive, "--sha256", self.sha256, *extra]


def small_release(version: str, dest: Path) -> Release:
    root = gobin.goroot(version)
    files = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and str(path.relative_to(root)).startswith(_KEEP)
    )
    archive = dest / f"go{version}.linux-amd64.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        for directory in _DIRECTORIES:
            tar.add(root / directory, f"go/{directory}", recursive=False)
        for name in files:
            tar.add(root / name, f"go/{name}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    return Release(version, archive, digest, tuple(files))
