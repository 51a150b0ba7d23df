"""A mirror install with no index home reachable: Go's checksum database vouches for the bytes.

go.dev and golang.google.cn refuse (closed ports on 127.0.0.1); the mirror and a checksum
database signed by a test note key are served on 127.0.0.1. No --trust-mirror is given.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest
from trust_support import NoteKey, http_server, sumdb_routes

from conftest import run_gorig
from gorig.toolchains.trust import module
from support import gobin
from support.dlserver import DownloadServer, archive_name, closed_port_url, official_archive

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

VERSION = gobin.GO_1_26
FILENAME = archive_name(VERSION, "linux-amd64")
MODULE = f"golang.org/toolchain@{module.module_version(FILENAME)}"


@pytest.fixture(scope="module")
def mirror():
    """The mirror (official layout) and the archive's toolchain-module hash.

    The hash is computed by gorig itself: test_trust_dirhash checks it against the go command.
    """
    archive = official_archive(VERSION)
    with DownloadServer() as served:
        served.add_archive(VERSION)
        yield served, module.archive_module_hash(archive, FILENAME)


def _install(mirror_url: str, home, gosumdb: str, *flags: str):
    env = {
        **os.environ,
        "GORIG_HOME": str(home),
        "GORIG_CONFIG": str(home.parent / "none.toml"),
        "GORIG_INDEX_URL": closed_port_url() + "/dl/?mode=json",
        "GORIG_CN_INDEX_URL": closed_port_url() + "/dl/?mode=json",
        "GOSUMDB": gosumdb,
        "GOENV": "off",
        "GOPROXY": "off",
        "NO_PROXY": "127.0.0.1",
        "NO_COLOR": "1",
    }
    return run_gorig("install", VERSION, "--source", f"mirror:{mirror_url}", *flags, env=env)


def test_the_checksum_database_vouches_for_a_mirror_without_the_index(mirror, tmp_path):
    served, h1 = mirror
    key = NoteKey("sumdb.test")
    with http_server() as sumdb:
        sumdb.routes.update(sumdb_routes(key, [f"{MODULE.replace('@', ' ')} {h1}"], module=MODULE))
        done = _install(served.download_base, tmp_path / "home", f"{key.vkey} {sumdb.url}")
        assert f"/lookup/{MODULE}" in sumdb.seen
    assert done.returncode == 0, done.stderr
    assert "checking " + FILENAME + " against the checksum database instead" in done.stderr
    assert "checked against the checksum database" in done.stdout
    go = tmp_path / "home" / "toolchains" / f"go{VERSION}.linux-amd64" / "bin" / "go"
    assert gobin.go_version_line(go).split()[2] == f"go{VERSION}"


def test_altered_mirror_bytes_are_refused(mirror, tmp_path):
    served, _ = mirror
    key = NoteKey("sumdb.test")
    other = "h1:" + "A" * 43 + "="
    with http_server() as sumdb:
        sumdb.routes.update(
            sumdb_routes(key, [f"{MODULE.replace('@', ' ')} {other}"], module=MODULE)
        )
        done = _install(served.download_base, tmp_path / "home", f"{key.vkey} {sumdb.url}")
    assert done.returncode == 1 and "the mirror served altered bytes" in done.stderr
    assert not list((tmp_path / "home" / "downloads").glob(FILENAME + "*"))
    assert not (tmp_path / "home" / "toolchains" / f"go{VERSION}.linux-amd64").exists()


def _altered(archive: Path, dest: Path) -> Path:
    """The archive with one byte of go/VERSION changed; everything else, bin/go included,
    as it was, so only the module hash can tell."""
    with (
        tarfile.open(archive, "r:gz") as source,
        tarfile.open(dest, "w:gz", compresslevel=1) as out,
    ):
        for member in source:
            content = source.extractfile(member) if member.isfile() else None
            if member.name == "go/VERSION" and content is not None:
                data = bytearray(content.read())
                data[-1] ^= 0x20
                out.addfile(member, io.BytesIO(bytes(data)))
            else:
                out.addfile(member, content)
    return dest


def test_a_mirror_archive_that_differs_from_the_record_leaves_nothing(mirror, tmp_path):
    _, h1 = mirror  # the true archive's hash is what the database records
    altered = _altered(official_archive(VERSION), tmp_path / FILENAME)
    key = NoteKey("sumdb.test")
    with DownloadServer() as served, http_server() as sumdb:
        served.add_archive(VERSION, path=altered)
        sumdb.routes.update(sumdb_routes(key, [f"{MODULE.replace('@', ' ')} {h1}"], module=MODULE))
        done = _install(served.download_base, tmp_path / "home", f"{key.vkey} {sumdb.url}")
    assert done.returncode == 1, done.stderr
    assert f"checksum database records {h1}; the mirror served altered bytes" in done.stderr
    assert "nothing was installed" in done.stderr
    assert not list((tmp_path / "home" / "downloads").glob(FILENAME + "*"))
    assert list((tmp_path / "home" / "toolchains").iterdir()) == []  # no toolchain, no staging
    home = {"GORIG_HOME": str(tmp_path / "home"), "GORIG_CONFIG": str(tmp_path / "none.toml")}
    listed = run_gorig("list", env={**os.environ, **home})
    assert f"go{VERSION}" not in listed.stdout


def test_trust_mirror_matters_only_when_neither_can_be_reached(mirror, tmp_path):
    served, _ = mirror
    unreachable = f"{NoteKey('sumdb.test').vkey} {closed_port_url()}"
    refused = _install(served.download_base, tmp_path / "a", unreachable)
    assert refused.returncode == 1
    assert "the checksum database cannot vouch for" in refused.stderr
    assert "--trust-mirror accepts the mirror's own .sha256" in refused.stderr
    trusted = _install(served.download_base, tmp_path / "b", unreachable, "--trust-mirror")
    assert trusted.returncode == 0, trusted.stderr
    assert "checked against the mirror .sha256" in trusted.stdout
