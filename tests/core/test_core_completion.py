"""`gorig completion bash|zsh|fish`: each script sourced by the real shell, which then
completes commands, sub-commands, options, choices and file names as a user's TAB would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_gorig
from gorig.cli import COMMANDS


def _script(shell: str, tmp_path: Path) -> Path:
    done = run_gorig("completion", shell)
    assert done.returncode == 0, done.stderr
    path = tmp_path / f"gorig.{shell}"
    path.write_text(done.stdout)
    return path


def _shell(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (scripts/test installs it)")
    return found


def _bash(script: Path, words: list[str], cwd: Path) -> list[str]:
    """COMPREPLY after bash's completion function ran on ``words`` (the last being typed)."""
    quoted = " ".join("'" + word.replace("'", "'\\''") + "'" for word in words)
    program = (
        f"source '{script}'\n"
        f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}\n"
        "complete -p gorig >/dev/null || exit 3\n"
        '_gorig; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run([_shell("bash"), "--norc", "--noprofile", "-c", program], cwd=cwd,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.split()


def _zsh(script: Path, lines: list[list[str]], cwd: Path) -> list[list[str]]:
    """What zsh's completion function offered for each command line (compadd's words, or
    FILES for _files), in one zsh: compinit scans every completion function zsh has."""
    program = [
        "autoload -Uz compinit && compinit -u -D",
        f"source '{script}'",
        "[[ $_comps[gorig] == _gorig ]] || exit 3",
        'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }',
        "_files() { print FILES; }",
    ]
    for words in lines:
        array = " ".join("'" + word.replace("'", "'\\''") + "'" for word in words)
        program += [f"words=({array}); CURRENT={len(words)}", "_gorig", "print -- ---"]
    done = subprocess.run([_shell("zsh"), "-f", "-c", "\n".join(program)], cwd=cwd,
                          capture_output=True, text=True, check=True)  # fmt: skip
    offered = done.stdout.split("---\n")
    assert len(offered) == len(lines) + 1 and offered[-1] == "", done.stdout
    return [part.split() for part in offered[:-1]]


def _fish(script: Path, line: str, cwd: Path) -> list[str]:
    """The first column of `complete -C LINE` in fish after sourcing the script."""
    program = f"source '{script}'; complete -C '{line}'"
    done = subprocess.run([_shell("fish"), "--no-config", "-c", program], cwd=cwd,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return [row.split("\t")[0] for row in done.stdout.splitlines()]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "facts-saved.json").write_text("{}")
    return tmp_path / "work"


def test_bash_completes_commands_subcommands_options_and_files(tmp_path, project):
    script = _script("bash", tmp_path)
    assert set(_bash(script, ["gorig", ""], project)) == set(COMMANDS)
    assert _bash(script, ["gorig", "tar"], project) == ["targets"]
    assert _bash(script, ["gorig", "targets", ""], project) == ["check"]
    assert "--env" in _bash(script, ["gorig", "targets", "check", "--"], project)
    assert _bash(script, ["gorig", "completion", ""], project) == ["bash", "zsh", "fish"]
    assert _bash(script, ["gorig", "doctor", "--facts", "facts-"], project) == ["facts-saved.json"]
    assert _bash(script, ["gorig", "doctor", "--json", "--li"], project) == ["--list-checks"]


def test_zsh_completes_through_compdef(tmp_path, project):
    script = _script("zsh", tmp_path)
    lines = [["gorig", ""], ["gorig", "proxy", ""], ["gorig", "shell", "setup", "--"],
             ["gorig", "inspect", ""]]  # fmt: skip
    commands, proxy, setup, inspect = _zsh(script, lines, project)
    assert set(commands) == set(COMMANDS)
    assert proxy == ["show", "set"]
    assert "--remove" in setup
    assert inspect == ["FILES"]


def test_fish_completes_with_descriptions(tmp_path, project):
    script = _script("fish", tmp_path)
    assert set(_fish(script, "gorig ", project)) == set(COMMANDS)
    assert _fish(script, "gorig ide ", project) == ["goland", "vscode"]
    assert "--dry-run" in _fish(script, "gorig prune --", project)
    assert _fish(script, "gorig targets check --", project) == ["--cgo", "--env", "--go",
                                                               "--help", "--json"]  # fmt: skip
    assert _fish(script, "gorig completion ", project) == ["bash", "fish", "zsh"]
    assert _fish(script, "gorig verify facts-", project) == ["facts-saved.json"]
