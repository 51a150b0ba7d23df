"""Go's ``h1:`` module hash, exactly as golang.org/x/mod/sumdb/dirhash computes it.

Hash1 is "h1:" + base64(SHA-256(summary)), where the summary has one line per file,
sorted by the file name's bytes: the hex SHA-256 of the content, two spaces, the name,
a newline. Only names and contents count; compression, times and modes do not. HashZip
takes every entry of the zip (directories included, as Go does) under its raw name.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from gorig.errors import GorigError
from gorig.i18n import _

Opener = Callable[[], IO[bytes]]
CHUNK = 1 << 20


def hash1(files: Iterable[tuple[bytes, Opener]]) -> str:
    """Hash1 over ``(raw name, opener)`` pairs, opening each file once."""
    return hash1_digests((name, _digest_of(opener)) for name, opener in files)


def hash1_digests(files: Iterable[tuple[bytes, str]]) -> str:
    """Hash1 over ``(raw name, hex SHA-256)`` pairs.

    Like Go, a name listed twice yields two summary lines, both with the last content.
    """
    digests: dict[bytes, str] = {}
    names: list[bytes] = []
    for name, digest in files:
        if b"\n" in name:
            raise GorigError(_("dirhash: file name with a newline: {name}").format(name=repr(name)))
        names.append(name)
        digests[name] = digest
    summary = hashlib.sha256()
    for name in sorted(names):
        summary.update(digests[name].encode() + b"  " + name + b"\n")
    return "h1:" + base64.b64encode(summary.digest()).decode()


def _digest_of(opener: Opener) -> str:
    with opener() as stream:
        return file_digest(stream)


def file_digest(stream: IO[bytes]) -> str:
    """The hex SHA-256 of a stream, read in chunks."""
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def hash_gomod(content: bytes) -> str:
    """The ``/go.mod`` hash recorded beside a module hash: Hash1 over one file, go.mod."""
    import io

    return hash1([(b"go.mod", lambda: io.BytesIO(content))])


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """A zip entry's name as stored: UTF-8 when flagged, else the CP437 bytes Python decoded."""
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    return info.orig_filename.encode(encoding)


def hash_zip(path: Path) -> str:
    """HashZip: Hash1 over every entry of the zip file at ``path``."""
    try:
        with zipfile.ZipFile(path) as archive:
            return hash1(
                (raw_name(info), _zip_opener(archive, info)) for info in archive.infolist()
            )
    except zipfile.BadZipFile as error:
        raise GorigError(
            _("{path} is not a valid zip file: {error}").format(path=path, error=error)
        ) from None


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Opener:
    return lambda: archive.open(info)
