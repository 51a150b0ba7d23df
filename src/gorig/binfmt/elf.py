"""ELF headers: architecture, linkage, symbols and debug info, Go's build info address space.

Only the ELF header, program headers, section headers and the few bytes they point at
(section names, the interpreter path, the dynamic table's strings) are read.
"""

from __future__ import annotations

import struct

from gorig.binfmt.block import region
from gorig.binfmt.errors import BinfmtError
from gorig.binfmt.image import Image
from gorig.binfmt.span import Span

_PT_LOAD, _PT_DYNAMIC, _PT_INTERP = 1, 2, 3
_SHT_SYMTAB = 2
_ET_DYN = 3
_DT_NULL, _DT_NEEDED, _DT_STRTAB, _DT_STRSZ = 0, 1, 5, 10
_MAX_DYNAMIC = 4096  # dynamic entries read at most: real tables hold a few dozen
_MAX_NAMES = 1 << 20  # section name table bytes read at most

# e_machine -> Go's GOARCH; MIPS, POWER, RISC-V and S/390 also depend on class and byte order.
_MACHINES = {3: "386", 62: "amd64", 183: "arm64", 40: "arm", 258: "loong64", 2: "sparc"}
_MACHINES_BY_SHAPE = {
    (8, 32, "big"): "mips",
    (8, 32, "little"): "mipsle",
    (8, 64, "big"): "mips64",
    (8, 64, "little"): "mips64le",
    (21, 64, "big"): "ppc64",
    (21, 64, "little"): "ppc64le",
    (20, 32, "big"): "ppc",
    (22, 64, "big"): "s390x",
    (22, 32, "big"): "s390",
    (243, 64, "little"): "riscv64",
    (243, 32, "little"): "riscv",
    (43, 64, "big"): "sparc64",
}
# EI_OSABI values Go's linker writes (Linux and most others write 0).
_OSABI = {3: "linux", 9: "freebsd", 2: "netbsd", 12: "openbsd", 6: "solaris"}
_NOTE_SECTIONS = {b".note.netbsd.ident\0": "netbsd", b".note.openbsd.ident\0": "openbsd"}


class _Layout:
    """The struct layouts of one ELF class and byte order."""

    def __init__(self, bits: int, order: str) -> None:
        e = "<" if order == "little" else ">"
        word = "Q" if bits == 64 else "I"
        self.header = struct.Struct(f"{e}HHI{word}{word}{word}IHHHHHH")
        if bits == 64:
            self.phdr = struct.Struct(f"{e}IIQQQQQQ")
            self.shdr = struct.Struct(f"{e}IIQQQQIIQQ")
        else:
            self.phdr = struct.Struct(f"{e}IIIIIIII")
            self.shdr = struct.Struct(f"{e}IIIIIIIIII")
        self.dyn = struct.Struct(f"{e}{'q' if bits == 64 else 'i'}{word}")
        self.bits = bits

    def program(self, fields: tuple[int, ...]) -> tuple[int, int, int, int]:
        """(type, offset, vaddr, filesz) of a program header in either class."""
        if self.bits == 64:
            return fields[0], fields[2], fields[3], fields[5]
        return fields[0], fields[1], fields[2], fields[4]


def parse(span: Span) -> Image:
    """Read an ELF file's headers (the caller checked the ``\\x7fELF`` magic)."""
    ident = span.read(0, 16)
    if len(ident) < 16 or ident[4] not in (1, 2) or ident[5] not in (1, 2):
        raise BinfmtError("the ELF identification bytes are invalid")
    bits = 32 if ident[4] == 1 else 64
    order = "little" if ident[5] == 1 else "big"
    layout = _Layout(bits, order)
    (e_type, machine, _, _, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum, shstrndx) = (
        span.unpack(layout.header, 16, "the ELF header")
    )
    goarch = _MACHINES.get(machine) or _MACHINES_BY_SHAPE.get((machine, bits, order), "unknown")
    image = Image(goos=_OSABI.get(ident[7], "linux"), goarch=goarch, bits=bits, endian=order)
    names, sections = _sections(span, layout, shoff, shentsize, shnum, shstrndx)
    if phnum == 0xFFFF and sections:
        phnum = sections[0][5]
    programs = _programs(span, layout, phoff, phentsize, phnum)
    image.regions = [region(vaddr, filesz, offset) for _, offset, vaddr, filesz in programs]
    _linkage(span, layout, image, programs, e_type)
    _section_facts(image, names, sections)
    return image


def _programs(
    span: Span, layout: _Layout, phoff: int, entsize: int, count: int
) -> list[tuple[int, int, int, int]]:
    if count == 0:
        return []
    if entsize < layout.phdr.size:
        raise BinfmtError(f"ELF program header size {entsize} is too small")
    if phoff + entsize * count > span.size:
        raise BinfmtError(f"{count} ELF program headers at {phoff} run past the end of the file")
    return [
        layout.program(span.unpack(layout.phdr, phoff + i * entsize, "an ELF program header"))
        for i in range(count)
    ]


# A section: (name offset, type, addr, offset, size, info).
_Section = tuple[int, int, int, int, int, int]


def _sections(
    span: Span, layout: _Layout, shoff: int, entsize: int, count: int, strndx: int
) -> tuple[bytes, list[_Section]]:
    """The section name table and the section headers (names stay bytes: few are looked at)."""
    if shoff == 0:
        return b"", []
    if entsize < layout.shdr.size:
        raise BinfmtError(f"ELF section header size {entsize} is too small")
    first = span.unpack(layout.shdr, shoff, "the first ELF section header")
    if count == 0:
        count = first[5]  # extended numbering: the real count is in section 0's size
    if strndx == 0xFFFF:
        strndx = first[6]
    if shoff + entsize * count > span.size:
        raise BinfmtError(f"{count} ELF section headers at {shoff} run past the end of the file")
    table = span.read(shoff, entsize * count)
    raw = [layout.shdr.unpack_from(table, i * entsize) for i in range(count)]
    sections = [(f[0], f[1], f[3], f[4], f[5], f[7]) for f in raw]
    if not 0 < strndx < count:
        return b"", sections
    span.sub(raw[strndx][4], raw[strndx][5], "the ELF section names")  # checks the bounds
    return span.read(raw[strndx][4], min(raw[strndx][5], _MAX_NAMES)), sections


def _section_facts(image: Image, names: bytes, sections: list[_Section]) -> None:
    image.stripped = True
    for name, kind, addr, _, size, _ in sections:
        if kind == _SHT_SYMTAB:
            image.stripped = False
        elif names.startswith((b".debug_", b".zdebug_"), name):
            image.dwarf = True
        elif names.startswith(b".go.buildinfo\0", name) and image.data_start == (0, 0):
            image.data_start = (addr, size)
        else:
            for note, goos in _NOTE_SECTIONS.items():
                if names.startswith(note, name):
                    image.goos = goos


def _linkage(
    span: Span,
    layout: _Layout,
    image: Image,
    programs: list[tuple[int, int, int, int]],
    e_type: int,
) -> None:
    """Static, static-pie, dynamic or loader-only, from ``PT_INTERP`` and ``DT_NEEDED``."""
    dynamic = None
    for kind, offset, _, filesz in programs:
        if kind == _PT_INTERP and image.interpreter is None:
            image.interpreter = span.cstring(offset, min(filesz, 4096))
        elif kind == _PT_DYNAMIC and dynamic is None:
            dynamic = (offset, filesz)
    if dynamic is not None:
        image.libraries = _needed(span, layout, programs, *dynamic)
    if image.interpreter is not None:
        image.linkage = "dynamic" if image.libraries else "loader-only"
    elif image.libraries:
        image.linkage = "dynamic"
    elif dynamic is not None and e_type == _ET_DYN:
        image.linkage = "static-pie"
    else:
        image.linkage = "static"


def _needed(
    span: Span, layout: _Layout, programs: list[tuple[int, int, int, int]], offset: int, size: int
) -> list[str]:
    """The ``DT_NEEDED`` libraries of the dynamic table, in order."""
    needed: list[int] = []
    strtab = strsz = None
    count = min(size // layout.dyn.size, _MAX_DYNAMIC)
    for i in range(count):
        tag, value = span.unpack(layout.dyn, offset + i * layout.dyn.size, "an ELF dynamic entry")
        if tag == _DT_NULL:
            break
        if tag == _DT_NEEDED:
            needed.append(value)
        elif tag == _DT_STRTAB:
            strtab = value
        elif tag == _DT_STRSZ:
            strsz = value
    if not needed:
        return []
    base = _file_offset(programs, strtab) if strtab is not None else None
    if base is None:
        raise BinfmtError("the ELF dynamic table lists libraries but its string table is missing")
    limit = strsz if strsz is not None else 4096
    return [span.cstring(base + name, max(0, min(256, limit - name))) for name in needed]


def _file_offset(programs: list[tuple[int, int, int, int]], addr: int) -> int | None:
    for kind, offset, vaddr, filesz in programs:
        if kind == _PT_LOAD and vaddr <= addr < vaddr + filesz:
            return offset + addr - vaddr
    return None
