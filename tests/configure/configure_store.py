"""Fixtures for the configure tests: a gorig store laid out with real Go toolchains."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from support import gobin

DEFAULT = gobin.GO_1_27
PINNED_A = gobin.GO_1_26
PINNED_B = gobin.GO_1_25


@dataclass(frozen=True)
class Store:
    home: Path
    platform: str

    def toolchain(self, version: str) -> Path:
        return self.home / "toolchains" / f"go{version}.{self.platform}"


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """GORIG_HOME with three real toolchains, DEFAULT current, bin/ links through current."""
    home = tmp_path_factory.mktemp("store") / "gorig home"  # a space, as on macOS
    store = Store(home, gobin.HOST_PLATFORM)
    (home / "toolchains").mkdir(parents=True)
    (home / "bin").mkdir()
    for version in (DEFAULT, PINNED_A, PINNED_B):
        # A real directory (the store skips symlinked ones) whose entries link to the cached
        # read-only GOROOT: `go` finds its GOROOT through its own resolved path.
        root = store.toolchain(version)
        root.mkdir()
        for entry in gobin.goroot(version).iterdir():
            (root / entry.name).symlink_to(entry)
        (home / "bin" / f"go{version}").symlink_to(store.toolchain(version) / "bin" / "go")
    (home / "current").symlink_to(Path("toolchains") / store.toolchain(DEFAULT).name)
    for tool in ("go", "gofmt"):
        (home / "bin" / tool).symlink_to(Path("..") / "current" / "bin" / tool)
    return store


@pytest.fixture
def clean_env(tmp_path: Path, store: Store) -> dict[str, str]:
    """An environment like `env -i HOME=<tmp> PATH=/usr/bin:/bin` plus GORIG_HOME."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.pathsep.join(["/usr/bin", "/bin"])}
    env["GORIG_HOME"] = str(store.home)
    env["GOENV"] = str(home / "go-env")  # `go env -w` writes here, never to the real user's
    return env
