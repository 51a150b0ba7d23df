"""Toolchain module zips from a module proxy: the checksum-database check.

Fetching lives with the goproxy source (:mod:`gorig.toolchains.sources.goproxy`); here the
zip is checked against the signed checksum database before anything is unpacked. Unpacking
is :func:`gorig.toolchains.extract.extract` (kind ``module``), under the same guard as every
other archive.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.trust import module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings


def verify_module_zip(
    zip_path: Path,
    version: str,
    *,
    env: Mapping[str, str],
    http: HttpSettings,
    gosumdb: str | None = None,
) -> str:
    """Check a downloaded module zip against the checksum database; return its hash."""
    from gorig.toolchains.extract import check_zip
    from gorig.toolchains.trust import dirhash, sumdb

    check_zip(zip_path)  # the hash reads every entry: no bomb, encryption or odd method
    db, want = sumdb.recorded_hash(module.MODULE_PATH, version, env=env, http=http, gosumdb=gosumdb)
    got = dirhash.hash_zip(zip_path)
    if got != want:
        raise GorigError(
            _(
                "{module} from the proxy hashes to {got}, but {db} records {want}; the proxy "
                "served altered bytes and nothing was installed"
            ).format(module=f"{module.MODULE_PATH}@{version}", got=got, db=db.name, want=want)
        )
    return want
