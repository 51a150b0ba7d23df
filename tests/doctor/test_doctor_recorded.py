"""Recorded scenarios: facts of machines this one is not (Macs, a Linux box with an older
CPU), made of real Go binaries' headers, diagnosed here through ``gorig doctor --facts``."""

from __future__ import annotations

import json
from pathlib import Path

import make_facts
import pytest

from conftest import run_gorig

FACTS = Path(__file__).resolve().parent / "facts"

# file -> the check ids it must produce, and nothing else (info findings included).
EXPECTED = {
    "darwin-clean.json": set(),
    "darwin-translated-shell.json": {"host.translated"},
    "darwin-intel-go.json": {"go.arch"},
    "darwin-intel-brew-first.json": {"brew.intel-prefix"},
    "darwin-dlv-amd64.json": {"tools.arch"},
    "darwin-intel-brew-go.json": {"go.arch", "brew.intel-prefix"},
    "linux-cpu-v2-tool-v3.json": {"goamd64.level"},
}
HARDWARE = {"darwin": "arm64", "linux": "amd64"}  # by the file name's first word


def diagnose(name: str, *args: str) -> tuple[dict, int]:
    done = run_gorig("doctor", "--json", "--facts", FACTS / name, *args)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout), done.returncode


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_scenario(name: str):
    report, code = diagnose(name)
    assert {f["id"] for f in report["findings"]} == EXPECTED[name]
    severities = {f["severity"] for f in report["findings"]}
    assert code == (1 if "error" in severities else 0)
    assert report["facts_summary"]["hardware_arch"] == HARDWARE[name.split("-")[0]]


def test_clean_apple_silicon_runs_the_darwin_checks():
    report, _ = diagnose("darwin-clean.json")
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    for darwin_only in ("host.translated", "brew.intel-prefix", "xcode.clt"):
        assert statuses[darwin_only] == "ok"
    assert statuses["linux.binfmt"] == "skipped"


def test_translated_shell_names_rosetta_and_the_fix():
    report, _ = diagnose("darwin-translated-shell.json")
    [finding] = report["findings"]
    assert "Rosetta" in finding["title"]
    assert finding["fix"].startswith("arch -arm64 ")


def test_intel_go_is_read_from_a_real_x86_64_header():
    facts = json.loads((FACTS / "darwin-intel-go.json").read_text())
    [go] = facts["gos"]
    assert (go["format"], go["goos"], go["archs"]) == ("macho", "darwin", ["amd64"])


@pytest.mark.parametrize(
    ("name", "fix"),
    [
        ("darwin-intel-brew-go.json", "arch -x86_64 /usr/local/bin/brew uninstall go"),
        ("darwin-intel-go.json", "sudo rm -rf /usr/local/go /etc/paths.d/go"),
    ],
)
def test_a_foreign_go_is_removed_the_way_it_was_installed(name: str, fix: str):
    report, _ = diagnose(name)
    [finding] = [f for f in report["findings"] if f["id"] == "go.arch"]
    assert finding["fix"].startswith(fix + "   # ")
    assert finding["fix"].endswith("gorig install")


def test_a_tool_built_for_a_higher_x86_64_level_than_the_cpu():
    report, code = diagnose("linux-cpu-v2-tool-v3.json")
    [finding] = report["findings"]
    assert finding["title"] == "~/go/bin/fzf needs amd64 v3; this machine runs v2"
    assert finding["fix"] == "GOAMD64=v2 go install example.com/fzf@latest"
    assert code == 0  # a warning


@pytest.mark.toolchain
def test_regenerating_the_facts_files_changes_nothing(tmp_path: Path):
    for written in make_facts.write(tmp_path):
        assert written.read_text() == (FACTS / written.name).read_text(), written.name
    assert sorted(p.name for p in FACTS.glob("*.json")) == sorted(EXPECTED)


def test_the_documented_example_is_a_recorded_file():
    docs = Path(__file__).resolve().parents[2] / "docs" / "doctor.md"
    example = docs.read_text().split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(example) == json.loads((FACTS / "darwin-dlv-amd64.json").read_text())
    report, _ = diagnose("darwin-dlv-amd64.json")
    assert [f["fix"] for f in report["findings"]] == [
        "go install <dlv's package>@latest   # with a native go"
    ]
