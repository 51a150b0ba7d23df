"""The Go tools VS Code runs (Delve's ``dlv``, ``gopls``): present in GOBIN, native, recent.

A ``dlv`` for another architecture runs under Rosetta or qemu (or not at all) and cannot
debug a native program; one built by an older Go than the project's cannot read its binaries,
and an old ``gopls`` cannot read newer code. Each tool is read with gorig's own binary
readers (never run); a tool that is missing or wrong gets the ``go install ...@latest``
line to run with the project's native go.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gorig.binfmt import BinfmtError, NotExecutable, read_executable
from gorig.errors import GorigError
from gorig.host.goenv import GoSettingLayers, lookup
from gorig.i18n import _
from gorig.versions import GoVersion, parse_version

# The tools the Go extension needs for debugging and editing, and where each is installed from.
TOOLS: dict[str, str] = {
    "dlv": "github.com/go-delve/delve/cmd/dlv",
    "gopls": "golang.org/x/tools/gopls",
}


@dataclass(frozen=True)
class ToolCheck:
    """One tool: where it should be, and what is wrong with it (None: nothing)."""

    name: str
    path: str
    problem: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "path": self.path, "problem": self.problem}


def gobin_dir(layers: GoSettingLayers, home: str) -> str:
    """Where ``go install`` puts tools: ``GOBIN``, else the first GOPATH entry's ``bin``,
    else ``~/go/bin`` (Go's default GOPATH), each as Go reads it (environment, go env -w)."""
    gobin = lookup(layers, "GOBIN").value
    if gobin:
        return gobin
    gopath = lookup(layers, "GOPATH").value.split(":")[0] or posixpath.join(home, "go")
    return posixpath.join(gopath, "bin")


def check_tool(path: Path, native: tuple[str, str], go: GoVersion) -> str | None:
    """What is wrong with the tool at ``path`` for a project on ``go``, or None."""
    if not path.exists():
        return _("{tool} is not installed in {directory}").format(
            tool=path.name, directory=path.parent
        )
    try:
        exe = read_executable(path)
    except (NotExecutable, BinfmtError) as error:
        return _("{path} is not a program gorig can read ({error})").format(path=path, error=error)
    pieces = exe.slices or [exe]
    platforms = [f"{exe.goos}/{piece.goarch}" for piece in pieces]
    if "/".join(native) not in platforms:
        return _("{path} is built for {platforms}, not this machine's {native}").format(
            path=path, platforms=", ".join(platforms), native="/".join(native)
        )
    info = exe.go or next((piece.go for piece in pieces if piece.go), None)
    if info is None:
        return _("{path} has no Go build information: reinstall it with go install").format(
            path=path
        )
    try:
        built_by = parse_version(info.go_version.split()[0].split("-")[0])
    except GorigError:
        return None  # a development Go: nothing to compare
    if built_by.series < go.series:
        return _(
            "{path} was built by {built_by}, older than the project's Go {go}; it may not read "
            "the project's code or binaries"
        ).format(path=path, built_by=info.go_version, go=f"{go.major}.{go.minor}")
    return None


def check_tools(gobin: str, native: tuple[str, str], go: GoVersion) -> list[ToolCheck]:
    """Every tool of :data:`TOOLS` in ``gobin``."""
    return [
        ToolCheck(name, posixpath.join(gobin, name), check_tool(Path(gobin) / name, native, go))
        for name in TOOLS
    ]


def install_commands(go: Path, checks: list[ToolCheck]) -> list[list[str]]:
    """``go install MODULE@latest`` with the project's native go for each tool with a
    problem (``GOTOOLCHAIN=local`` keeps that go from switching to another)."""
    return [[str(go), "install", f"{TOOLS[one.name]}@latest"] for one in checks if one.problem]


def install_tools(commands: list[list[str]], env: Mapping[str, str]) -> list[str]:
    """Run the ``go install`` commands; the errors, one line each (empty: all installed)."""
    errors = []
    for command in commands:
        try:
            done = subprocess.run(
                command, env={**env, "GOTOOLCHAIN": "local"}, capture_output=True, text=True,
                timeout=900, check=False,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as error:
            errors.append(f"{' '.join(command[1:])}: {error}")
            continue
        if done.returncode != 0:
            lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
            errors.append(f"{' '.join(command[1:])}: {lines[-1]}")
    return errors
