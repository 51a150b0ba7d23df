"""PE (Windows) headers: architecture, imported DLLs, symbols, Go's address space.

Only the DOS stub pointer, the COFF and optional headers, the section table, the import
directory's DLL names and (for long section names) the COFF string table are read.
"""

from __future__ import annotations

import struct

from gorig.binfmt.block import region
from gorig.binfmt.errors import BinfmtError, NotExecutable
from gorig.binfmt.image import Image
from gorig.binfmt.span import Span

_MACHINES = {
    0x14C: "386",
    0x8664: "amd64",
    0x1C4: "arm",
    0xAA64: "arm64",
    0x5064: "riscv64",
    0x6264: "loong64",
}
_COFF = struct.Struct("<4sHHIIIHH")
_SECTION = struct.Struct("<8sIIIIIIHHI")
_IMPORT = struct.Struct("<IIIII")
_DIRECTORY = struct.Struct("<II")
_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_U16 = struct.Struct("<H")
_SYMBOL_SIZE = 18
_MAX_IMPORTS = 4096
_MASK32 = (1 << 32) - 1
# Go's DataStart: initialised data, readable, writable (ignoring the 32-byte alignment bits).
_DATA_FLAGS = 0xC0000040
_ALIGN_32 = 0x00600000


def parse(span: Span) -> Image:
    """Read a PE file's headers (the caller checked the ``MZ`` magic)."""
    if span.size < 0x40:
        raise NotExecutable("starts with MZ but is too short for a DOS or PE header")
    (lfanew,) = span.unpack(_U32, 0x3C, "the DOS header")
    signature, machine, nsections, _, symptr, nsymbols, optsize, _ = span.unpack(
        _COFF, lfanew, "the PE header"
    )
    if signature != b"PE\0\0":
        raise NotExecutable("an MZ file without a PE header (a DOS program, or not a program)")
    opt = lfanew + _COFF.size
    (magic,) = span.unpack(_U16, opt, "the PE optional header")
    if magic not in (0x10B, 0x20B):
        raise BinfmtError(f"unknown PE optional header magic {magic:#x}")
    wide = magic == 0x20B
    image = Image(
        goos="windows",
        goarch=_MACHINES.get(machine, "unknown"),
        bits=64 if wide else 32,
        endian="little",
    )
    image_base = (
        span.unpack(_U64, opt + 24, "ImageBase")[0]
        if wide
        else span.unpack(_U32, opt + 28, "ImageBase")[0]
    )
    sections = _sections(span, opt + optsize, nsections)
    strings = symptr + nsymbols * _SYMBOL_SIZE if symptr else None
    image.stripped = nsymbols == 0
    image.dwarf = any(
        _name(span, raw, strings).startswith((".debug_", ".zdebug_")) for raw, *_ in sections
    )
    # Go subtracts ImageBase from an address, then matches 32-bit section bounds.
    image.address_bias = image_base
    image.regions = [region(va, size, ptr, _MASK32) for _, _, va, size, ptr, _ in sections]
    image.data_start = _data_start(sections, image_base)
    directories = opt + (112 if wide else 96)
    count_at = opt + (108 if wide else 92)
    (ndirs,) = span.unpack(_U32, count_at, "NumberOfRvaAndSizes")
    if ndirs > 1:
        rva, _ = span.unpack(_DIRECTORY, directories + 8, "the import directory")
        image.libraries = _imports(span, sections, rva) if rva else []
    image.linkage = "dynamic" if image.libraries else "static"
    return image


# A section: (raw name, virtual size, virtual address, raw size, raw pointer, characteristics).
_Section = tuple[bytes, int, int, int, int, int]


def _sections(span: Span, offset: int, count: int) -> list[_Section]:
    if offset + count * _SECTION.size > span.size:
        raise BinfmtError(f"{count} PE section headers run past the end of the file")
    found = []
    for i in range(count):
        name, vsize, va, rawsize, rawptr, _, _, _, _, flags = span.unpack(
            _SECTION, offset + i * _SECTION.size, "a PE section header"
        )
        found.append((name, vsize, va, rawsize, rawptr, flags))
    return found


def _name(span: Span, raw: bytes, strings: int | None) -> str:
    """A section name; ``/123`` names live in the COFF string table (DWARF sections do)."""
    name = raw.split(b"\0", 1)[0]
    if name.startswith(b"/") and name[1:].isdigit() and strings is not None:
        return span.cstring(strings + int(name[1:]), 64)
    return name.decode("latin-1")


def _data_start(sections: list[_Section], image_base: int) -> tuple[int, int]:
    for _, vsize, va, rawsize, _, flags in sections:
        if va and rawsize and flags & ~_ALIGN_32 == _DATA_FLAGS:
            return (va + image_base) & ((1 << 64) - 1), vsize
    return 0, 0


def _rva_offset(sections: list[_Section], rva: int) -> int | None:
    for _, vsize, va, rawsize, rawptr, _ in sections:
        if va <= rva < va + max(vsize, rawsize) and rva - va < rawsize:
            return rawptr + rva - va
    return None


def _imports(span: Span, sections: list[_Section], rva: int) -> list[str]:
    """The DLL names of the import directory, in order."""
    offset = _rva_offset(sections, rva)
    if offset is None:
        raise BinfmtError(f"the PE import directory (RVA {rva:#x}) is in no section")
    names = []
    for i in range(_MAX_IMPORTS):
        fields = span.unpack(_IMPORT, offset + i * _IMPORT.size, "a PE import descriptor")
        if not any(fields):
            break
        name_at = _rva_offset(sections, fields[3])
        if name_at is None:
            raise BinfmtError(f"a PE import names a DLL at RVA {fields[3]:#x}, in no section")
        names.append(span.cstring(name_at, 256))
    return names
