"""Toolchain module zips from a module proxy: the checksum-database check and the unpack.

Fetching lives with the goproxy source (:mod:`gorig.toolchains.sources.goproxy`); here the
zip is checked against the signed checksum database before anything is unpacked, then its
``golang.org/toolchain@<version>/`` tree becomes a normal GOROOT (``go.mod`` names restored,
executable bits set by distpack's rules, since a proxy's zip need not carry Unix modes).
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from gorig.errors import GorigError
from gorig.toolchains.trust import module

EXECUTABLE_SUFFIXES = (".bash", ".sh", ".pl", ".rc")


def verify_module_zip(zip_path: Path, version: str, *, gosumdb: str | None = None) -> str:
    """Check a downloaded module zip against the checksum database; return its hash."""
    from gorig.toolchains.extract import check_zip
    from gorig.toolchains.trust import dirhash, sumdb

    check_zip(zip_path)  # the hash reads every entry: no bomb, encryption or odd method
    db, want = sumdb.recorded_hash(module.MODULE_PATH, version, gosumdb)
    got = dirhash.hash_zip(zip_path)
    if got != want:
        raise GorigError(
            f"{module.MODULE_PATH}@{version} from the proxy hashes to {got}, but {db.name} "
            f"records {want}; the proxy served altered bytes and nothing was installed"
        )
    return want


def unpack_module(zip_path: Path, version: str, dest: Path) -> Path:
    """Unpack a verified toolchain module zip into ``dest/go``; return that GOROOT.

    The same guard as every other archive checks it (``extract.extract_zip``); only the
    layout differs: ``<module>@<version>/`` becomes ``go/``, distpack's ``_go.mod`` files
    are ``go.mod`` again, and executable bits follow distpack's rules.
    """
    from gorig.toolchains.extract import extract_zip

    prefix = f"{module.MODULE_PATH}@{version}/"

    def layout(info: zipfile.ZipInfo) -> tuple[str, bool] | None:
        name = info.filename
        if not name.startswith(prefix):
            return name, False  # outside go/: the guard refuses it
        relative = name[len(prefix) :]
        directory, _, base = relative.rpartition("/")
        if base == "_go.mod":
            relative = f"{directory}/go.mod" if directory else "go.mod"
        return f"go/{relative}", _executable(relative, info)

    extract_zip(zip_path, dest, layout)
    root = dest / "go"
    if not (root / "bin").is_dir():
        raise GorigError(f"{zip_path.name} holds no bin/ directory: not a Go toolchain")
    return root


def _executable(relative: str, info: zipfile.ZipInfo) -> bool:
    """distpack's mode rule (bin/, pkg/tool/, scripts), or an executable bit in the zip."""
    if relative.startswith(("bin/", "pkg/tool/")) or relative.endswith(EXECUTABLE_SUFFIXES):
        return True
    if posixpath.basename(relative).startswith("go_") and relative.endswith("_exec"):
        return True
    return bool((info.external_attr >> 16) & 0o111)
