"""Stamps: a file found whole is not hashed again while its stat is unchanged, and no
change to its bytes goes unseen (real files in a temporary directory)."""

from __future__ import annotations

import hashlib
import os

from gorig.toolchains.stamps import Stamps


def _file(tmp_path, data=b"go archive bytes" * 1000):
    path = tmp_path / "mirror" / "go1.27.3.linux-amd64.tar.gz"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_a_stamp_survives_a_reload_and_names_only_that_digest(tmp_path):
    path, digest = _file(tmp_path)
    stamps = Stamps.load(tmp_path / "cache", path.parent)
    assert not stamps.vouches(path, digest)
    stamps.record(path, digest)
    stamps.save([path.name])
    again = Stamps.load(tmp_path / "cache", path.parent)
    assert again.vouches(path, digest) and again.vouches(path, digest.upper())
    assert not again.vouches(path, "0" * 64)
    assert not Stamps.load(tmp_path / "cache", tmp_path).vouches(path, digest)  # other dir


def test_a_change_that_keeps_size_and_mtime_is_seen(tmp_path):
    path, digest = _file(tmp_path)
    stamps = Stamps()
    stamps.record(path, digest)
    before = path.stat()
    with path.open("r+b") as handle:  # one byte, same size, mtime set back
        handle.seek(100)
        handle.write(b"X")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    assert not stamps.vouches(path, digest)  # the ctime moved


def test_a_replaced_or_missing_file_is_not_vouched_for(tmp_path):
    path, digest = _file(tmp_path)
    stamps = Stamps()
    stamps.record(path, digest)
    copy = path.with_name("copy")
    copy.write_bytes(path.read_bytes())
    os.utime(copy, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    copy.replace(path)  # same bytes and mtime, another inode
    assert not stamps.vouches(path, digest)
    path.unlink()
    assert not stamps.vouches(path, digest)


def test_a_damaged_stamps_file_only_costs_a_rehash(tmp_path):
    path, digest = _file(tmp_path)
    stamps = Stamps.load(tmp_path / "cache", path.parent)
    stamps.record(path, digest)
    stamps.save([path.name])
    assert stamps.file is not None
    for damage in (b"", b"{", b"[]", b'{"x": 1}', b'{"%s": ["%s", [1, 2]]}' % (
        path.name.encode(), digest.encode()), b"[" * 100000):  # fmt: skip
        stamps.file.write_bytes(damage)
        assert not Stamps.load(tmp_path / "cache", path.parent).vouches(path, digest)
