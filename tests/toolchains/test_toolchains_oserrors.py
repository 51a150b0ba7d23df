"""Operating-system errors are one line naming the path and what to do, exit 1, no leftovers.

The kernel makes the errors for real: a read-only bind mount (root ignores chmod), a small
tmpfs that fills up, a GORIG_HOME that is a file, a deleted working directory.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import GORIG, run_gorig
from support import gobin
from support.dlserver import DownloadServer, archive_name
from support.minigo import Release, small_release
from support.mounts import read_only, small_disk

pytestmark = pytest.mark.toolchain

OLD, NEW = gobin.GO_1_26, gobin.GO_1_27


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Release]:
    dest = tmp_path_factory.mktemp("releases")
    return {version: small_release(version, dest) for version in (OLD, NEW)}


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "GORIG_HOME": str(home),
        "GORIG_CONFIG": str(home.parent / "none.toml"),
        **extra,
    }
    env.pop("GORIG_GO_VERSION", None)
    return env


def one_line(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """The single error line of a failed run (asserting it is one, and names ``words``)."""
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("gorig: error: ") and done.stderr.count("\n") == 1, done.stderr
    for word in words:
        assert word in done.stderr
    return done.stderr


@pytest.fixture
def store(tmp_path: Path, releases: dict[str, Release]) -> Path:
    """A GORIG_HOME with OLD installed (the default) and a cached download."""
    home = tmp_path / "home"
    done = run_gorig(*releases[OLD].install_args(), env=env_for(home))
    assert done.returncode == 0, done.stderr
    (home / "downloads").mkdir()
    (home / "downloads" / archive_name(NEW, "linux-amd64")).write_bytes(b"cached")
    return home


def snapshot(home: Path) -> list[tuple[str, str]]:
    return sorted(
        (str(p.relative_to(home)), str(p.readlink()) if p.is_symlink() else "")
        for p in home.rglob("*")
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("install", NEW), id="install"),
        pytest.param(("use", OLD), id="use"),
        pytest.param(("uninstall", "--force", OLD), id="uninstall"),
        pytest.param(("prune",), id="prune"),
    ],
)
def test_read_only_store(store, releases, args):
    before = snapshot(store)
    argv = releases[NEW].install_args() if args[0] == "install" else args
    with read_only(store):
        done = run_gorig(*argv, env=env_for(store))
    line = one_line(done, f"{store}/", "read-only", "GORIG_HOME")
    assert "remount it read-write" in line
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "args", [("install", OLD), ("list",), ("use", OLD), ("uninstall", OLD), ("prune",)]
)
def test_gorig_home_that_is_a_file(tmp_path, releases, args):
    home = tmp_path / "home"
    home.write_text("not a directory\n")
    argv = releases[OLD].install_args() if args[0] == "install" else args
    one_line(run_gorig(*argv, env=env_for(home)), str(home), "not a directory")
    assert home.read_text() == "not a directory\n"


@pytest.fixture(scope="module")
def server():
    with DownloadServer() as running:
        running.add_archive(OLD)
        yield running


@pytest.mark.network
def test_disk_full_during_download_deletes_the_part(tmp_path, server):
    home = tmp_path / "home"
    with small_disk(home, 24):
        done = run_gorig("install", OLD, env={**env_for(home), **server.env()})
        part = home / "downloads" / (archive_name(OLD, "linux-amd64") + ".part")
        line = one_line(done, str(part), "no space left", "gorig prune")
        assert not part.exists()  # it filled the disk; prune would keep a fresh one
        assert not (home / "toolchains").exists() or not list((home / "toolchains").iterdir())
    assert line.count(str(home)) == 2  # the path, and where the store is


def test_disk_full_during_extraction_removes_the_staging(tmp_path, releases):
    home = tmp_path / "home"
    with small_disk(home, 10):  # the archive (8 MB) is outside; its tree needs ~30 MB
        done = run_gorig(*releases[OLD].install_args(), env=env_for(home))
        one_line(done, f"{home / 'toolchains' / '.staging-'}", "no space left")
        assert list((home / "toolchains").iterdir()) == []
        assert not os.path.lexists(home / "current")


def test_deleted_working_directory(tmp_path, store):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f'cd "{gone}" && rmdir "{gone}" && exec "$@"'
    done = subprocess.run(
        ["sh", "-c", script, "sh", *GORIG, "which"],
        env=env_for(store),
        capture_output=True,
        text=True,
        check=False,
    )
    assert one_line(done) == (
        "gorig: error: the current directory no longer exists: cd to an existing directory "
        "and retry\n"
    )


def test_use_local_in_a_read_only_directory(tmp_path, store):
    project = tmp_path / "project"
    project.mkdir()
    with read_only(project):
        done = run_gorig("use", "--local", OLD, env=env_for(store), cwd=project)
    assert "read-only" in one_line(done, str(project)).lower()
    assert list(project.iterdir()) == []


def test_exec_of_a_file_that_is_not_executable(tmp_path, store):
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    script.chmod(0o644)
    done = run_gorig("exec", OLD, "--", str(script), env=env_for(store))
    one_line(done, str(script), "chmod +x")


def test_build_out_naming_an_existing_file(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "go.mod").write_text("module example.com/hello\n\ngo 1.21\n")
    (project / "main.go").write_text("package main\n\nfunc main() {}\n")
    out = tmp_path / "dist"
    out.write_text("keep me\n")
    env = env_for(tmp_path / "home", GOCACHE=str(gobin.GOCACHE))
    env["PATH"] = os.pathsep.join([str(gobin.goroot(OLD) / "bin"), env["PATH"]])
    done = run_gorig("build", "--targets", "linux/amd64", "-o", out, env=env, cwd=project)
    one_line(done, str(out), "already exists")
    assert out.read_text() == "keep me\n"
