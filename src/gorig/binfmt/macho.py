"""Mach-O headers, thin and universal: architecture, dylibs, symbols, Go's address space.

Only the header, the load commands and (when there is no ``LC_DYSYMTAB``) the symbol table
entries are read.
"""

from __future__ import annotations

import struct

from gorig.binfmt.block import region
from gorig.binfmt.errors import BinfmtError
from gorig.binfmt.image import Image
from gorig.binfmt.span import Span

MAGICS = {
    b"\xfe\xed\xfa\xce": (32, "big"),
    b"\xce\xfa\xed\xfe": (32, "little"),
    b"\xfe\xed\xfa\xcf": (64, "big"),
    b"\xcf\xfa\xed\xfe": (64, "little"),
}
FAT_MAGICS = (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf")
MAX_SLICES = 30  # above this, 0xcafebabe is a Java class file (its major version is >= 45)

_CPU_TYPES = {
    0x01000007: "amd64",
    0x0100000C: "arm64",
    7: "386",
    12: "arm",
    0x01000012: "ppc64",
    18: "ppc",
}
_LC_SEGMENT, _LC_SEGMENT_64, _LC_SYMTAB, _LC_DYSYMTAB, _LC_LOAD_DYLINKER = 0x1, 0x19, 0x2, 0xB, 0xE
_DYLIB_COMMANDS = {0xC, 0x80000018, 0x8000001F, 0x20, 0x80000023}
_N_STAB, _N_TYPE = 0xE0, 0x0E
_MAX_SYMBOLS_SCANNED = 1 << 16
_FAT_HEADER = struct.Struct(">II")
_FAT_ARCH = struct.Struct(">iiIII")
_FAT_ARCH_64 = struct.Struct(">iiQQII")


class _Layout:
    def __init__(self, bits: int, order: str) -> None:
        e = "<" if order == "little" else ">"
        self.header = struct.Struct(f"{e}IiiIIII" + ("I" if bits == 64 else ""))
        self.command = struct.Struct(f"{e}II")
        self.word = struct.Struct(f"{e}I")
        if bits == 64:
            self.segment = struct.Struct(f"{e}II16sQQQQiiII")
            self.section = struct.Struct(f"{e}16s16sQQIIIIIIII")
            self.nlist = struct.Struct(f"{e}IBBHQ")
        else:
            self.segment = struct.Struct(f"{e}II16sIIIIiiII")
            self.section = struct.Struct(f"{e}16s16sIIIIIIIII")
            self.nlist = struct.Struct(f"{e}IBBHI")
        # LC_SYMTAB (symoff, nsyms, stroff, strsize) and the start of LC_DYSYMTAB
        # (ilocalsym, nlocalsym, iextdefsym, nextdefsym): six words after cmd and cmdsize.
        self.six_words = struct.Struct(f"{e}6I")


def parse(span: Span) -> Image:
    """Read a thin Mach-O file's headers (the caller checked one of ``MAGICS``)."""
    shape = MAGICS.get(span.read(0, 4))
    if shape is None:
        raise BinfmtError("a universal binary slice is not a Mach-O file")
    layout = _Layout(*shape)
    _, cputype, _, _, ncmds, sizeofcmds, _, *_ = span.unpack(layout.header, 0, "the Mach-O header")
    image = Image(
        goos="darwin", goarch=_CPU_TYPES.get(cputype, "unknown"), bits=shape[0], endian=shape[1]
    )
    image.linkage = "dynamic"
    commands = span.sub(layout.header.size, sizeofcmds, "the Mach-O load commands")
    if ncmds > sizeofcmds // 8:
        raise BinfmtError(f"{ncmds} Mach-O load commands cannot fit in {sizeofcmds} bytes")
    symtab = dysymtab = None
    offset = 0
    for _ in range(ncmds):
        cmd, size = commands.unpack(layout.command, offset, "a Mach-O load command")
        if size < 8 or offset + size > commands.size:
            raise BinfmtError(f"a Mach-O load command has size {size}")
        body = commands.sub(offset, size, "a Mach-O load command")
        if cmd in (_LC_SEGMENT, _LC_SEGMENT_64):
            _segment(body, layout, image)
        elif cmd in _DYLIB_COMMANDS:
            image.libraries.append(_lc_str(body, layout))
        elif cmd == _LC_LOAD_DYLINKER:
            image.interpreter = _lc_str(body, layout)
        elif cmd == _LC_SYMTAB:
            symtab = body.unpack(layout.six_words, 0, "LC_SYMTAB")
        elif cmd == _LC_DYSYMTAB:
            dysymtab = body.unpack(layout.six_words, 0, "LC_DYSYMTAB")
        offset += size
    if dysymtab is not None:
        image.stripped = dysymtab[3] + dysymtab[5] == 0  # no local, no external defined symbol
    elif symtab is not None:
        image.stripped = not _has_defined_symbol(span, layout, symtab[2], symtab[3])
    return image


def _segment(body: Span, layout: _Layout, image: Image) -> None:
    """A segment: one region of Go's address space; its sections name the block and DWARF."""
    _, _, raw_name, vmaddr, _, fileoff, filesize, _, _, nsects, _ = body.unpack(
        layout.segment, 0, "a Mach-O segment"
    )
    name = raw_name.split(b"\0", 1)[0]
    if name != b"__PAGEZERO":  # Go skips it when mapping addresses
        image.regions.append(region(vmaddr, filesize, fileoff))
    if name == b"__DWARF":
        image.dwarf = True
    if nsects > (body.size - layout.segment.size) // layout.section.size:
        raise BinfmtError(f"a Mach-O segment claims {nsects} sections")
    for i in range(nsects):
        fields = body.unpack(
            layout.section, layout.segment.size + i * layout.section.size, "a section"
        )
        sectname = fields[0].split(b"\0", 1)[0]
        if sectname == b"__go_buildinfo" and image.data_start == (0, 0):
            image.data_start = (fields[2], fields[3])
        elif sectname.startswith((b"__debug_", b"__zdebug_")):
            image.dwarf = True


def _lc_str(body: Span, layout: _Layout) -> str:
    """The string a load command points at (``lc_str``: an offset inside the command)."""
    (offset,) = body.unpack(layout.word, 8, "a Mach-O load command string")
    if offset >= body.size:
        raise BinfmtError("a Mach-O load command string lies outside its command")
    return body.cstring(offset, body.size - offset)


def _has_defined_symbol(span: Span, layout: _Layout, symoff: int, nsyms: int) -> bool:
    """Whether the symbol table defines anything (imports alone mean stripped)."""
    for i in range(min(nsyms, _MAX_SYMBOLS_SCANNED)):
        _, n_type, _, _, _ = span.unpack(layout.nlist, symoff + i * layout.nlist.size, "a symbol")
        if not n_type & _N_STAB and n_type & _N_TYPE:
            return True
    return False


def slices(span: Span) -> list[tuple[int, int]]:
    """(offset, size) of every slice of a universal binary (the caller checked the magic).

    Raises ``BinfmtError`` for an empty or hostile header; a Java class file has a slice
    count above ``MAX_SLICES`` and is rejected by the caller before this.
    """
    magic, count = span.unpack(_FAT_HEADER, 0, "the universal header")
    if count == 0:
        raise BinfmtError("the universal binary has no slices")
    entry = _FAT_ARCH_64 if magic == 0xCAFEBABF else _FAT_ARCH
    found = []
    for i in range(count):
        _, _, offset, size, *_ = span.unpack(entry, 8 + i * entry.size, "a universal slice entry")
        if offset + size > span.size or size == 0:
            raise BinfmtError(f"universal slice {i} (offset {offset}, size {size}) is out of range")
        found.append((offset, size))
    return found
