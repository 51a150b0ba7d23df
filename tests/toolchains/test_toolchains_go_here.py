"""The one answer to "which go runs here": gorig's toolchain for the directory (the pin's,
else the default), else the first go on PATH, else one line saying how to get one."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorig.errors import GorigError
from gorig.host import HostFacts
from gorig.toolchains import Store, go_here, goroot_of

LINUX = HostFacts("linux", "x86_64", 64)


def _toolchain(store: Store, name: str) -> Path:
    go = store.toolchains_dir / name / "bin" / "go"
    go.parent.mkdir(parents=True)
    go.write_text("#!/bin/sh\n")
    go.chmod(0o755)
    return go


def _on_path(directory: Path) -> Path:
    go = directory / "go"
    directory.mkdir(parents=True, exist_ok=True)
    go.write_text("#!/bin/sh\n")
    go.chmod(0o755)
    return go


def test_gorigs_pin_then_default_then_path(tmp_path: Path):
    store = Store(tmp_path / "home")
    path_go = _on_path(tmp_path / "bin")
    env = {"GORIG_HOME": str(store.home), "PATH": str(path_go.parent), "HOME": str(tmp_path)}
    project = tmp_path / "project"
    project.mkdir()
    assert go_here(project, env, LINUX) == path_go  # nothing installed
    old = _toolchain(store, "go1.22.5.linux-amd64")
    new = _toolchain(store, "go1.23.1.linux-amd64")
    (default,) = [r for r in store.installed() if r.go == new]
    store.set_default(default)
    assert go_here(project, env, LINUX) == new
    (project / ".go-version").write_text("1.22.5\n")
    assert go_here(project, env, LINUX) == old
    assert goroot_of(old) == str(old.parent.parent)


def test_nothing_anywhere_is_one_line(tmp_path: Path):
    env = {"GORIG_HOME": str(tmp_path / "home"), "PATH": str(tmp_path / "empty")}
    with pytest.raises(GorigError) as caught:
        go_here(tmp_path, env, LINUX)
    assert str(caught.value) == "no Go toolchain here: run 'gorig install', or put go on PATH"


def test_goroot_follows_links(tmp_path: Path):
    real = _on_path(tmp_path / "sdk" / "go1.22" / "bin")
    link = tmp_path / "bin" / "go"
    link.parent.mkdir()
    link.symlink_to(real)
    assert goroot_of(link) == str(tmp_path / "sdk" / "go1.22")
