"""Kills and races against the store, with a concurrent reader of ``bin/go``.

gorig runs as a real child process; strace SIGKILLs it as it enters one chosen system call
(every rename, exchange, link swap and removal step of a run, plus samples of the many mkdir
and unlink calls of extraction and deletion), so each kill point is exact and repeatable.
Meanwhile :mod:`support.storewatch` runs ``bin/go version`` in a loop and checks the tree it
resolves into is complete; the test waits until it has looked at every post-kill state.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import GORIG
from support import gobin, storewatch
from support.minigo import Release, small_release
from support.syscalls import Call, Stopped, kill_at, trace

pytestmark = pytest.mark.toolchain

OLD, NEW = gobin.GO_1_26, gobin.GO_1_27
LINKS = ("current", "bin/go", "bin/gofmt", f"bin/go{OLD}", f"bin/go{NEW}")


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Release]:
    dest = tmp_path_factory.mktemp("releases")
    return {version: small_release(version, dest) for version in (OLD, NEW)}


class Home:
    """A GORIG_HOME and how to run gorig on it."""

    def __init__(self, path: Path, releases: dict[str, Release]) -> None:
        self.path = path
        self.releases = releases
        self.env = {
            **os.environ,
            "GORIG_HOME": str(path),
            "GORIG_CONFIG": str(path.parent / "none.toml"),
        }
        self.env.pop("GORIG_GO_VERSION", None)

    def argv(self, *args: str) -> list[str]:
        return [*GORIG, *args]

    def gorig(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.argv(*args), env=self.env, capture_output=True, text=True, timeout=600
        )

    def ok(self, *args: str) -> str:
        done = self.gorig(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
        return done.stdout

    def install(self, version: str, *extra: str) -> list[str]:
        return self.releases[version].install_args(*extra)

    def installed(self) -> list[str]:
        return [row["version"] for row in json.loads(self.ok("list", "--json"))]

    def dangling(self) -> list[str]:
        """Links that exist but lead nowhere: what a kill or race must never leave."""
        links = [*LINKS, *(f"bin/{p.name}" for p in (self.path / "bin").glob("*"))]
        return sorted(
            {name for name in links if os.path.lexists(self.path / name)}
            - {name for name in links if (self.path / name).exists()}
        )

    def leftovers(self) -> list[Path]:
        """Staging directories and temporary links: what a normal run must clean up."""
        return [
            *(self.path / "toolchains").glob(".staging-*"),
            *self.path.glob(".*.tmp"),
            *(self.path / "bin").glob(".*"),
        ]


@pytest.fixture
def home(tmp_path: Path, releases: dict[str, Release]) -> Home:
    return Home(tmp_path / "home", releases)


class Watch:
    """A running :mod:`support.storewatch` process."""

    def __init__(self, process: subprocess.Popen[str], passes: Path) -> None:
        self.process, self.passes = process, passes

    def count(self) -> int:
        try:
            return int(self.passes.read_text())
        except FileNotFoundError:
            return 0

    def sees_now(self) -> None:
        """Return once the reader has made a whole pass that began after this call."""
        target = self.count() + 2
        deadline = time.monotonic() + 300
        while self.count() < target:
            assert self.process.poll() is None, self.process.communicate()
            assert time.monotonic() < deadline, "the reader stopped making passes"
            time.sleep(0.005)


@contextmanager
def watching(home: Home, links: dict[str, list[str]], required: list[str]) -> Iterator[Watch]:
    """Run the reader over ``links`` while the block runs; fail on anything it saw."""
    files = sorted({name for r in home.releases.values() for name in r.files})
    spec = home.path.parent / "watch.json"
    stop = home.path.parent / "watch.stop"
    passes = home.path.parent / "watch.passes"
    spec.write_text(
        json.dumps(
            {
                "home": str(home.path),
                "links": {link: [f"go{v}" for v in versions] for link, versions in links.items()},
                "required": required,
                "files": files,
                "stop": str(stop),
                "passes": str(passes),
            }
        )
    )
    process = subprocess.Popen(
        [sys.executable, storewatch.__file__, str(spec)], stdout=subprocess.PIPE, text=True
    )
    watch = Watch(process, passes)
    try:
        watch.sees_now()  # the reader checks the starting state too
        yield watch
    finally:
        stop.touch()
        out, _ = process.communicate(timeout=300)
    seen = json.loads(out)
    assert seen["failed"] == 0, seen["failures"]


def kill_points(calls: list[Call]) -> list[Call]:
    """Every step of a run, and the first, middle and last of its bulk mkdir/unlink calls."""
    steps = [call for call in calls if call.name not in ("mkdir", "unlinkat", "unlink")]
    for name in ("mkdir", "unlinkat", "unlink"):
        bulk = [call for call in calls if call.name == name]
        steps += {bulk[i].ordinal: bulk[i] for i in (0, len(bulk) // 2, -1) if bulk}.values()
    return steps


def kill_everywhere(
    home: Home, argv: list[str], reset: Callable[[], None], watch: Watch
) -> list[Call]:
    """SIGKILL ``argv`` at each kill point; after each, nothing dangles and ``reset`` (plain
    gorig commands) brings the store back with no leftovers."""
    done, calls = trace(home.argv(*argv), home.env, home.path.parent / "strace.log")
    assert done.returncode == 0, done.stderr
    reset()
    points = kill_points(calls)
    assert len(points) >= 5, calls
    for call in points:
        killed = kill_at(home.argv(*argv), home.env, call)
        assert killed.returncode == -signal.SIGKILL, (str(call), killed.stderr)
        watch.sees_now()
        assert home.dangling() == [], f"killed at {call}"
        reset()
        assert home.leftovers() == [], f"after a kill at {call} and {reset.__doc__}"
        assert home.dangling() == []
    return points


def test_kill_at_every_step_of_an_install(home):
    home.ok(*home.install(OLD))

    def reset() -> None:
        """uninstall, prune"""
        if f"go{NEW}" in home.installed():
            home.ok("uninstall", NEW)
        home.ok("prune")

    links = {"bin/go": [OLD], f"bin/go{OLD}": [OLD], f"bin/go{NEW}": [NEW]}
    with watching(home, links, required=["bin/go", f"bin/go{OLD}"]) as watch:
        kill_everywhere(home, home.install(NEW), reset, watch)
    home.ok(*home.install(NEW))
    assert home.installed() == [f"go{OLD}", f"go{NEW}"]


def test_kill_at_every_step_of_a_force_reinstall(home):
    home.ok(*home.install(OLD))

    def reset() -> None:
        """prune, install"""
        home.ok("prune")
        home.ok(*home.install(OLD))

    links = {"bin/go": [OLD], f"bin/go{OLD}": [OLD]}
    with watching(home, links, required=list(links)) as watch:
        points = kill_everywhere(home, home.install(OLD, "--force"), reset, watch)
    assert any(call.name == "renameat2" for call in points)  # the exchange was a kill point


def test_kill_at_every_step_of_use(home):
    home.ok(*home.install(OLD))
    home.ok(*home.install(NEW))

    def reset() -> None:
        """use of the old default"""
        home.ok("use", OLD)

    links = {"bin/go": [OLD, NEW], f"bin/go{OLD}": [OLD], f"bin/go{NEW}": [NEW]}
    with watching(home, links, required=list(links)) as watch:
        kill_everywhere(home, ["use", NEW], reset, watch)


def test_kill_at_every_step_of_uninstall(home):
    home.ok(*home.install(OLD))
    home.ok(*home.install(NEW))

    def reset() -> None:
        """prune, install"""
        home.ok("prune")
        if f"go{NEW}" not in home.installed():
            home.ok(*home.install(NEW))

    links = {"bin/go": [OLD], f"bin/go{OLD}": [OLD], f"bin/go{NEW}": [NEW]}
    with watching(home, links, required=["bin/go", f"bin/go{OLD}"]) as watch:
        kill_everywhere(home, ["uninstall", NEW], reset, watch)


def _first_symlink(home: Home, argv: list[str]) -> Call:
    done, calls = trace(home.argv(*argv), home.env, home.path.parent / "strace.log")
    assert done.returncode == 0, done.stderr
    return next(call for call in calls if call.name.startswith("symlink"))


@pytest.mark.parametrize(
    "first",
    [pytest.param(["install", NEW, "--force"], id="install-force"), pytest.param(["use", NEW])],
)
def test_uninstall_waits_for_a_change_of_that_version(home, first):
    """``first`` is held just after it starts linking NEW, while ``uninstall NEW`` runs."""
    home.ok(*home.install(OLD))
    home.ok(*home.install(NEW))
    argv = home.install(NEW, "--force") if first[0] == "install" else first
    call = _first_symlink(home, argv)
    home.ok("use", OLD)
    log = home.path.parent / "stopped.log"
    with Stopped(home.argv(*argv), home.env, call, log) as held:
        uninstall = subprocess.Popen(
            home.argv("uninstall", "--force", NEW),
            env=home.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert uninstall.stderr is not None
        said = uninstall.stderr.readline()  # a waiting note, or nothing once it has finished
        resumed = held.resume()
        _, err = uninstall.communicate(timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert uninstall.returncode == 0, said + err
    assert home.dangling() == []
    assert home.installed() == [f"go{OLD}"]
    assert home.leftovers() == []
    assert said.startswith(f"another gorig is changing go{NEW}.linux-amd64; waiting for it")


def test_concurrent_install_uninstall_use_of_one_version(home):
    home.ok(*home.install(OLD))
    commands = [home.install(NEW, "--force"), ["uninstall", "--force", NEW], ["use", NEW]]
    for _ in range(4):
        running = [
            subprocess.Popen(
                home.argv(*argv),
                env=home.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for argv in commands
        ]
        for process in running:
            _, err = process.communicate(timeout=600)
            assert "Traceback" not in err
            assert process.returncode == 0 or "is not installed" in err or "no longer" in err
        assert home.dangling() == []
        assert home.leftovers() == []
        current = home.path / "current"
        if os.path.lexists(current):
            assert (home.path / "bin" / "go").exists()
            assert gobin.go_version_line(home.path / "bin" / "go").split()[2] in (
                f"go{OLD}",
                f"go{NEW}",
            )


def test_already_installed_answer_removes_stale_staging(home):
    home.ok(*home.install(OLD))
    stale = home.path / "toolchains" / f".staging-go{OLD}.linux-amd64-killed" / "go" / "bin"
    stale.mkdir(parents=True)
    (stale / "go").write_bytes(b"half a toolchain")
    assert "is already installed" in home.ok(*home.install(OLD))
    assert home.leftovers() == []


def test_a_bad_source_is_refused_even_when_installed(home):
    home.ok(*home.install(OLD))
    done = home.gorig("install", OLD, "--source", "bogus")
    assert done.returncode == 2
    assert done.stderr.startswith("gorig: error: unknown source 'bogus'")
