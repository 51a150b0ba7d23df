"""gorig build with bad targets under LANG=zh_CN.UTF-8: Go's own words, gorig's hints in
Chinese (the reviewed output below)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_gorig
from support import gobin

pytestmark = [pytest.mark.toolchain]


def test_bad_targets_in_chinese(tmp_path: Path):
    go = gobin.go_binary(gobin.GO_1_27)
    (tmp_path / "go.mod").write_text("module example.com/p\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    env = {
        "HOME": str(tmp_path),
        "PATH": f"{go.parent}:{os.environ['PATH']}",
        "GORIG_HOME": str(tmp_path / "gorig"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "LANG": "zh_CN.UTF-8",
    }
    done = run_gorig("build", "--targets", "linux/bogus,plan9/arm64", env=env, cwd=tmp_path)
    assert done.returncode in (1, 2)
    version = gobin.GO_1_27
    assert done.stderr == (
        f"gorig: error: linux/bogus: unsupported GOOS/GOARCH pair linux/bogus in Go {version}"
        "；GOOS=linux 支持的架构有 386, amd64, arm, arm64, loong64, mips, mips64, mips64le, "
        "mipsle, ppc64, ppc64le, riscv64, s390x, sparc64; plan9/arm64: unsupported GOOS/GOARCH "
        f"pair plan9/arm64 in Go {version}；GOOS=plan9 支持的架构有 386, amd64, arm"
        "（参见 'gorig targets check TARGET'）\n"
    )
    assert done.stdout == ""
