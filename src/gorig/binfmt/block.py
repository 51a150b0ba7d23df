"""Finding and decoding Go's build info block, exactly as Go's ``debug/buildinfo`` does.

Each executable format gives an address space (``Region``s: virtual address -> file bytes)
and where the block should be (``DataStart``); this module searches the 16-byte-aligned
magic, reads the 32-byte header and the two strings (inline since Go 1.18, through
pointers before), with Go's failure modes and messages.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    from gorig.binfmt.span import Span

    ByteOrder = Literal["little", "big"]

MAGIC = b"\xff Go buildinf:"
_ALIGN = 16
_HEADER_SIZE = 32
_SEARCH_CHUNK = 1 << 20
_MASK64 = (1 << 64) - 1
_MAX_VARINT = 10

NOT_GO = "not a Go executable"
UNRECOGNIZED = "unrecognized file format"


# A piece of the address space backed by file bytes (an ELF program header, a Mach-O
# segment, a PE section): (vaddr, filesz, file offset, mask), where mask is the width Go's
# address arithmetic wraps at (64 bits, or 32 for PE sections).
Region = tuple[int, int, int, int]


def region(vaddr: int, filesz: int, offset: int, mask: int = _MASK64) -> Region:
    """A region of Go's address space (see ``Region``)."""
    return (vaddr, filesz, offset, mask)


class GoReadError(Exception):
    """Why Go's reader gives up: ``go_message`` is Go's own error text, ``note`` says what
    gorig knows beyond it (None when the file simply holds no build info)."""

    def __init__(self, go_message: str, note: str | None = None) -> None:
        super().__init__(go_message)
        self.go_message = go_message
        self.note = note


class BlockReader:
    """Go's view of an executable: an address space of regions over the file's bytes."""

    def __init__(self, span: Span, regions: list[Region], bias: int = 0) -> None:
        self.span = span
        self.regions = regions
        self.bias = bias

    def locate(self, addr: int) -> tuple[int, int]:
        """(file offset, bytes readable) at virtual ``addr``: Go's ``DataReader``."""
        addr = (addr - self.bias) & _MASK64
        for vaddr, filesz, offset, mask in self.regions:
            if vaddr <= addr <= ((vaddr + filesz - 1) & mask):
                rel = (addr - vaddr) & _MASK64
                remaining = _int64((((vaddr + filesz) & mask) - addr) & _MASK64)
                readable = max(0, min(remaining, filesz - rel, self.span.size - offset - rel))
                return offset + rel, readable
        raise GoReadError(UNRECOGNIZED)

    def read_exact(self, addr: int, size: int) -> bytes:
        """Go's ``readData``: all ``size`` bytes at ``addr``, or a "not Go" error."""
        offset, readable = self.locate(addr)
        if size > readable:
            raise GoReadError(NOT_GO)
        return self.span.read(offset, size) if size else b""


def _int64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def read_raw(reader: BlockReader, start: int, size: int) -> tuple[str, str]:
    """Go's ``readRawBuildInfo`` after ``DataStart``: (version, module text)."""
    if size == 0:
        raise GoReadError(NOT_GO)
    addr = search_magic(reader, start, size)
    header = reader.read_exact(addr, _HEADER_SIZE)
    flags = header[15]
    if flags & 0x2:
        vers, after = _decode_string(reader, addr + _HEADER_SIZE)
        mod, _ = _decode_string(reader, after)
    else:
        vers, mod = _pointer_strings(reader, header)
    if not vers:
        raise GoReadError(NOT_GO, "the Go build info block holds no version")
    # Strip the 16-byte sentinels around the module text; without them there is none.
    mod = mod[16:-16] if len(mod) >= 33 and mod[-17] == 0x0A else b""
    return vers.decode("utf-8", "surrogateescape"), mod.decode("utf-8", "surrogateescape")


def search_magic(reader: BlockReader, start: int, size: int) -> int:
    """Go's ``searchMagic``: the first 16-byte-aligned block magic in ``[start, start+size)``.

    Go's own quirk is kept: after skipping a misaligned match, offsets are relative to the
    shortened buffer.
    """
    end = start + size
    if end > _MASK64:
        raise GoReadError(UNRECOGNIZED)
    start = (start + _ALIGN - 1) & ~(_ALIGN - 1) & _MASK64
    if start >= end:
        raise GoReadError(NOT_GO)
    while start < end:
        remaining = end - start
        chunk = min(_SEARCH_CHUNK, remaining)
        offset, readable = reader.locate(start)
        length = min(chunk, readable)
        if length == 0:
            raise GoReadError(NOT_GO)
        found = _find_in_chunk(reader.span, offset, length, remaining)
        if found is not None:
            return start + found
        start += chunk
    raise GoReadError(NOT_GO)


def _find_in_chunk(span: Span, offset: int, length: int, remaining: int) -> int | None:
    skipped = 0
    while length - skipped > 0:
        hit = span.find(MAGIC, offset + skipped, offset + length)
        if hit < 0:
            return None
        i = hit - offset - skipped
        if remaining - i < _HEADER_SIZE:
            raise GoReadError(NOT_GO, "the Go build info block is cut short")
        if i % _ALIGN == 0:
            return i
        step = (i + _ALIGN - 1) & ~(_ALIGN - 1)
        if step > length - skipped:
            raise GoReadError(NOT_GO)
        skipped += step
    return None


def _uvarint(data: bytes) -> tuple[int, int]:
    """Go's ``binary.Uvarint``: (value, bytes used); n <= 0 on failure."""
    value = 0
    shift = 0
    for i, byte in enumerate(data):
        if i == _MAX_VARINT:
            return 0, -(i + 1)
        if byte < 0x80:
            if i == _MAX_VARINT - 1 and byte > 1:
                return 0, -(i + 1)
            return value | byte << shift, i + 1
        value |= (byte & 0x7F) << shift
        shift += 7
    return 0, 0


def _decode_string(reader: BlockReader, addr: int) -> tuple[bytes, int]:
    prefix = reader.read_exact(addr, _MAX_VARINT)
    length, used = _uvarint(prefix)
    if used <= 0:
        raise GoReadError(NOT_GO, "the Go build info block has a bad string length")
    addr += used
    try:
        data = reader.read_exact(addr, length)
    except GoReadError as error:
        raise GoReadError(error.go_message, "the Go build info block is cut short") from None
    return data, addr + length


def _pointer_strings(reader: BlockReader, header: bytes) -> tuple[bytes, bytes]:
    """The pre-1.18 format: two pointers to Go string headers."""
    ptr_size = header[14]
    if ptr_size not in (4, 8):
        raise GoReadError(NOT_GO, f"the Go build info block has pointer size {ptr_size}")
    order: ByteOrder = "big" if header[15] & 0x1 else "little"
    vers_ptr = int.from_bytes(header[16 : 16 + ptr_size], order)
    mod_ptr = int.from_bytes(header[16 + ptr_size : 16 + 2 * ptr_size], order)
    if vers_ptr == 0:
        raise GoReadError(NOT_GO, "build info needs relocation")
    return (
        _pointed_string(reader, ptr_size, order, vers_ptr),
        _pointed_string(reader, ptr_size, order, mod_ptr),
    )


def _pointed_string(reader: BlockReader, ptr_size: int, order: ByteOrder, addr: int) -> bytes:
    """Go's ``readString``: a string header ``{data, len}`` at ``addr``; empty on any error."""
    try:
        hdr = reader.read_exact(addr, 2 * ptr_size)
        data = int.from_bytes(hdr[:ptr_size], order)
        length = int.from_bytes(hdr[ptr_size:], order)
        return reader.read_exact(data, length)
    except GoReadError:
        return b""
