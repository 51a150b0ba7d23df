"""``SHA256SUMS``: ``<hex>  <name>`` lines sorted by name, what ``sha256sum -c`` reads."""

from __future__ import annotations

from pathlib import Path

from gorig.fs import write_atomic

FILE_NAME = "SHA256SUMS"


def checksum_text(digests: dict[str, str]) -> str:
    """The file's text for ``name -> hex`` (pure); two spaces mean binary-agnostic mode."""
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))


def write_checksums(directory: Path, digests: dict[str, str]) -> Path:
    """Write ``SHA256SUMS`` in ``directory`` atomically; return its path."""
    target = directory / FILE_NAME
    write_atomic(target, checksum_text(digests).encode(), mode=0o644)
    return target
