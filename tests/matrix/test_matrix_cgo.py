"""cgo cross builds: each cgo target's C compiler is checked before any build, and Zig (the
``ziglang`` wheel) cross-compiles Linux targets for real, proven by gorig inspect and by
running the binaries under qemu-user with the target's own C library (Debian's cross libc)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from test_matrix_builds import build_env, hello_module, tool

from conftest import run_gorig
from gorig.errors import GorigError
from gorig.matrix.cc import choose_compilers
from gorig.targets import parse_target
from gorig.targets.exported import BuildSetting

CGO_HELLO = """package main

/*
static int answer(void) { return 42; }
*/
import "C"

import (
\t"fmt"
\t"runtime"
)

func main() { fmt.Printf("cgo %d from %s/%s\\n", int(C.answer()), runtime.GOOS, runtime.GOARCH) }
"""
# target -> (artifact, interpreter, qemu, the C library's root)
LINUX = {
    "linux/arm64": (
        "cgohello_linux_arm64", "/lib/ld-linux-aarch64.so.1", "qemu-aarch64",
        "/usr/aarch64-linux-gnu",
    ),
    "linux/arm/7": (
        "cgohello_linux_arm_7", "/lib/ld-linux-armhf.so.3", "qemu-arm", "/usr/arm-linux-gnueabihf",
    ),
}  # fmt: skip


@pytest.fixture
def module(tmp_path: Path) -> Path:
    return hello_module(tmp_path, "cgohello", CGO_HELLO)


def only_go_on_path(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """PATH with go and nothing else: no gcc, no cross compiler."""
    bare = tmp_path / "bare-bin"
    bare.mkdir()
    (bare / "go").symlink_to(Path(env["PATH"].split(":")[0]) / "go")
    return {**env, "PATH": str(bare)}


@pytest.mark.toolchain
def test_missing_c_compilers_are_named_before_any_build(module, tmp_path):
    env = only_go_on_path(build_env(tmp_path), tmp_path)
    done = run_gorig(
        "build", "--cgo", "--targets", "linux/amd64,linux/arm64,darwin/arm64", "-o",
        tmp_path / "dist", env=env, cwd=module,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == (
        "gorig: error: linux/amd64: cgo needs a C compiler and none is on PATH (gcc, clang or "
        "cc); install one (Debian: apt install gcc), or pass --cc zig; linux/arm64: cgo needs "
        "a C compiler for aarch64-linux-gnu and aarch64-linux-gnu-gcc is not on PATH; install "
        "it (Debian: apt install gcc-aarch64-linux-gnu), or pass --cc zig; darwin/arm64: cgo "
        "needs a C compiler for darwin/arm64 and the host's one builds for linux/amd64; set CC "
        "to a darwin/arm64 compiler, or build on darwin\n"
    )
    assert "no such instruction" not in done.stderr and not (tmp_path / "dist").exists()

    zig = run_gorig("build", "--cgo", "--cc", "zig", "--targets", "darwin/arm64", env=env,
                    cwd=module)  # fmt: skip
    assert zig.returncode == 2
    assert "darwin/arm64: --cc zig builds cgo for Linux targets only" in zig.stderr


@pytest.mark.toolchain
@pytest.mark.qemu
def test_zig_cross_builds_run_under_qemu_with_the_targets_libc(module, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[build]\ncc = "zig"\n')
    env = {**build_env(tmp_path), "GORIG_CONFIG": str(config)}
    done = run_gorig("build", "--cgo", "--targets", ",".join(LINUX), "-o", tmp_path / "dist",
                     env=env, cwd=module, timeout=1200)  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert (
        f"setting: CC=zig cc -target aarch64-linux-gnu ([build] cc = 'zig' in {config}): "
        "for linux/arm64"
    ) in done.stdout
    for target, (name, interpreter, qemu, libc) in LINUX.items():
        binary = tmp_path / "dist" / name
        (info,) = json.loads(run_gorig("inspect", "--json", binary).stdout)
        settings = {s["Key"]: s["Value"] for s in info["go"]["Settings"]}
        assert (info["linkage"], info["interpreter"]) == ("dynamic", interpreter), target
        assert "libc.so.6" in info["libraries"] and settings["CGO_ENABLED"] == "1"
        ran = subprocess.run([tool(qemu), "-L", libc, binary], capture_output=True, text=True,
                             timeout=60, check=False)  # fmt: skip
        goarch = target.split("/")[1]
        assert (ran.returncode, ran.stdout) == (0, f"cgo 42 from linux/{goarch}\n"), ran.stderr


def test_exported_cc_is_used_as_given_and_zig_must_be_installed():
    def nothing(_name: str) -> str | None:
        return None

    targets = [parse_target("linux/arm64")]
    chosen = choose_compilers(
        targets, choice="auto", said="--cc auto", host=("linux", "amd64"),
        env_cc=BuildSetting("CC", "my-cc", "environment"), which=nothing, zig=None,
    )  # fmt: skip
    assert str(chosen["linux/arm64"].setting()) == "CC=my-cc (environment): for linux/arm64"
    with pytest.raises(GorigError, match="--cc zig: Zig is not installed; run 'pip install"):
        choose_compilers(targets, choice="zig", said="--cc zig", host=("linux", "amd64"),
                         env_cc=None, which=nothing, zig=None)  # fmt: skip
    armv5 = choose_compilers([parse_target("linux/arm/5")], choice="zig", said="--cc zig",
                             host=("linux", "amd64"), env_cc=None, which=nothing,
                             zig=["zig"])  # fmt: skip
    assert armv5["linux/arm/5"].env["CC"] == "zig cc -target arm-linux-gnueabi"
