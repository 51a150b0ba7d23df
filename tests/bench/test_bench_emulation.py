"""How foreign binaries are run: recorded darwin facts (Rosetta), Linux binfmt and qemu-user."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from gorig.bench import make_plans, make_settings
from gorig.bench.emulation import (
    BINFMT_ENV,
    INSTALL_ROSETTA,
    Emulators,
    default_against,
    find_emulators,
    run_plan,
)
from gorig.errors import GorigError
from gorig.host import HostFacts

HERE = Path(__file__).parent
MAC = HostFacts.from_dict(json.loads((HERE / "darwin-arm64-facts.json").read_text()))
INTEL_MAC = HostFacts("darwin", "x86_64", 64, {"hw.ncpu": "4"})
LINUX_AMD64 = HostFacts("linux", "x86_64", 64, env={"PATH": "/usr/bin"})
LINUX_ARM64 = HostFacts("linux", "aarch64", 64, env={"PATH": "/usr/bin"})


def test_apple_silicon_runs_amd64_through_rosetta():
    plans = make_plans(MAC, default_against(MAC), Emulators(rosetta=True))
    binary = Path("/private/tmp/gorig-bench-x/sha256-darwin-amd64")
    assert plans.foreign.command(binary, "-scale", "5") == [
        "arch",
        "-x86_64",
        str(binary),
        "-scale",
        "5",
    ]
    assert plans.foreign.via == "rosetta"
    assert plans.native.command(Path("/b/sha256-darwin-arm64")) == ["/b/sha256-darwin-arm64"]


def test_a_translated_shell_still_runs_the_native_side_as_arm64():
    translated = HostFacts.from_dict(
        {
            **MAC.to_dict(),
            "kernel_arch": "x86_64",
            "sysctl": {**MAC.sysctl, "sysctl.proc_translated": "1"},
        }
    )
    plans = make_plans(translated, "amd64", Emulators(rosetta=True))
    assert plans.native.goarch == "arm64"
    assert plans.native.command(Path("/b/gc")) == ["arch", "-arm64", "/b/gc"]
    assert plans.foreign.command(Path("/b/gc-amd64")) == ["arch", "-x86_64", "/b/gc-amd64"]


def test_missing_rosetta_says_how_to_install_it():
    # The Rosetta runtime file does not exist on this Linux machine, as on a fresh Mac.
    emulators = find_emulators(MAC)
    assert emulators == Emulators(rosetta=False)
    with pytest.raises(GorigError) as caught:
        run_plan(MAC, "amd64", emulators)
    assert INSTALL_ROSETTA in str(caught.value)
    assert "\n" not in str(caught.value)


def test_macs_run_nothing_else():
    with pytest.raises(GorigError, match="Apple Silicon"):
        run_plan(INTEL_MAC, "arm64", Emulators(rosetta=True))
    with pytest.raises(GorigError, match="cannot run riscv64"):
        run_plan(MAC, "riscv64", Emulators(rosetta=True))


@pytest.mark.parametrize(
    ("facts", "expected"),
    [(MAC, "amd64"), (INTEL_MAC, "arm64"), (LINUX_AMD64, "arm64"), (LINUX_ARM64, "amd64")],
)
def test_default_against_is_the_other_half_of_the_pair(facts, expected):
    assert default_against(facts) == expected


def test_default_against_needs_a_known_pair():
    with pytest.raises(GorigError, match="--against"):
        default_against(HostFacts("linux", "ppc64le", 64))


def test_linux_prefers_a_binfmt_handler_then_qemu_on_path():
    both = Emulators(
        binfmt=frozenset({"qemu-aarch64"}), on_path={"qemu-aarch64": "/usr/bin/qemu-aarch64"}
    )
    plan = run_plan(LINUX_AMD64, "arm64", both)
    assert (plan.prefix, plan.via) == ((), "binfmt qemu-aarch64")
    direct = run_plan(LINUX_AMD64, "arm64", replace(both, binfmt=frozenset()))
    assert direct.command(Path("/b/json"), "-scale", "1") == [
        "/usr/bin/qemu-aarch64",
        "/b/json",
        "-scale",
        "1",
    ]
    static = Emulators(on_path={"qemu-x86_64-static": "/opt/q/qemu-x86_64-static"})
    assert run_plan(LINUX_ARM64, "amd64", static).prefix == ("/opt/q/qemu-x86_64-static",)


def test_32_bit_x86_runs_natively_on_amd64():
    assert run_plan(LINUX_AMD64, "386", Emulators()).prefix == ()


def test_no_emulator_is_one_line_naming_the_package():
    with pytest.raises(GorigError) as caught:
        run_plan(LINUX_AMD64, "arm64", Emulators(on_path={"qemu-riscv64": "/usr/bin/x"}))
    message = str(caught.value)
    assert "qemu-user" in message and "qemu-aarch64" in message and "\n" not in message


@pytest.mark.qemu
def test_find_emulators_reads_binfmt_misc_and_path(tmp_path):
    binfmt = tmp_path / "binfmt_misc"
    binfmt.mkdir()
    (binfmt / "status").write_text("enabled\n")
    (binfmt / "qemu-aarch64").write_text("enabled\ninterpreter /usr/bin/qemu-aarch64-static\n")
    (binfmt / "qemu-riscv64").write_text("disabled\ninterpreter /usr/bin/qemu-riscv64\n")
    (binfmt / "python3.11").write_text("enabled\n")
    qemu = shutil.which("qemu-aarch64")
    assert qemu, "qemu-user is not installed (scripts/test installs it)"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "qemu-aarch64").symlink_to(qemu)
    facts = HostFacts("linux", "x86_64", 64, env={"PATH": str(bin_dir), BINFMT_ENV: str(binfmt)})
    found = find_emulators(facts)
    assert found.binfmt == frozenset({"qemu-aarch64"})
    assert found.on_path == {"qemu-aarch64": str(bin_dir / "qemu-aarch64")}
    (binfmt / "status").write_text("disabled\n")
    assert find_emulators(facts).binfmt == frozenset()


def test_settings_reject_bad_choices():
    with pytest.raises(GorigError, match="own architecture"):
        make_settings(LINUX_AMD64, None, "amd64", 5, 1)
    with pytest.raises(GorigError, match="unknown workload 'nope'"):
        make_settings(LINUX_AMD64, ["gc", "nope"], "arm64", 5, 1)
    with pytest.raises(GorigError, match="not a Go architecture; use one of amd64, 386, arm64"):
        make_settings(LINUX_AMD64, None, "aarch64", 5, 1)
    with pytest.raises(GorigError, match="at least 1"):
        make_settings(LINUX_AMD64, None, "arm64", 0, 1)
    assert make_settings(LINUX_AMD64, ["gc", "json", "gc"], "arm64", 3, 2).workloads == (
        "gc",
        "json",
    )
