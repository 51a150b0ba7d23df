"""The checksum database: a test database on 127.0.0.1 signed by a key made here."""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trust_support import (
    FILENAME,
    MODULE_VERSION,
    TOOLCHAIN_GOMOD,
    GoProxy,
    NoteKey,
    go_toolchain_sums,
    http_server,
    make_release_archive,
    member_bytes,
    module_zip_from,
    mth,
    run_go_mod_download,
    sumdb_routes,
    tamper_note,
    tile_routes,
)

from gorig.errors import GorigError
from gorig.host.goenv import go_setting
from gorig.toolchains.download import HttpSettings
from gorig.toolchains.trust import TrustOptions, check_archive, dirhash, sumdb, tlog

LOOKUP = f"/lookup/golang.org/toolchain@{MODULE_VERSION}"


HTTP = HttpSettings()


def verify(archive: Path, **kwargs: Any) -> str:
    """The checksum-database check as an install runs it, with no GOSUMDB/GOPROXY set."""
    return sumdb.verify_archive(archive, env={}, http=HTTP, **kwargs)


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
        served.routes.update(sumdb_routes(key, record))
        yield key, served, f"{key.vkey} {served.url}"


def _tampered(archive, tmp_path):
    """The same archive with one byte of go/VERSION changed (and re-gzipped)."""
    out = tmp_path / FILENAME
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz", compresslevel=1) as dst:
        for member in src.getmembers():
            data = member_bytes(src, member) if member.isfile() else None
            if data is not None and member.name == "go/VERSION":
                data = data.replace(b"go1", b"go9", 1)
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    return out


def test_archive_agrees_with_the_database(database, release_archive, go_sums):
    _, served, gosumdb = database
    agreed = verify(release_archive, filename=FILENAME, gosumdb=gosumdb)
    assert agreed == go_sums["Sum"]
    assert served.seen[0] == LOOKUP
    assert {path.split("/")[3] for path in served.seen[1:]} == {"0", "1"}  # tiles, 2 levels


def test_check_archive_honours_gosumdb(database, release_archive):
    options = TrustOptions(HTTP, env={"GOSUMDB": database[2]}, verify_sumdb=True)
    assert check_archive(release_archive, filename=FILENAME, url=None, options=options) == []


def test_tampered_archive_is_refused(database, release_archive, tmp_path):
    with pytest.raises(GorigError, match="does not match the checksum database") as refused:
        verify(_tampered(release_archive, tmp_path), filename=FILENAME, gosumdb=database[2])
    assert "sumdb.test records h1:" in str(refused.value)


def test_tampered_note_is_refused(database, release_archive):
    _, served, gosumdb = database
    served.routes[LOOKUP] = tamper_note(served.routes[LOOKUP])
    with pytest.raises(GorigError, match=r"not signed by sumdb\.test's key") as refused:
        verify(release_archive, filename=FILENAME, gosumdb=gosumdb)
    assert "invalid signature" in str(refused.value)


def test_note_signed_by_another_key_is_refused(database, release_archive, go_sums):
    _, served, gosumdb = database
    impostor = NoteKey("sumdb.test")  # same name, different key
    served.routes.update(sumdb_routes(impostor, [f"golang.org/toolchain {MODULE_VERSION} x"]))
    with pytest.raises(GorigError, match="no verifiable signatures"):
        verify(release_archive, filename=FILENAME, gosumdb=gosumdb)


def test_unknown_module_version(database, release_archive):
    _, served, gosumdb = database
    served.routes.clear()
    with pytest.raises(GorigError, match=r"has no record of golang\.org/toolchain@"):
        verify(release_archive, filename=FILENAME, gosumdb=gosumdb)


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


def test_altered_record_under_a_genuine_note_is_refused(database, release_archive):
    """The note signs only the tree; the tiles prove the record is in it."""
    _, served, gosumdb = database
    answer = served.routes[LOOKUP]
    head, _, rest = answer.partition(b"\n")
    forged = head + b"\n" + re.sub(rb"h1:[A-Za-z0-9+/=]+", b"h1:" + b"A" * 43 + b"=", rest, count=1)
    served.routes[LOOKUP] = forged
    with pytest.raises(GorigError, match="is not in the tree it signed"):
        verify(release_archive, filename=FILENAME, gosumdb=gosumdb)


def test_altered_tile_is_refused(database, release_archive):
    _, served, gosumdb = database
    tile = "/tile/8/0/001"  # leaves 256..511: the record (300) and its neighbours
    served.routes[tile] = bytes([served.routes[tile][0] ^ 1]) + served.routes[tile][1:]
    with pytest.raises(GorigError, match="is not in the tree it signed"):
        verify(release_archive, filename=FILENAME, gosumdb=gosumdb)


@pytest.mark.parametrize(
    ("level", "index", "width", "path"),
    [
        (0, 0, 256, "tile/8/0/000"),
        (1, 1234067, 256, "tile/8/1/x001/x234/067"),
        (2, 1000, 7, "tile/8/2/x001/000.p/7"),
    ],
)
def test_tile_paths(level, index, width, path):
    assert tlog.tile_path(level, index, width) == path


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=700), st.data())
def test_root_with_record_matches_a_plain_merkle_tree(size, data):
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    leaves = [hashlib.sha256(b"\x00" + b"record %d" % i).digest() for i in range(size)]
    tiles = tile_routes(leaves)
    fetched = []

    def read(level, tile, width):
        fetched.append((level, tile, width))
        return tiles["/" + tlog.tile_path(level, tile, width)]

    assert tlog.root_with_record(size, index, leaves[index], read) == mth(leaves)
    assert len(fetched) == len(set(fetched))
    wrong = hashlib.sha256(b"\x00forged").digest()
    assert tlog.root_with_record(size, index, wrong, read) != mth(leaves)


@pytest.mark.parametrize("forged", [False, True])
def test_the_go_command_judges_the_test_database_alike(go_sums, release_archive, tmp_path, forged):
    """The go command, pointed at the same test database, accepts or refuses it as gorig does."""
    proxy = GoProxy(tmp_path / "proxy")
    zip_file = module_zip_from(release_archive, tmp_path / "toolchain.zip")
    proxy.add("golang.org/toolchain", MODULE_VERSION, zip_file, TOOLCHAIN_GOMOD)
    key = NoteKey("sumdb.test")
    module_hash = "h1:" + "A" * 43 + "=" if forged else go_sums["Sum"]
    record = [
        f"golang.org/toolchain {MODULE_VERSION} {module_hash}",
        f"golang.org/toolchain {MODULE_VERSION}/go.mod {go_sums['GoModSum']}",
    ]
    with http_server() as served:
        served.routes.update(sumdb_routes(key, record))
        gosumdb = f"{key.vkey} {served.url}"
        done = run_go_mod_download(
            proxy, f"golang.org/toolchain@{MODULE_VERSION}", tmp_path / "go", gosumdb=gosumdb
        )
        ours = None
        try:
            verify(release_archive, filename=FILENAME, gosumdb=gosumdb)
        except GorigError as error:
            ours = str(error)
    assert any(path.startswith("/tile/8/") for path in served.seen)
    if forged:
        assert done.returncode != 0 and "SECURITY ERROR" in done.stdout + done.stderr
        assert ours is not None and "does not match the checksum database" in ours
    else:
        assert done.returncode == 0, done.stdout + done.stderr
        assert ours is None


def test_go_env_file_counts_when_the_environment_is_silent(tmp_path):
    """``go env -w GOSUMDB=sum.golang.google.cn`` is honoured, as the go command does."""
    goenv = tmp_path / "env"
    goenv.write_text("GOSUMDB=sum.golang.google.cn\nGOPROXY=https://goproxy.cn,direct\n")
    env = {"GOENV": str(goenv)}
    assert sumdb.database(go_setting("GOSUMDB", env)).url == "https://sum.golang.google.cn"
    assert sumdb.database(go_setting("GOSUMDB", {"GOENV": "off"})).name == "sum.golang.org"


def test_unreachable_database_says_what_to_do(release_archive):
    import socket

    with socket.socket() as probe:  # a port on 127.0.0.1 that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gosumdb = f"{NoteKey('sumdb.test').vkey} http://127.0.0.1:{port}"
    with pytest.raises(GorigError, match=r"cannot reach the checksum database sumdb\.test"):
        sumdb.verify_archive(release_archive, filename=FILENAME, gosumdb=gosumdb, env={},
                             http=HttpSettings(retries=0))  # fmt: skip


def test_database_reached_through_a_goproxy(go_sums, release_archive):
    """GOSUMDB without a URL: the first GOPROXY that proxies the database serves it."""
    key = NoteKey("sumdb.test")
    record = [f"golang.org/toolchain {MODULE_VERSION} {go_sums['Sum']}"]
    with http_server() as missing, http_server() as proxy:
        proxy.routes["/sumdb/sumdb.test/supported"] = b""
        for path, body in sumdb_routes(key, record).items():
            proxy.routes["/sumdb/sumdb.test" + path] = body
        env = {"GOPROXY": f"{missing.url},{proxy.url},direct"}
        agreed = sumdb.verify_archive(release_archive, filename=FILENAME, gosumdb=key.vkey,
                                      env=env, http=HTTP)  # fmt: skip
    assert agreed == go_sums["Sum"]
    assert missing.seen == ["/sumdb/sumdb.test/supported"]
    assert proxy.seen[:2] == ["/sumdb/sumdb.test/supported", "/sumdb/sumdb.test" + LOOKUP]


def test_explicit_database_url_skips_proxies():
    db = sumdb.database("sum.golang.org https://sum.example")
    assert sumdb.through_proxy(db, {"GOPROXY": "http://127.0.0.1:9"}, HTTP) == db


# A real answer of sum.golang.org to /lookup/golang.org/toolchain@v0.0.1-go1.21.9.linux-amd64,
# as a user published it from their module cache (public record; no network here).
TOOLCHAIN_1_21_9 = "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64"
REAL_LOOKUP = (
    "24929362\n"
    f"{TOOLCHAIN_1_21_9} h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=\n"
    f"{TOOLCHAIN_1_21_9}/go.mod h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=\n"
    "\n"
    "go.sum database tree\n28905453\nf3f8U0MoQmXkWAgAEKDtXcaI3c2y6N9+55KNSRefF/w=\n"
    "\n"
    "— sum.golang.org Az3grr4J9x4SApup87osjthKONInbYdbN37ZskrLF12HIbhDuxOBTz"
    "t8Z2jUKbCvxYWrw0yNgshddOzt7pZEl7aSCw8=\n"
).encode()


def test_real_sum_golang_org_answer_verifies_with_the_built_in_key():
    record = sumdb.parse_lookup(REAL_LOOKUP, sumdb.database(None))
    assert (record.record_id, record.tree_size) == (24929362, 28905453)
    version = "v0.0.1-go1.21.9.linux-amd64"
    assert record.module_hash("golang.org/toolchain", version) == (
        "h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0="
    )
    with pytest.raises(GorigError, match=r"not signed by sum\.golang\.org's key"):
        sumdb.parse_lookup(REAL_LOOKUP.replace(b"28905453", b"28905454"), sumdb.database(None))


def test_toolchain_gomod_hash_matches_the_real_record():
    """Every toolchain module's go.mod is 'module golang.org/toolchain'; Go records this hash."""
    assert dirhash.hash_gomod(TOOLCHAIN_GOMOD) == "h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0="
