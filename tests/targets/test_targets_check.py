"""``gorig targets check``: verdicts and wording, compared with what real Go toolchains say."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_gorig
from gorig.targets import parse_target
from gorig.targets.check import check_env, check_target
from gorig.targets.ports import shipped_ports
from gorig.versions import parse_version
from support import gobin

# cmd/go checks sub-variables as it starts (``go env`` is enough), but only 1.21 and 1.22
# check GOAMD64 and GOARM: from 1.23 the GOARM64 parse resets internal/buildcfg's one
# error variable, so a bad GOAMD64 or GOARM passes silently (gorig still refuses them).
VALIDATING_GO = "1.23.9"
ORACLE = {"GOARM": gobin.GO_1_22, "GOAMD64": gobin.GO_1_22, "GOPPC64": gobin.GO_1_22,
          "GOARM64": VALIDATING_GO, "GORISCV64": VALIDATING_GO}  # fmt: skip


def go_says(version: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    full.update(env, GOTOOLCHAIN="local", GOFLAGS="", GOCACHE=str(gobin.GOCACHE))
    return subprocess.run(
        [gobin.go_binary(version), *args], capture_output=True, text=True, env=full, check=False
    )


def gorig_check(target: str, go: str, *extra: str, env=None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    base["PATH"] = "/usr/bin:/bin"
    base.update(env or {})
    return run_gorig("targets", "check", target, "--go", go, *extra, env=base)


BAD = [
    ("linux/arm/8", "1.27", "invalid GOARM: must start with 5, 6, or 7, and may optionally end"),
    ("darwin/386", "1.22", "darwin/386 was removed after Go 1.14"),
    ("plan9/arm64", "1.27", "unsupported GOOS/GOARCH pair plan9/arm64"),
    ("linux/amd64/v5", "1.27", "invalid GOAMD64: must be v1, v2, v3, v4"),
    ("windows/arm", "1.27", "windows/arm was removed after Go 1.25"),
]


@pytest.mark.parametrize(("target", "go", "text"), BAD)
def test_bad_targets_are_refused_with_one_clear_explanation(target, go, text):
    done = gorig_check(target, go)
    assert done.returncode == 1
    assert f"{target}: invalid for Go {go}" in done.stdout
    errors = [line for line in done.stdout.splitlines() if line.strip().startswith("error:")]
    assert len(errors) == 1 and text in errors[0]
    assert "Traceback" not in done.stderr


@pytest.mark.toolchain
def test_go_itself_refuses_the_pairs_gorig_refuses():
    for port in ("plan9/arm64", "windows/arm"):
        goos, goarch = port.split("/")
        done = go_says(gobin.GO_1_27, {"GOOS": goos, "GOARCH": goarch}, "build", "std")
        assert f"unsupported GOOS/GOARCH pair {port}" in done.stderr


@pytest.mark.toolchain
@pytest.mark.parametrize(
    ("version", "var", "goarch", "value"),
    [
        (gobin.GO_1_21, "GOARM", "arm", "8"),
        (gobin.GO_1_22, "GOARM", "arm", "8"),
        (gobin.GO_1_22, "GOAMD64", "amd64", "v5"),
        (VALIDATING_GO, "GOARM64", "arm64", "v9.6"),
        (VALIDATING_GO, "GORISCV64", "riscv64", "rva23u64"),
        (VALIDATING_GO, "GOPPC64", "ppc64le", "power11"),
        (VALIDATING_GO, "GOMIPS", "mips", "fast"),
    ],
)
def test_invalid_values_carry_gos_own_wording(version, var, goarch, value):
    go = go_says(version, {"GOARCH": goarch, var: value}, "env", var)
    assert go.returncode != 0
    go_error = go.stderr.strip().removeprefix("go: ")
    verdict = check_target(
        parse_target(f"linux/{goarch}/{value}"),
        parse_version(version),
        shipped_ports(parse_version(version)),
    )
    assert verdict.errors == [f"{var}={value}: {go_error}"]


@pytest.mark.toolchain
def test_newer_go_accepts_bad_values_that_gorig_still_refuses():
    """The reason gorig validates before building: Go 1.23+ lets GOARM=8 through."""
    go = go_says(gobin.GO_1_27, {"GOARCH": "arm", "GOARM": "8"}, "env", "GOARM")
    assert go.returncode == 0 and go.stdout.strip() == "8"
    assert gorig_check("linux/arm/8", "1.27").returncode == 1


VARIANTS = {
    "GOARM": ("arm", st.sampled_from(["5", "6", "7", "8", "4", "7,softfloat", "6,hardfloat",
                                      "7,softfloat,hardfloat", "v7", "5,"])),
    "GOARM64": ("arm64", st.builds(
        lambda base, suffixes: base + "".join(suffixes),
        st.sampled_from(["v8.0", "v8.5", "v8.9", "v9.0", "v9.5", "v9.6", "v10.0", "v8"]),
        st.lists(st.sampled_from([",lse", ",crypto", ",sve"]), max_size=3),
    )),
    "GOAMD64": ("amd64", st.sampled_from(["v1", "v2", "v3", "v4", "v5", "v0", "V3"])),
    "GORISCV64": ("riscv64", st.sampled_from(["rva20u64", "rva22u64", "rva23u64", "rv64"])),
    "GOPPC64": ("ppc64le", st.sampled_from(["power8", "power9", "power10", "power7"])),
}  # fmt: skip


@pytest.mark.toolchain
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_sub_variable_verdicts_agree_with_a_validating_go(data):
    var = data.draw(st.sampled_from(sorted(VARIANTS)))
    goarch, values = VARIANTS[var]
    value = data.draw(values)
    go = go_says(ORACLE[var], {"GOARCH": goarch, var: value}, "env", var)
    version = parse_version(ORACLE[var])
    verdict = check_target(Target_of(goarch, value), version, shipped_ports(version))
    assert verdict.ok == (go.returncode == 0), (var, value, go.stderr)


def Target_of(goarch: str, value: str):
    return parse_target(f"linux/{goarch}/{value}")


def test_sub_variable_that_did_not_exist_yet_names_the_version_that_added_it():
    verdict = gorig_check("linux/arm64/v8.2,lse", "1.22")
    assert verdict.returncode == 1
    assert "GOARM64 does not exist in Go 1.22 (Go 1.23 added it)" in verdict.stdout
    assert gorig_check("linux/arm64/v8.2,lse", "1.23").returncode == 0
    older = gorig_check("linux/amd64/v3", "1.17")
    assert "GOAMD64 does not exist in Go 1.17 (Go 1.18 added it)" in older.stdout


def test_ports_newer_than_the_version_name_the_version_that_added_them():
    done = gorig_check("windows/arm64", "1.16")
    assert done.returncode == 1
    assert "windows/arm64 does not exist in Go 1.16: it was added in Go 1.17" in done.stdout


@pytest.mark.toolchain
def test_external_linking_ports_with_gos_wording(tmp_path):
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    for port in ("ios/arm64", "ios/amd64", "android/arm"):
        goos, goarch = port.split("/")
        env = {"GOOS": goos, "GOARCH": goarch, "CGO_ENABLED": "0"}
        out = str(tmp_path / "out")
        go = go_says(gobin.GO_1_27, env, "build", "-o", out, str(tmp_path / "main.go"))
        assert go.returncode != 0
        go_error = go.stderr.strip().splitlines()[-1]
        assert "requires external (cgo) linking, but cgo is not enabled" in go_error
        done = gorig_check(port, "1.27")
        assert done.returncode == 1
        assert f"error: {go_error}: {port} cannot build with CGO_ENABLED=0" in done.stdout
    assert gorig_check("android/arm64", "1.27").returncode == 0


def test_universal_is_valid_and_explained_as_json():
    done = gorig_check("darwin/universal", "1.27", "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 0 and data["ok"]
    assert any("darwin/amd64 + darwin/arm64" in f["message"] for f in data["findings"])


def test_broken_ports_warn_and_cgo_only_where_supported():
    version = parse_version("1.26")
    ports = shipped_ports(version)
    broken = check_target(parse_target("freebsd/riscv64"), version, ports)
    assert broken.ok and any(f.level == "warning" for f in broken.findings)
    cgo = check_target(parse_target("js/wasm"), version, ports, cgo=True)
    assert cgo.errors == ["js/wasm does not support cgo; build it without --cgo"]


def test_env_check_reports_ignored_variables():
    version = parse_version(gobin.GO_1_27)
    env = {"GOARCH": "arm64", "GOARM": "7", "GOAMD64": "v3"}
    verdict = check_env(env, version, shipped_ports(version), host=("linux", "amd64"))
    messages = [f.message for f in verdict.findings if f.level == "warning"]
    assert "GOARM is ignored with GOARCH=arm64 (it applies to arm)" in messages
    assert "GOAMD64 is ignored with GOARCH=arm64 (it applies to amd64)" in messages
    assert verdict.ok


def test_cli_env_check_reads_the_real_environment():
    base = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    base.update(PATH="/usr/bin:/bin", GOOS="linux", GOARCH="arm", GOARM="9")
    done = run_gorig("targets", "check", "--env", "--go", "1.27", env=base)
    assert done.returncode == 1
    assert "GOARM=9: invalid GOARM" in done.stdout


def test_cli_check_needs_a_target_or_env():
    done = run_gorig("targets", "check", "--go", "1.27")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "gorig: error: targets check: name a TARGET (like linux/arm/7) or pass --env"
    )


@pytest.mark.parametrize("text", ["linux", "linux/amd64/v3/x", "LINUX/amd64", "linux/riscv/x"])
def test_malformed_targets_get_one_line(text):
    done = gorig_check(text, "1.27")
    assert done.returncode == 1
    assert done.stderr.startswith("gorig: error: ") and done.stderr.count("\n") == 1


@pytest.mark.toolchain
def test_gowasm_is_ignored_from_1_26_and_only_mentioned_when_set():
    version = parse_version("1.26")
    ports = shipped_ports(version)
    assert check_target(parse_target("js/wasm"), version, ports).findings == []
    (finding,) = check_target(parse_target("js/wasm/satconv"), version, ports).findings
    assert finding.message == "GOWASM is ignored from Go 1.26 on"
    env = {"GOOS": "js", "GOARCH": "wasm", "GOWASM": "satconv,nope"}
    go = go_says(gobin.GO_1_22, env, "env", "GOWASM")
    old = parse_version(gobin.GO_1_22)
    verdict = check_target(parse_target("js/wasm/satconv,nope"), old, shipped_ports(old))
    assert verdict.errors == [f"GOWASM=satconv,nope: {go.stderr.strip().removeprefix('go: ')}"]
