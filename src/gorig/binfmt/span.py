"""Bounded reads over a mapped file: every offset is checked, nothing reads past the end.

A ``Span`` is a window (``base``, ``size``) over the file's bytes, so a slice of a universal
Mach-O is read exactly like a thin file. Readers raise ``BinfmtError`` on any out-of-range
access instead of trusting a header.
"""

from __future__ import annotations

import struct

from gorig.binfmt.errors import BinfmtError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mmap import mmap
    from typing import Any

    Buffer = bytes | mmap


class Span:
    """A checked window over a buffer (an ``mmap`` or ``bytes``)."""

    __slots__ = ("base", "buf", "size")

    def __init__(self, buf: Buffer, base: int = 0, size: int | None = None) -> None:
        self.buf = buf
        self.base = base
        self.size = len(buf) - base if size is None else size  # type: ignore[arg-type]

    def unpack(self, layout: struct.Struct, offset: int, what: str) -> tuple[Any, ...]:
        """Unpack ``layout`` at ``offset``, or fail naming ``what`` was out of range."""
        if offset < 0 or offset + layout.size > self.size:
            raise BinfmtError(f"{what} at offset {offset} lies past the end of the file")
        return layout.unpack_from(self.buf, self.base + offset)  # type: ignore[arg-type]

    def read(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes at ``offset``: short (possibly empty) near the end."""
        if offset < 0 or length <= 0 or offset >= self.size:
            return b""
        end = min(offset + length, self.size)
        return bytes(self.buf[self.base + offset : self.base + end])  # type: ignore[index]

    def find(self, needle: bytes, start: int, end: int) -> int:
        """Offset of ``needle`` within ``[start, end)`` of the span, or -1."""
        end = min(end, self.size)
        if start < 0 or start >= end:
            return -1
        found = self.buf.find(needle, self.base + start, self.base + end)  # type: ignore[attr-defined]
        return found - self.base if found >= 0 else -1

    def cstring(self, offset: int, limit: int = 4096) -> str:
        """A NUL-terminated string at ``offset`` (at most ``limit`` bytes, lossless)."""
        raw = self.read(offset, limit)
        end = raw.find(b"\0")
        return (raw if end < 0 else raw[:end]).decode("utf-8", "surrogateescape")

    def sub(self, offset: int, size: int, what: str) -> Span:
        """A narrower span, which must lie inside this one."""
        if offset < 0 or size < 0 or offset + size > self.size:
            raise BinfmtError(
                f"{what} (offset {offset}, size {size}) lies past the end of the file"
            )
        return Span(self.buf, self.base + offset, size)
