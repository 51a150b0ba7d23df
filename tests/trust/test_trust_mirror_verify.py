"""``gorig mirror verify --sumdb``: a mirror directory checked against a checksum database.

The database is a real one on 127.0.0.1 signed by a test note key (trust_support): it
records the archive's true module hash, then a different one; a database that cannot be
reached leaves the index check alone.
"""

from __future__ import annotations

import json
import os
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


def verify(root: Path, gosumdb: str) -> tuple[int, list[dict[str, str]]]:
    env = {**os.environ, "GOSUMDB": gosumdb, "GOPROXY": "off", "GOENV": "off",
           "NO_PROXY": "127.0.0.1", "GORIG_HTTP_RETRIES": "0"}  # fmt: skip
    done = run_gorig("mirror", "verify", root, "--sumdb", "--json", env=env)
    assert "Traceback" not in done.stderr and "error" not in json.loads(done.stdout), done.stdout
    return done.returncode, json.loads(done.stdout)["problems"]


def test_verify_asks_the_checksum_database(tmp_path: Path):
    root = tmp_path / "mirror"
    with DownloadServer() as served:
        served.add_archive(VERSION)
        env = {**os.environ, **served.env(), "GORIG_CONFIG": str(tmp_path / "none.toml")}
        synced = run_gorig("mirror", "sync", root, "--versions", VERSION, "--platforms",
                           "linux/amd64", "--source", "official", env=env)  # fmt: skip
        assert synced.returncode == 0, synced.stderr
    true_hash = module.archive_module_hash(official_archive(VERSION), FILENAME)
    key = NoteKey("sumdb.test")
    with http_server() as sumdb:
        sumdb.routes.update(sumdb_routes(key, [f"{MODULE.replace('@', ' ')} {true_hash}"],
                                         module=MODULE))  # fmt: skip
        assert verify(root, f"{key.vkey} {sumdb.url}") == (0, [])
        assert f"/lookup/{MODULE}" in sumdb.seen
    other = "h1:" + "A" * 43 + "="
    with http_server() as sumdb:
        sumdb.routes.update(sumdb_routes(key, [f"{MODULE.replace('@', ' ')} {other}"],
                                         module=MODULE))  # fmt: skip
        code, problems = verify(root, f"{key.vkey} {sumdb.url}")
    assert code == 1 and [p["file"] for p in problems] == [FILENAME]
    assert other in problems[0]["problem"] and true_hash in problems[0]["problem"]
    assert verify(root, f"{key.vkey} {closed_port_url()}") == (0, [])
