"""The ``golang.org/toolchain`` module that mirrors each Go release archive.

Since Go 1.21 every release is also published as a module version,
``golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64``, built by Go's ``cmd/distpack`` from
the same files as the binary archive: the archive's ``go/`` tree without ``api/``,
``doc/``, ``misc/`` and ``test/``, under the prefix ``golang.org/toolchain@<version>/``,
with every ``go.mod`` renamed ``_go.mod`` (a module zip may hold no nested go.mod). So
the module's ``h1:`` hash, which the checksum database records, can be recomputed from
a ``.tar.gz`` or ``.zip`` archive without downloading the module.
"""

from __future__ import annotations

import re
import tarfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.trust.dirhash import file_digest, hash1_digests, raw_name

MODULE_PATH = "golang.org/toolchain"
VERSION_PREFIX = "v0.0.1"
EXCLUDED_TOP = frozenset({"api", "doc", "misc", "test"})
FIRST_MODULE_RELEASE = (1, 21)

_ARCHIVE = re.compile(
    r"^(?P<tag>go(?P<major>\d+)\.(?P<minor>\d+)[0-9a-z.]*)\.(?P<os>[a-z0-9]+)-(?P<arch>[a-z0-9]+)"
    r"\.(?:tar\.gz|zip)$"
)


def module_version(filename: str) -> str:
    """``go1.22.5.linux-amd64.tar.gz`` -> ``v0.0.1-go1.22.5.linux-amd64``.

    The archive for 32-bit ARM is named ``armv6l`` while the module uses GOARCH ``arm``.
    """
    found = _ARCHIVE.match(filename)
    if found is None:
        raise GorigError(
            _("{name} is not a Go release archive name (like go1.22.5.linux-amd64.tar.gz)").format(
                name=repr(filename)
            )
        )
    if (int(found["major"]), int(found["minor"])) < FIRST_MODULE_RELEASE:
        raise GorigError(
            _(
                "{version} predates the golang.org/toolchain module (Go 1.21 is the first); the "
                "checksum database has no record of it"
            ).format(version=found["tag"])
        )
    arch = "arm" if found["arch"] == "armv6l" else found["arch"]
    return f"{VERSION_PREFIX}-{found['tag']}.{found['os']}-{arch}"


def module_name(version: str, archive_name: str) -> str | None:
    """The module zip name of an archive member ``go/...``, or None if distpack drops it."""
    if not archive_name.startswith("go/"):
        return None
    relative = archive_name[len("go/") :]
    if not relative or relative.split("/", 1)[0] in EXCLUDED_TOP:
        return None
    name = f"{MODULE_PATH}@{version}/{relative}"
    if name.endswith("/go.mod"):
        name = name[: -len("go.mod")] + "_go.mod"
    return name


def archive_module_hash(archive: Path, filename: str) -> str:
    """The ``h1:`` hash of the toolchain module that corresponds to a release archive."""
    return module_hash(filename, _file_digests(archive, zip_archive=filename.endswith(".zip")))


def module_hash(filename: str, digests: Iterable[tuple[str, str]]) -> str:
    """The ``h1:`` hash of the toolchain module behind the release archive ``filename``,
    from the (member name, hex SHA-256) of the archive's regular files, however read."""
    version = module_version(filename)
    files = []
    for name, digest in digests:
        mapped = module_name(version, name)
        if mapped is not None:
            files.append((mapped.encode("utf-8", "surrogateescape"), digest))
    return hash1_digests(files)


def _file_digests(archive: Path, *, zip_archive: bool) -> Iterator[tuple[str, str]]:
    """(name, hex SHA-256) of every regular file, in one pass over the archive."""
    try:
        if zip_archive:
            with zipfile.ZipFile(archive) as bundle:
                for info in bundle.infolist():
                    if not info.is_dir():
                        with bundle.open(info) as entry:
                            name = raw_name(info).decode("utf-8", "surrogateescape")
                            yield name, file_digest(entry)
            return
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                content = tar.extractfile(member) if member.isfile() else None
                if content is not None:
                    yield member.name, file_digest(content)
    except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile) as error:
        raise GorigError(
            _("cannot read archive {archive}: {error}").format(archive=archive, error=error)
        ) from None
