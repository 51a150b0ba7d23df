"""Building with an older Go than the host default: the port list, validation and artifact
check follow that toolchain (Go 1.22 spells its GOARM default ``7,hardfloat``; gorig
compares GOARM and GOARM64 values in Go's canonical form, whatever the spelling)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import run_gorig
from support import gobin

pytestmark = pytest.mark.toolchain


def test_go_1_22_arm_build_is_proven(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/old\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text('package main\n\nfunc main() { println("old") }\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    env.update(
        PATH=os.pathsep.join([str(gobin.go_binary(gobin.GO_1_22).parent), "/usr/bin", "/bin"]),
        GORIG_HOME=str(tmp_path / "home"),
        GOCACHE=str(gobin.GOCACHE),
        GOTOOLCHAIN="local",
        GOPROXY="off",
    )
    done = run_gorig("build", "--targets", "linux/arm/6", "--json", "-o", tmp_path / "d",
                     env=env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    report = json.loads(done.stdout)
    (result,) = report["targets"]
    assert report["go"] == gobin.GO_1_22
    assert result["ok"] and result["found"]["variant"] == "6"
    assert result["found"]["go"] == f"go{gobin.GO_1_22}"
    ran = subprocess.run(["qemu-arm", tmp_path / "d" / "old_linux_arm_6"], capture_output=True,
                         text=True, check=True, timeout=60)  # fmt: skip
    assert ran.stderr == "old\n"
