"""h1: module hashes checked against the hashes the real go command computes."""

from __future__ import annotations

import io
import zipfile

import pytest
from trust_support import (
    FILENAME,
    MODULE_VERSION,
    GoProxy,
    go_mod_download,
    make_release_archive,
    member_bytes,
    module_zip_from,
)

from gorig.toolchains.trust import dirhash, module

TOOLCHAIN = f"golang.org/toolchain@{MODULE_VERSION}"
GOMOD = b"module golang.org/toolchain\n"
ODD_GOMOD = b"module example.com/Odd\n\ngo 1.21\n"


@pytest.fixture(scope="module")
def release_archive(tmp_path_factory):
    return make_release_archive(tmp_path_factory)


@pytest.fixture(scope="module")
def go_sums(tmp_path_factory, release_archive):
    """Go's Sum/GoModSum for the toolchain zip made from the archive and an odd module."""
    tmp = tmp_path_factory.mktemp("goproxy")
    proxy = GoProxy(tmp / "proxy")
    toolchain_zip = module_zip_from(release_archive, tmp / "toolchain.zip")
    proxy.add("golang.org/toolchain", MODULE_VERSION, toolchain_zip, GOMOD)
    odd_zip = tmp / "odd.zip"
    prefix = "example.com/!odd@v1.0.0/"
    with zipfile.ZipFile(odd_zip, "w", zipfile.ZIP_DEFLATED) as out:
        # Out of order, a directory entry, non-ASCII and upper-case names, empty content.
        out.writestr("example.com/Odd@v1.0.0/z.go", "package odd\n")
        out.writestr("example.com/Odd@v1.0.0/sub/", "")
        out.writestr("example.com/Odd@v1.0.0/sub/Ünïcode.txt", "héllo\n")
        out.writestr("example.com/Odd@v1.0.0/A.txt", "")
        out.writestr("example.com/Odd@v1.0.0/go.mod", ODD_GOMOD)
    proxy.add(prefix.split("@")[0], "v1.0.0", odd_zip, ODD_GOMOD)
    return {
        "toolchain": (toolchain_zip, go_mod_download(proxy, TOOLCHAIN, tmp)),
        "odd": (odd_zip, go_mod_download(proxy, "example.com/Odd@v1.0.0", tmp)),
    }


@pytest.mark.toolchain
@pytest.mark.parametrize("name", ["toolchain", "odd"])
def test_zip_hash_matches_go(go_sums, name):
    zip_file, go = go_sums[name]
    assert dirhash.hash_zip(zip_file) == go["Sum"]


@pytest.mark.toolchain
@pytest.mark.parametrize(("name", "gomod"), [("toolchain", GOMOD), ("odd", ODD_GOMOD)])
def test_gomod_hash_matches_go(go_sums, name, gomod):
    assert dirhash.hash_gomod(gomod) == go_sums[name][1]["GoModSum"]


@pytest.mark.toolchain
def test_release_archive_hashes_like_its_toolchain_module(go_sums, release_archive):
    """The tar.gz -> module mapping (distpack's rules) gives the hash Go gives the zip."""
    assert module.archive_module_hash(release_archive, FILENAME) == go_sums["toolchain"][1]["Sum"]


@pytest.mark.toolchain
def test_zip_release_archive_hashes_like_its_module(go_sums, release_archive, tmp_path):
    import tarfile

    as_zip = tmp_path / FILENAME.replace(".tar.gz", ".zip")
    with tarfile.open(release_archive) as bundle, zipfile.ZipFile(as_zip, "w") as out:
        for member in bundle.getmembers():
            if member.isfile():
                out.writestr(member.name, member_bytes(bundle, member))
    expected = go_sums["toolchain"][1]["Sum"]
    assert module.archive_module_hash(as_zip, as_zip.name) == expected


def test_duplicate_names_hash_like_go():
    """Go lists a repeated name twice, both times with the last content."""
    files = [(b"a", lambda: io.BytesIO(b"1")), (b"a", lambda: io.BytesIO(b"2"))]
    twice = [(b"a", lambda: io.BytesIO(b"2")), (b"a", lambda: io.BytesIO(b"2"))]
    assert dirhash.hash1(files) == dirhash.hash1(twice)
    assert dirhash.hash1(files) != dirhash.hash1([(b"a", lambda: io.BytesIO(b"2"))])


@pytest.mark.parametrize(
    ("filename", "version"),
    [
        ("go1.22.5.linux-amd64.tar.gz", "v0.0.1-go1.22.5.linux-amd64"),
        ("go1.23rc1.darwin-arm64.tar.gz", "v0.0.1-go1.23rc1.darwin-arm64"),
        ("go1.21.0.windows-amd64.zip", "v0.0.1-go1.21.0.windows-amd64"),
        ("go1.22.5.linux-armv6l.tar.gz", "v0.0.1-go1.22.5.linux-arm"),
    ],
)
def test_module_version_of_archive_names(filename, version):
    assert module.module_version(filename) == version


@pytest.mark.parametrize(
    ("filename", "message"),
    [("go1.20.14.linux-amd64.tar.gz", "predates"), ("go1.22.5.src.tar.gz", "not a Go release")],
)
def test_module_version_refusals(filename, message):
    from gorig.errors import GorigError

    with pytest.raises(GorigError, match=message):
        module.module_version(filename)
