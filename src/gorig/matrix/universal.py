"""gorig's own universal ("fat") Mach-O writer: no lipo needed, on any OS.

Layout (cctools ``mach-o/fat.h``): a big-endian ``fat_header`` (magic ``0xcafebabe``,
count), one 20-byte big-endian ``fat_arch`` per slice (cputype, cpusubtype, offset, size,
align as a power of two), then each thin file at an offset aligned to 2^14 with zero
padding between. cputype and cpusubtype are copied from each slice's own header. 2^14 for
every slice is what goreleaser writes; it suits arm64's 16 KiB pages and x86 alike.
"""

from __future__ import annotations

import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

from gorig.errors import GorigError
from gorig.fs import atomic_file

FAT_MAGIC = 0xCAFEBABE
ALIGN_LOG2 = 14
_FAT_HEADER = struct.Struct(">II")
_FAT_ARCH = struct.Struct(">IIIII")
# Thin Mach-O magics as read little-endian: native order files, and byte-swapped ones.
_LITTLE = (0xFEEDFACE, 0xFEEDFACF)
_BIG = (0xCEFAEDFE, 0xCFFAEDFE)
_FAT_LIMIT = 1 << 32  # fat_arch offsets and sizes are 32-bit


@dataclass(frozen=True)
class Slice:
    """One thin Mach-O to place in the universal file."""

    path: Path
    cputype: int
    cpusubtype: int
    size: int


def read_slice(path: Path) -> Slice:
    """cputype and cpusubtype from a thin Mach-O's header (either byte order)."""
    with path.open("rb") as file:
        head = file.read(12)
    if len(head) < 12:
        raise GorigError(f"{path} is too short to be a Mach-O file")
    magic = struct.unpack_from("<I", head)[0]
    if magic in _LITTLE:
        cputype, cpusubtype = struct.unpack_from("<ii", head, 4)
    elif magic in _BIG:
        cputype, cpusubtype = struct.unpack_from(">ii", head, 4)
    else:
        raise GorigError(f"{path} is not a thin Mach-O file (magic {magic:#010x})")
    return Slice(path, cputype & 0xFFFFFFFF, cpusubtype & 0xFFFFFFFF, path.stat().st_size)


def layout(sizes: list[int], align_log2: int = ALIGN_LOG2) -> list[int]:
    """The file offset of each slice: after the headers, each aligned to 2^align_log2."""
    align = 1 << align_log2
    offset = _FAT_HEADER.size + _FAT_ARCH.size * len(sizes)
    offsets = []
    for size in sizes:
        offset = (offset + align - 1) // align * align
        offsets.append(offset)
        offset += size
    if offset >= _FAT_LIMIT:
        raise GorigError("the slices are too large for a 32-bit universal header (4 GiB)")
    return offsets


def fat_header(slices: list[Slice], offsets: list[int], align_log2: int = ALIGN_LOG2) -> bytes:
    """The big-endian fat header and its ``fat_arch`` table (pure)."""
    head = _FAT_HEADER.pack(FAT_MAGIC, len(slices))
    for piece, offset in zip(slices, offsets, strict=True):
        head += _FAT_ARCH.pack(piece.cputype, piece.cpusubtype, offset, piece.size, align_log2)
    return head


def write_universal(thin: list[Path], output: Path) -> None:
    """Join thin Mach-O files into one universal binary at ``output``, atomically."""
    slices = [read_slice(path) for path in thin]
    cpus = [piece.cputype for piece in slices]
    if len(set(cpus)) != len(cpus):
        raise GorigError("a universal binary needs slices of different CPU types")
    offsets = layout([piece.size for piece in slices])
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(output, mode=0o755) as out:
        out.write(fat_header(slices, offsets))
        for piece, offset in zip(slices, offsets, strict=True):
            out.write(b"\0" * (offset - out.tell()))
            with piece.path.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
