"""The doctor's command line: check listing, selection, text marks, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_gorig

FACTS = Path(__file__).resolve().parent / "facts"

# The ids under "Checks the doctor should run" in the doctor catalogue, in its order, then
# editor.arch (issue 17: VS Code and GoLand as Apple Silicon builds).
CATALOGUE_IDS = [
    "host.translated",
    "go.arch",
    "path.go-shadowed",
    "brew.intel-prefix",
    "env.overrides",
    "cgo.compiler",
    "tools.arch",
    "modules.sumdb-off",
    "modules.proxy",
    "docker.platform",
    "toolchain.directive",
    "goroot.mismatch",
    "env.goarm-ignored",
    "goamd64.level",
    "linux.userland",
    "linux.binfmt",
    "gobin.path",
    "cc.override",
    "xcode.clt",
    "dns.resolver",
    "editor.arch",
]


def test_list_checks_names_exactly_the_catalogue_ids():
    done = run_gorig("doctor", "--list-checks", "--json")
    assert done.returncode == 0
    listed = json.loads(done.stdout)
    assert [c["id"] for c in listed] == CATALOGUE_IDS
    assert {c["severity"] for c in listed} == {"error", "warning", "info"}
    text = run_gorig("doctor", "--list-checks")
    assert [line.split()[0] for line in text.stdout.splitlines()] == CATALOGUE_IDS


def test_check_selects_only_the_named_checks():
    done = run_gorig(
        "doctor",
        "--json",
        "--facts",
        FACTS / "darwin-intel-go.json",
        "--check",
        "go.arch",
        "tools.arch",
    )
    report = json.loads(done.stdout)
    assert [c["id"] for c in report["checks"]] == ["go.arch", "tools.arch"]
    assert done.returncode == 1
    other = run_gorig(
        "doctor", "--json", "--facts", FACTS / "darwin-intel-go.json", "--check", "tools.arch"
    )
    assert json.loads(other.stdout)["findings"] == [] and other.returncode == 0


def test_text_output_has_marks_fix_and_summary():
    done = run_gorig("doctor", "--facts", FACTS / "darwin-intel-go.json")
    lines = done.stdout.splitlines()
    failing = [line for line in lines if line.startswith("✗ go.arch")]
    assert len(failing) == 1
    assert any(line.strip().startswith("fix: sudo rm -rf /usr/local/go ") for line in lines)
    assert any(line.startswith("✓ host.translated") for line in lines)
    assert lines[-1] == "Doctor found 1 error in 19 checks."
    assert "\033[" not in done.stdout  # no colour on a pipe


def test_clean_facts_say_ready():
    done = run_gorig("doctor", "--facts", FACTS / "darwin-clean.json")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1].startswith("No problems found")


def test_warnings_exit_zero_unless_strict():
    args = ("doctor", "--facts", FACTS / "darwin-intel-brew-first.json")
    assert run_gorig(*args).returncode == 0
    assert run_gorig(*args, "--strict").returncode == 1


def _assert_one_line_error(done, code: int, *words: str):
    assert done.returncode == code
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("gorig: error: ") and done.stderr.count("\n") == 1
    for word in words:
        assert word in done.stderr


def test_unknown_check_is_a_usage_error():
    done = run_gorig("doctor", "--check", "go.nonsense")
    _assert_one_line_error(done, 2, "go.nonsense", "--list-checks")


def test_bad_facts_files(tmp_path: Path):
    not_json = tmp_path / "notes.txt"
    not_json.write_text("hello\n")
    _assert_one_line_error(run_gorig("doctor", "--facts", not_json), 2, "not JSON")
    other = tmp_path / "other.json"
    other.write_text('{"name": "x"}')
    _assert_one_line_error(run_gorig("doctor", "--facts", other), 2, "not a gorig facts file")
    future = tmp_path / "future.json"
    future.write_text(
        json.dumps({**json.loads((FACTS / "darwin-clean.json").read_text()), "schema": 99})
    )
    _assert_one_line_error(run_gorig("doctor", "--facts", future), 2, "schema 99")
    _assert_one_line_error(
        run_gorig("doctor", "--facts", tmp_path / "missing.json"), 2, "cannot read"
    )


def test_unknown_option_is_a_usage_error():
    _assert_one_line_error(run_gorig("doctor", "--bogus"), 2, "--bogus")
