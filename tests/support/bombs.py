"""Decompression bombs, made in a second: repeated deflate blocks of zeros.

A block of 1 MiB of zeros that ends in a full flush looks back at nothing, so copies of it
can be concatenated: 1 GiB of zeros is 1,024 copies of one ~1 KB block, with no 1 GiB of
compressing.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

MIB = 1 << 20
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"  # deflate, no name, Unix


@cache
def zero_mib() -> bytes:
    """Raw deflate of 1 MiB of zeros ending in a full flush: a block that can be repeated,
    each copy inflating to 1 MiB without looking back."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(bytes(MIB)) + compressor.flush(zlib.Z_FULL_FLUSH)


@cache
def deflate_around_zeros(head: bytes, mib: int, tail: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of ``head`` + ``mib`` MiB of zeros + ``tail``: (stream, CRC-32, size)."""
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = (
        first.compress(head)
        + first.flush(zlib.Z_FULL_FLUSH)
        + zero_mib() * mib
        + last.compress(tail)
        + last.flush()
    )
    crc, zeros = zlib.crc32(head), bytes(MIB)
    for _ in range(mib):
        crc = zlib.crc32(zeros, crc)
    return stream, zlib.crc32(tail, crc), len(head) + mib * MIB + len(tail)


def gzip_around_zeros(head: bytes, mib: int, tail: bytes, *, isize: int | None = None) -> bytes:
    """A gzip file of ``head`` + ``mib`` MiB of zeros + ``tail``; ``isize`` forges the size
    its trailer records."""
    stream, crc, size = deflate_around_zeros(head, mib, tail)
    recorded = size if isize is None else isize
    return GZIP_HEADER + stream + struct.pack("<II", crc, recorded & 0xFFFFFFFF)
