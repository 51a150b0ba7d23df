"""Toolchain module zips from a module proxy: the checksum-database check and the unpack.

Fetching lives with the goproxy source (:mod:`gorig.toolchains.sources.goproxy`); here the
zip is checked against the signed checksum database before anything is unpacked, then its
``golang.org/toolchain@<version>/`` tree becomes a normal GOROOT (``go.mod`` names restored,
executable bits set by distpack's rules, since a proxy's zip need not carry Unix modes).
"""

from __future__ import annotations

import posixpath
import stat
import zipfile
from pathlib import Path

from gorig.errors import GorigError
from gorig.toolchains.trust import module

EXECUTABLE_SUFFIXES = (".bash", ".sh", ".pl", ".rc")


def verify_module_zip(zip_path: Path, version: str, *, gosumdb: str | None = None) -> str:
    """Check a downloaded module zip against the checksum database; return its hash."""
    from gorig.toolchains.trust import dirhash, sumdb

    db, want = sumdb.recorded_hash(module.MODULE_PATH, version, gosumdb)
    got = dirhash.hash_zip(zip_path)
    if got != want:
        raise GorigError(
            f"{module.MODULE_PATH}@{version} from the proxy hashes to {got}, but {db.name} "
            f"records {want}; the proxy served altered bytes and nothing was installed"
        )
    return want


def unpack_module(zip_path: Path, version: str, dest: Path) -> Path:
    """Unpack a verified toolchain module zip into ``dest/go``; return that GOROOT."""
    prefix = f"{module.MODULE_PATH}@{version}/"
    root = dest / "go"
    with zipfile.ZipFile(zip_path) as bundle:
        for info in bundle.infolist():
            relative = _relative(info, prefix)
            if relative is None:
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            target.chmod(0o755 if _executable(relative, info) else 0o644)
    if not (root / "bin").is_dir():
        raise GorigError(f"{zip_path.name} holds no bin/ directory: not a Go toolchain")
    return root


def _relative(info: zipfile.ZipInfo, prefix: str) -> str | None:
    """The GOROOT-relative path of a zip entry (None for directories); refuse bad names."""
    name = info.filename
    if not name.startswith(prefix):
        raise GorigError(f"module zip entry {name!r} is outside {prefix}; refusing the zip")
    relative = name[len(prefix) :]
    if info.is_dir() or not relative:
        return None
    parts = relative.split("/")
    if "\\" in relative or any(p in ("", ".", "..") for p in parts):
        raise GorigError(f"module zip entry {name!r} is not a clean relative path; refusing it")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise GorigError(f"module zip entry {name!r} is a symbolic link; refusing the zip")
    if parts[-1] == "_go.mod":  # distpack renamed go.mod files; a GOROOT has them back
        parts[-1] = "go.mod"
    return "/".join(parts)


def _executable(relative: str, info: zipfile.ZipInfo) -> bool:
    """distpack's mode rule (bin/, pkg/tool/, scripts), or an executable bit in the zip."""
    if relative.startswith(("bin/", "pkg/tool/")) or relative.endswith(EXECUTABLE_SUFFIXES):
        return True
    if posixpath.basename(relative).startswith("go_") and relative.endswith("_exec"):
        return True
    return bool((info.external_attr >> 16) & 0o111)
