"""The checksum database: a test database on 127.0.0.1 signed by a key made here."""

from __future__ import annotations

import io
import tarfile

import pytest
from trust_support import (
    FILENAME,
    MODULE_VERSION,
    NoteKey,
    go_toolchain_sums,
    http_server,
    lookup_answer,
    make_release_archive,
)

from gorig.errors import GorigError
from gorig.toolchains.trust import TrustOptions, check_archive, sumdb

LOOKUP = f"/lookup/golang.org/toolchain@{MODULE_VERSION}"


@pytest.fixture(scope="module")
def release_archive(tmp_path_factory):
    return make_release_archive(tmp_path_factory)


@pytest.fixture(scope="module")
def go_sums(tmp_path_factory, release_archive):
    return go_toolchain_sums(release_archive, tmp_path_factory.mktemp("go"))


@pytest.fixture
def database(go_sums):
    """(signing key, server, GOSUMDB value) of a database recording the release's hashes."""
    key = NoteKey("sumdb.test")
    record = [
        f"golang.org/toolchain {MODULE_VERSION} {go_sums['Sum']}",
        f"golang.org/toolchain {MODULE_VERSION}/go.mod {go_sums['GoModSum']}",
    ]
    with http_server() as served:
        served.routes[LOOKUP] = lookup_answer(key, record)
        yield key, served, f"{key.vkey} {served.url}"


def _tampered(archive, tmp_path):
    """The same archive with one byte of go/VERSION changed (and re-gzipped)."""
    out = tmp_path / FILENAME
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz", compresslevel=1) as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if member.name == "go/VERSION":
                data = data.replace(b"go1", b"go9", 1)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    return out


def test_archive_agrees_with_the_database(database, release_archive, go_sums):
    _, served, gosumdb = database
    agreed = sumdb.verify_archive(release_archive, filename=FILENAME, gosumdb=gosumdb)
    assert agreed == go_sums["Sum"]
    assert served.seen == [LOOKUP]


def test_check_archive_honours_gosumdb(database, release_archive, monkeypatch):
    monkeypatch.setenv("GOSUMDB", database[2])
    options = TrustOptions(verify_sumdb=True)
    assert check_archive(release_archive, filename=FILENAME, url=None, options=options) == []


def test_tampered_archive_is_refused(database, release_archive, tmp_path):
    with pytest.raises(GorigError, match="does not match the checksum database") as refused:
        sumdb.verify_archive(
            _tampered(release_archive, tmp_path), filename=FILENAME, gosumdb=database[2]
        )
    assert "sumdb.test records h1:" in str(refused.value)


def test_tampered_note_is_refused(database, release_archive):
    _, served, gosumdb = database
    served.routes[LOOKUP] = served.routes[LOOKUP].replace(b"tree\n8\n", b"tree\n9\n")
    with pytest.raises(GorigError, match=r"not signed by sumdb\.test's key") as refused:
        sumdb.verify_archive(release_archive, filename=FILENAME, gosumdb=gosumdb)
    assert "invalid signature" in str(refused.value)


def test_note_signed_by_another_key_is_refused(database, release_archive, go_sums):
    _, served, gosumdb = database
    impostor = NoteKey("sumdb.test")  # same name, different key
    served.routes[LOOKUP] = lookup_answer(impostor, [f"golang.org/toolchain {MODULE_VERSION} x"])
    with pytest.raises(GorigError, match="no verifiable signatures"):
        sumdb.verify_archive(release_archive, filename=FILENAME, gosumdb=gosumdb)


def test_unknown_module_version(database, release_archive):
    _, served, gosumdb = database
    served.routes.clear()
    with pytest.raises(GorigError, match=r"has no record of golang\.org/toolchain@"):
        sumdb.verify_archive(release_archive, filename=FILENAME, gosumdb=gosumdb)


def test_gosumdb_values():
    default = sumdb.database(None)
    assert (default.name, default.url) == ("sum.golang.org", "https://sum.golang.org")
    assert sumdb.database("") == default
    china = sumdb.database("sum.golang.google.cn")
    assert (china.name, china.url) == ("sum.golang.org", "https://sum.golang.google.cn")
    assert china.verifier == default.verifier
    mirrored = sumdb.database("sum.golang.org https://goproxy.example/sumdb/sum.golang.org/")
    assert mirrored.url == "https://goproxy.example/sumdb/sum.golang.org"
    key = NoteKey("sumdb.example.com")
    own = sumdb.database(key.vkey)
    assert (own.name, own.url) == ("sumdb.example.com", "https://sumdb.example.com")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("off", "GOSUMDB=off disables"),
        ("a b c", "at most one URL"),
        ("sum.example.com", "invalid GOSUMDB"),
        ("sum.golang.org ftp://x", "not an http"),
    ],
)
def test_gosumdb_refusals(value, message):
    with pytest.raises(GorigError, match=message):
        sumdb.database(value)


def test_escaping():
    assert sumdb.escape_path("github.com/BurntSushi/toml") == "github.com/!burnt!sushi/toml"
