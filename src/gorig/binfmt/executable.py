"""``read_executable``: what a file really is, from its headers and build info only."""

from __future__ import annotations

import mmap
import os
import stat

from gorig.binfmt import block, elf, macho, pe
from gorig.binfmt.block import BlockReader, GoReadError
from gorig.binfmt.buildinfo import BuildInfo, ParseError, parse_build_info
from gorig.binfmt.errors import BinfmtError, NotExecutable, UnreadableFile
from gorig.binfmt.span import Span
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.binfmt.image import Image

WASM_MAGIC = b"\0asm"
ELF_MAGIC = b"\x7fELF"
# Non-blocking, so a FIFO named by mistake is refused instead of waited on.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class Executable:
    """One executable (or one slice of a universal Mach-O, then without ``path``).

    Names follow Go: ``goos``/``goarch`` are Go's port names, ``go`` is the build info
    ``go version -m`` reads (None for non-Go files). ``go_error`` is the error text
    ``go version`` gives when it cannot read build info; ``build_info_error`` says, in
    gorig's words, why a block that exists could not be read (None when there is none).
    """

    __slots__ = (
        "bits",
        "build_info_error",
        "dwarf",
        "endian",
        "format",
        "go",
        "go_error",
        "goarch",
        "goos",
        "interpreter",
        "libraries",
        "linkage",
        "path",
        "slices",
        "stripped",
    )

    def __init__(self, path: str | None, fmt: str, image: Image) -> None:
        self.path = path
        self.format = fmt
        self.goos = image.goos
        self.goarch = image.goarch
        self.bits = image.bits
        self.endian = image.endian
        self.linkage = image.linkage
        self.interpreter = image.interpreter
        self.libraries = image.libraries
        self.stripped = image.stripped
        self.dwarf = image.dwarf
        self.go: BuildInfo | None = None
        self.go_error: str | None = None
        self.build_info_error: str | None = None
        self.slices: list[Executable] = []

    def __repr__(self) -> str:
        return f"<Executable {self.path} {self.format} {self.goos}/{self.goarch}>"

    def to_dict(self) -> dict[str, object]:
        """The object ``gorig inspect --json`` prints for this file (or slice)."""
        out: dict[str, object] = {} if self.path is None else {"path": self.path}
        out.update(
            format=self.format,
            goos=self.goos,
            goarch=self.goarch,
            bits=self.bits,
            endian=self.endian,
            linkage=self.linkage,
            interpreter=self.interpreter,
            libraries=self.libraries,
            stripped=self.stripped,
            dwarf=self.dwarf,
            go=None if self.go is None else self.go.to_go_json(),
            build_info_error=self.build_info_error,
        )
        if self.format == "macho-universal":
            out["slices"] = [piece.to_dict() for piece in self.slices]
        return out


def read_executable(path: str | os.PathLike[str]) -> Executable:
    """Read ``path``'s headers and Go build info; never runs it.

    Raises ``NotExecutable`` for anything that is not ELF, Mach-O or PE (text, Java class
    files, WebAssembly), ``BinfmtError`` for damaged or hostile headers and unreadable files.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except OSError as error:
        raise UnreadableFile(f"{name}: cannot read: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotExecutable(_("{path}: not a regular file").format(path=name))
        head = os.read(fd, 16)
        refusal = _refusal(head[:4])
        if refusal is not None:  # refused on its magic alone: nothing is mapped
            raise NotExecutable(_("{path}: {why}").format(path=name, why=refusal))
        if len(head) < 16:
            return _from_span(name, Span(head))
        with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as mapped:
            return _from_span(name, Span(mapped))
    except OSError as error:
        raise UnreadableFile(f"{name}: cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _refusal(magic: bytes) -> str | None:
    """Why a file whose first bytes are ``magic`` is not an executable (None if it may be)."""
    if magic == ELF_MAGIC or magic in macho.MAGICS or magic in macho.FAT_MAGICS:
        return None
    if magic[:2] == b"MZ":
        return None
    if magic == WASM_MAGIC:
        return _(
            "a WebAssembly module; wasm is not an executable format "
            "(it runs inside a wasm runtime such as wasmtime or a browser)"
        )
    return _("not an executable (neither ELF, Mach-O nor PE)")


def read_executable_bytes(data: bytes, name: str = "<bytes>") -> Executable:
    """``read_executable`` for a file already in memory (``name`` is used in messages)."""
    return _from_span(name, Span(data))


def _from_span(name: str, span: Span) -> Executable:
    try:
        return _dispatch(name, span)
    except (BinfmtError, NotExecutable) as error:
        raise type(error)(f"{name}: {error}") from None


def _dispatch(name: str, span: Span) -> Executable:
    magic = span.read(0, 4)
    if magic == ELF_MAGIC:
        return _thin(name, "elf", elf.parse(span), span)
    if magic in macho.MAGICS:
        return _thin(name, "macho", macho.parse(span), span)
    if magic in macho.FAT_MAGICS:
        return _universal(name, span)
    if magic[:2] == b"MZ":
        return _thin(name, "pe", pe.parse(span), span)
    raise NotExecutable(_refusal(magic) or "not an executable")


def _universal(name: str, span: Span) -> Executable:
    count = int.from_bytes(span.read(4, 4), "big")
    if count > macho.MAX_SLICES:
        raise NotExecutable("a Java class file, not a universal Mach-O binary")
    pieces = []
    for offset, size in macho.slices(span):
        part = span.sub(offset, size, "a universal slice")
        if part.read(0, 4) not in macho.MAGICS:
            raise BinfmtError(f"the universal slice at offset {offset} is not a Mach-O file")
        pieces.append(_thin(None, "macho", macho.parse(part), part))
    first = pieces[0]
    whole = Executable.__new__(Executable)
    for field in Executable.__slots__:
        setattr(whole, field, getattr(first, field))
    whole.path = name
    whole.format = "macho-universal"
    whole.goarch = "universal"
    whole.slices = pieces
    return whole


def _thin(name: str | None, fmt: str, image: Image, span: Span) -> Executable:
    exe = Executable(name, fmt, image)
    reader = BlockReader(span, image.regions, image.address_bias)
    try:
        version, modules = block.read_raw(reader, *image.data_start)
        info = parse_build_info(modules)
    except GoReadError as error:
        exe.go_error, exe.build_info_error = error.go_message, error.note
        return exe
    except ParseError as error:
        exe.go_error = exe.build_info_error = str(error)
        return exe
    info.go_version = version
    exe.go = info
    goos = info.setting("GOOS")
    if goos:
        exe.goos = goos
    return exe
