"""Builds follow the exported Go settings as ``go build`` does: GOARM=6 for a Raspberry Pi
Zero gives a binary the Zero's CPU runs (qemu-arm -cpu arm1176), never a silent GOARM=7."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from test_matrix_builds import build_env, hello_module, tool

from conftest import run_gorig

pytestmark = [pytest.mark.toolchain]

ILLEGAL_INSTRUCTION = -4  # the process qemu-arm runs dies of SIGILL


@pytest.fixture
def hello(tmp_path: Path) -> Path:
    return hello_module(tmp_path)


def build(hello: Path, *args: str, **exported: str) -> subprocess.CompletedProcess[str]:
    env = {**build_env(hello.parent), **exported}
    return run_gorig("build", *args, "-o", hello.parent / "dist", env=env, cwd=hello)


def inspected(path: Path) -> dict[str, str]:
    done = run_gorig("inspect", "--json", path)
    assert done.returncode == 0, done.stderr
    (info,) = json.loads(done.stdout)
    return {"goos": info["goos"], "goarch": info["goarch"]} | {
        s["Key"]: s["Value"] for s in info["go"]["Settings"]
    }


def run_on_arm1176(binary: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool("qemu-arm"), "-cpu", "arm1176", binary],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.mark.qemu
def test_exported_goarm_6_builds_what_a_pi_zero_runs(hello):
    done = build(hello, "--targets", "linux/arm", "--json", GOARM="6")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [t["target"] for t in report["targets"]] == ["linux/arm/6"]
    assert {"name": "GOARM", "value": "6", "source": "environment",
            "effect": "applies to linux/arm/6"} in report["settings"]  # fmt: skip
    pi = hello.parent / "dist" / "hello_linux_arm_6"
    assert inspected(pi)["GOARM"] == "6"
    ran = run_on_arm1176(pi)
    assert (ran.returncode, ran.stdout) == (0, "hello from linux/arm\n"), ran.stderr

    # What gorig built before: Go's cross-compiling default GOARM=7, which the Zero cannot run.
    done = build(hello, "--targets", "linux/arm/7", GOARM="6")
    assert done.returncode == 0, done.stderr
    assert "GOARM=6 (environment): not to linux/arm/7, which name their own" in done.stdout
    seven = hello.parent / "dist" / "hello_linux_arm_7"
    assert inspected(seven)["GOARM"] == "7"
    assert run_on_arm1176(seven).returncode == ILLEGAL_INSTRUCTION


def test_without_targets_the_exported_goos_goarch_and_variant_are_the_target(hello):
    done = build(hello, "--json", GOOS="linux", GOARCH="amd64", GOAMD64="v3", GOARM="6")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [t["target"] for t in report["targets"]] == ["linux/amd64/v3"]
    effects = {s["name"]: (s["source"], s["effect"]) for s in report["settings"]}
    assert effects["GOARM"] == ("environment", "ignored with GOARCH=amd64")
    found = inspected(hello.parent / "dist" / "hello_linux_amd64_v3")
    assert (found["goos"], found["goarch"], found["GOAMD64"]) == ("linux", "amd64", "v3")


def test_go_env_w_values_count_like_exported_ones(hello, tmp_path):
    goenv = tmp_path / "go-env"
    goenv.write_text("GOARM=5\nCGO_ENABLED=0\n")
    done = build(hello, "--targets", "linux/arm", GOENV=str(goenv))
    assert done.returncode == 0, done.stderr
    assert f"setting: GOARM=5 (go env -w file {goenv}): applies to linux/arm/5" in done.stdout
    assert inspected(hello.parent / "dist" / "hello_linux_arm_5")["GOARM"] == "5"


def test_exported_goarch_contradicting_the_list_is_an_error(hello):
    done = build(hello, "--targets", "linux/amd64", GOARCH="arm64")
    assert done.returncode == 2
    assert done.stderr == (
        "gorig: error: GOARCH=arm64 (environment) contradicts --targets linux/amd64, which "
        "builds nothing for arm64; unset GOARCH or add a target for arm64\n"
    )
    assert not (hello.parent / "dist").exists()


def test_a_bad_exported_variant_is_refused_naming_where_it_came_from(hello):
    done = build(hello, "--targets", "linux/arm", GOARM="8")
    assert done.returncode == 1
    assert done.stderr.startswith("gorig: error: linux/arm/8: GOARM=8: invalid GOARM")
    assert done.stderr.endswith("; exported: GOARM=8 (environment)\n")
