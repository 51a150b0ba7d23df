"""The output contract on every command (docs/cli.md): with --json, errors are JSON on
standard output and nothing else is printed; exit codes 0 / 1 / 2; one error prefix.

Each command is run twice as a user would: with a bad argument (a usage error, exit 2) and
with an operation that fails (exit 1, or 2 for bad input such as a bad facts file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_gorig
from gorig.cli import COMMANDS

# command -> argv after `gorig` that fails at run time, with --json; the exit it must give.
# DIR is a temporary directory, HOME a file standing where gorig's home must be.
FAILING: dict[str, tuple[list[str], int, str]] = {
    "inspect": (["inspect", "--json", "DIR/missing"], 1, "failed"),
    "install": (["install", "--json", "--source", "file:DIR/missing.tar.gz"], 1, "failed"),
    "use": (["use", "--json", "9.99"], 1, "failed"),
    "list": (["list", "--json", "--remote"], 1, "failed"),  # the index: a closed loopback port
    "uninstall": (["uninstall", "--json", "9.99"], 1, "failed"),
    "prune": (["prune", "--json"], 1, "failed"),  # gorig's home is a file
    "which": (["which", "--json"], 1, "failed"),  # nothing installed
    "verify": (["verify", "--json", "DIR/missing.tar.gz"], 1, "failed"),
    "mirror": (["mirror", "verify", "--json", "DIR"], 1, "failed"),  # DIR has no index.json
    "doctor": (["doctor", "--json", "--facts", "DIR/missing.json"], 2, "input"),
    "targets": (["targets", "--json", "--go", "banana"], 2, "input"),
    "build": (["build", "--json", "--targets", "linux/amd64", "DIR"], 1, "failed"),  # no go
    "shell": (["shell", "init", "--json", "tcsh"], 1, "failed"),
    "proxy": (["proxy", "--json"], 1, "failed"),  # no go on PATH
    "ide": (["ide", "vscode", "--json", "DIR/missing"], 1, "failed"),
    "dockerfile": (["dockerfile", "--json", "DIR"], 1, "failed"),  # no go.mod
    "bench": (["bench", "--json", "--plot", "DIR/chart.txt"], 2, "input"),
    "completion": (["completion", "--json", "tcsh"], 2, "usage"),
}
# exec prints what its command prints: it has no --json, only the one-line errors.
WITHOUT_JSON = {"exec"}
# home prints where gorig keeps its files and reads none of them: nothing in it can fail.
CANNOT_FAIL = {"home"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No go on PATH, a gorig home that is a file, the release index on a closed port."""
    (tmp_path / "home-file").write_text("not a directory\n")
    return {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "GORIG_HOME": str(tmp_path / "home-file"),
        "GORIG_INDEX_URL": "http://127.0.0.1:9/",
        "GORIG_HTTP_RETRIES": "0",
    }


def _error(done) -> dict[str, object]:
    """The error object of a --json run, checked against the contract's shape."""
    assert done.stderr == "", done.stderr
    document = json.loads(done.stdout)
    error = document["error"] if isinstance(document, dict) else document[0]["error"]
    assert set(error) == {"message", "kind", "hint"}
    assert isinstance(error["message"], str) and error["message"]
    assert error["kind"] in {"usage", "input", "failed"}
    return error


def test_every_command_is_covered():
    assert set(COMMANDS) == set(FAILING) | WITHOUT_JSON | CANNOT_FAIL


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - WITHOUT_JSON))
def test_a_bad_argument_is_a_json_usage_error(command, env, tmp_path):
    done = run_gorig(command, "--json", "--no-such-option", env=env, cwd=tmp_path)
    assert done.returncode == 2
    error = _error(done)
    assert error["kind"] == "usage" and str(error["message"]).startswith(f"{command}: ")
    assert error["hint"] == f"run 'gorig {command} --help'"


@pytest.mark.parametrize("command", sorted(FAILING))
def test_a_failed_operation_is_a_json_error(command, env, tmp_path):
    argv, code, kind = FAILING[command]
    done = run_gorig(*(a.replace("DIR", str(tmp_path)) for a in argv), env=env, cwd=tmp_path)
    assert done.returncode == code, done.stdout
    assert _error(done)["kind"] == kind


def test_which_json_keeps_the_resolution_beside_the_error(env, tmp_path):
    done = run_gorig("which", "--json", env={**env, "GORIG_HOME": str(tmp_path / "gh")})
    assert done.returncode == 1
    document = json.loads(done.stdout)
    assert document["go"] is None and document["source"] == "default"
    assert "no default toolchain" in document["error"]["message"]


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["exec"], 2), (["exec", "9.99", "--", "go", "version"], 1), (["frobnicate"], 2)],
)
def test_without_json_an_error_is_one_prefixed_line(argv, code, env, tmp_path):
    done = run_gorig(*argv, env={**env, "GORIG_HOME": str(tmp_path / "gh")})
    assert (done.returncode, done.stdout) == (code, "")
    assert done.stderr.startswith("gorig: error: ") and done.stderr.count("\n") == 1


def test_an_unknown_command_with_json_is_a_json_error(env):
    done = run_gorig("frobnicate", "--json", env=env)
    assert done.returncode == 2
    assert "unknown command 'frobnicate'" in str(_error(done)["message"])


def test_colour_only_on_a_terminal_and_never_with_no_color(env, tmp_path):
    """The error prefix is red on a terminal, plain on a pipe and with NO_COLOR."""
    import sys

    from support.terminal import run_in_terminal

    def on_terminal(extra: dict[str, str]) -> str:
        argv = [sys.executable, "-m", "gorig", "use", "9.99"]
        child_env = {**env, "GORIG_HOME": str(tmp_path / "gh"), **extra}
        return run_in_terminal(argv, child_env)[1]

    assert "\033[1;31mgorig: error: \033[0m" in on_terminal({})
    plain = on_terminal({"NO_COLOR": "1"})
    assert "gorig: error: Go 9.99 is not installed" in plain and "\033[" not in plain
    piped = run_gorig("use", "9.99", env={**env, "GORIG_HOME": str(tmp_path / "gh")})
    assert piped.stderr.startswith("gorig: error: ") and "\033[" not in piped.stderr
