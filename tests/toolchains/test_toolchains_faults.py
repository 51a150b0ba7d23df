"""Faults during install: each leaves the store consistent, and a rerun then succeeds.

The server is real (127.0.0.1) and injects the faults into its responses; gorig runs as a
child process, so SIGKILL hits the real thing at a real moment.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from conftest import GORIG, run_gorig
from support import gobin
from support.dlserver import DownloadServer, archive_name

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

VERSION = gobin.GO_1_26
NAME = archive_name(VERSION, "linux-amd64")
TOOLCHAIN = f"go{VERSION}.linux-amd64"


@pytest.fixture(scope="module")
def server():
    with DownloadServer() as running:
        running.add_archive(VERSION)
        yield running


@pytest.fixture
def home(tmp_path, server):
    server.clear_faults()
    server.requests.clear()
    yield tmp_path / "home"
    server.clear_faults()


def env_for(server: DownloadServer, home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **server.env(),
        "GORIG_HOME": str(home),
        "GORIG_CONFIG": str(home.parent / "none.toml"),
        **extra,
    }


def assert_nothing_installed(server: DownloadServer, home: Path) -> None:
    assert not (home / "toolchains" / TOOLCHAIN).exists()
    assert not os.path.lexists(home / "current")
    listed = run_gorig("list", "--json", env=env_for(server, home))
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def assert_rerun_installs(server: DownloadServer, home: Path) -> subprocess.CompletedProcess[str]:
    server.clear_faults()
    done = run_gorig("install", VERSION, env=env_for(server, home))
    assert done.returncode == 0, done.stderr
    go = home / "bin" / "go"
    assert gobin.go_version_line(go).split()[2] == f"go{VERSION}"
    assert not list((home / "toolchains").glob(".staging-*"))
    return done


def ranges(server: DownloadServer) -> list[str]:
    return [r.headers.get("Range", "") for r in server.seen(NAME)]


def test_truncated_body_fails_cleanly_then_resumes(server, home):
    server.fail(NAME, "truncate", times=10)
    failed = run_gorig("install", VERSION, env=env_for(server, home, GORIG_HTTP_RETRIES="1"))
    assert failed.returncode == 1
    assert "gave up after 2 attempts" in failed.stderr and "Traceback" not in failed.stderr
    assert_nothing_installed(server, home)
    part = home / "downloads" / (NAME + ".part")
    kept = part.stat().st_size
    assert kept > 0
    assert_rerun_installs(server, home)
    assert ranges(server)[-1] == f"bytes={kept}-"


def test_500_then_reset_mid_stream_are_retried_and_resumed_with_range(server, home):
    # One run meets both faults: a 500 (retried), then a reset mid-body (resumed).
    server.fail(NAME, "status", status=500, times=1)
    server.fail(NAME, "reset", times=1)
    done = run_gorig("install", VERSION, env=env_for(server, home))
    assert done.returncode == 0, done.stderr
    first, second, third = ranges(server)
    assert first == second == ""  # the 500, then the full request that was reset
    assert third.startswith("bytes=") and third != "bytes=0-"  # resumed, not restarted
    assert (home / "toolchains" / TOOLCHAIN / "bin" / "go").is_file()


def test_404_fails_at_once_then_rerun_succeeds(server, home):
    server.fail(NAME, "status", status=404, times=10)
    failed = run_gorig("install", VERSION, env=env_for(server, home))
    assert failed.returncode == 1 and "does not exist (HTTP 404)" in failed.stderr
    assert len(server.seen(NAME)) == 1  # a 404 is not retried
    assert_nothing_installed(server, home)
    assert_rerun_installs(server, home)


def test_flipped_byte_is_a_sha256_mismatch_and_nothing_is_kept(server, home):
    server.fail(NAME, "flip")
    failed = run_gorig("install", VERSION, env=env_for(server, home))
    assert failed.returncode == 1
    assert "failed verification: expected SHA-256" in failed.stderr
    assert "nothing was installed" in failed.stderr
    assert_nothing_installed(server, home)
    assert not list((home / "downloads").iterdir())  # untrusted bytes are not kept
    assert_rerun_installs(server, home)


def test_stalled_server_times_out(server, home):
    server.fail(NAME, "stall", times=10, seconds=20)
    env = env_for(server, home, GORIG_HTTP_TIMEOUT="1", GORIG_HTTP_RETRIES="1")
    failed = run_gorig("install", VERSION, env=env)
    assert failed.returncode == 1 and "timed out" in failed.stderr
    assert_nothing_installed(server, home)
    assert_rerun_installs(server, home)


def _start_install(server: DownloadServer, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*GORIG, "install", VERSION],
        env=env_for(server, home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(process: subprocess.Popen[str], ready) -> None:
    deadline = time.monotonic() + 300
    while not ready():
        assert process.poll() is None, "gorig finished before the kill point"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_sigkill_during_download_then_resume(server, home):
    server.throttle(NAME, chunk=256 << 10, delay=0.02)
    part = home / "downloads" / (NAME + ".part")
    process = _start_install(server, home)
    _kill_when(process, lambda: part.exists() and part.stat().st_size > (4 << 20))
    assert_nothing_installed(server, home)
    assert_rerun_installs(server, home)
    assert ranges(server)[-1].startswith("bytes=") and ranges(server)[-1] != "bytes=0-"


def test_sigkill_during_extraction_then_rerun(server, home):
    def extracting() -> bool:
        stagings = (home / "toolchains").glob(".staging-*")
        return (home / "toolchains").exists() and any((s / "go").is_dir() for s in stagings)

    process = _start_install(server, home)
    _kill_when(process, extracting)
    assert list((home / "toolchains").glob(".staging-*")), "killed mid-extraction"
    assert_nothing_installed(server, home)
    assert_rerun_installs(server, home)  # also removes the leftover staging directory


def test_two_concurrent_installs_of_one_version(server, home):
    server.throttle(NAME, chunk=1 << 20, delay=0.02)
    processes = [_start_install(server, home) for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    stdout = sorted(out for out, _ in outputs)
    assert sum("is already installed" in out for out in stdout) == 1
    assert sum(f"installed go{VERSION} linux/amd64 from official" in out for out in stdout) == 1
    assert len(server.seen(NAME)) == 1  # one download served both


def _evil_archive(path: Path, entry: str) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("go/VERSION", b"go1\n"), (entry, b"owned\n")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("version", "entry", "message"),
    [
        ("1.25.5", "go/../../evil.txt", "climbs out with '..'"),
        ("1.24.11", "/tmp/gorig-test-absolute-entry.txt", "is an absolute path"),
    ],
)
def test_archives_escaping_the_root_are_refused(server, home, tmp_path, version, entry, message):
    Path("/tmp/gorig-test-absolute-entry.txt").unlink(missing_ok=True)
    archive = _evil_archive(tmp_path / archive_name(version, "linux-amd64"), entry)
    server.add_archive(version, path=archive)
    failed = run_gorig("install", version, env=env_for(server, home))
    assert failed.returncode == 1 and message in failed.stderr, failed.stderr
    assert "Traceback" not in failed.stderr
    escaped = Path(entry) if entry.startswith("/") else home / "toolchains" / "evil.txt"
    assert not escaped.exists()
    assert not list((home / "toolchains").iterdir())  # the staging directory is gone too
    assert run_gorig("list", "--json", env=env_for(server, home)).stdout.strip() == "[]"
