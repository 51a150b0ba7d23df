"""VS Code for a Go project: the toolchain gorig resolves there, gopls, Delve configurations.

``settings.json`` and ``launch.json`` are the user's: they are merged through
:mod:`gorig.configure.jsonc`, so comments, trailing commas and other keys stay. Keys that say
which toolchain to use are gorig's and are updated; suggestions (gopls, format on save) are
only added when the user has no value of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gorig.binfmt import BinfmtError, read_executable
from gorig.configure import jsonc, managed
from gorig.configure.project import main_packages
from gorig.configure.tools import ToolCheck, check_tools, gobin_dir
from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.host.goenv import read_layers
from gorig.i18n import _
from gorig.toolchains import Store, explain
from gorig.versions import parse_version

LAUNCH_VERSION = "0.2.0"


@dataclass(frozen=True)
class EditorKey:
    """One key of VS Code's settings.json that gorig sets, and whether gorig owns it."""

    path: tuple[str, ...]
    value: Any
    owned: bool  # gorig's: updated on every run; otherwise only added when missing


def goroot_for(directory: Path, env: Mapping[str, str], facts: HostFacts) -> Path:
    """The GOROOT gorig runs in ``directory``: the pinned toolchain, else ``current``."""
    found = explain(directory, env, facts)
    if found.pin.version is None:
        if found.toolchain is None:
            raise GorigError(_("no default Go toolchain yet; run `gorig install` first"))
        return Store.open(env).current_link  # follows `gorig use`
    if found.toolchain is None:
        where = found.pin.file or found.pin.source
        wanted = found.pin.version
        raise GorigError(
            _(
                "{pin} asks for go{version}, which is not installed; run `gorig install {version}`"
            ).format(pin=where, version=wanted)
        )
    return found.toolchain.root


def settings(goroot: Path) -> list[EditorKey]:
    go = goroot / "bin" / "go"
    return [
        EditorKey(("go.goroot",), str(goroot), owned=True),
        EditorKey(("go.alternateTools", "go"), str(go), owned=True),
        # gopls and the other tools run exactly this toolchain, never a downloaded one.
        EditorKey(("go.toolsEnvVars", "GOTOOLCHAIN"), "local", owned=True),
        EditorKey(("go.useLanguageServer",), True, owned=False),
        EditorKey(("gopls", "ui.semanticTokens"), True, owned=False),
        EditorKey(("gopls", "ui.completion.usePlaceholders"), True, owned=False),
        EditorKey(("gopls", "build.directoryFilters"), ["-**/node_modules"], owned=False),
        EditorKey(("[go]", "editor.formatOnSave"), True, owned=False),
        EditorKey(
            ("[go]", "editor.codeActionsOnSave"),
            {"source.organizeImports": "explicit"},
            owned=False,
        ),
    ]


def launch_configurations(directory: Path) -> list[dict[str, Any]]:
    """A Delve launch of the main package (the only one, else the workspace) and a test run."""
    mains = main_packages(directory)
    program = "${workspaceFolder}"
    if len(mains) == 1 and mains[0] != ".":
        program += mains[0].removeprefix(".")
    return [
        {
            "name": "Launch package (gorig)",
            "type": "go",
            "request": "launch",
            "mode": "auto",
            "program": program,
        },
        {
            "name": "Test current package (gorig)",
            "type": "go",
            "request": "launch",
            "mode": "test",
            "program": "${fileDirname}",
        },
    ]


def merge_settings(text: str, wanted: list[EditorKey], where: str) -> str:
    for setting in wanted:
        text = jsonc.set_path(
            text, setting.path, setting.value, overwrite=setting.owned, where=where
        )
    return text


def merge_launch(text: str, configurations: list[dict[str, Any]], where: str) -> str:
    """Add the configurations whose name is not there yet; the user's stay as they are."""
    text = jsonc.set_path(text, ("version",), LAUNCH_VERSION, overwrite=False, where=where)
    existing = jsonc.loads(text, where).get("configurations") or []
    names = {item.get("name") for item in existing if isinstance(item, dict)}
    for configuration in configurations:
        if configuration["name"] not in names:
            text = jsonc.append_item(text, ("configurations",), configuration, where=where)
    return text


def _merge_file(path: Path, merge: Callable[[str, str], str]) -> managed.Change:
    def edit(old: str | None) -> str:
        return merge(old if old is not None and old.strip() else "{}\n", str(path))

    return managed.edit_file(path, edit)


def configure(directory: Path, env: Mapping[str, str], facts: HostFacts) -> list[managed.Change]:
    """Create or merge ``.vscode/settings.json`` and ``.vscode/launch.json`` in ``directory``."""
    if not directory.is_dir():
        raise GorigError(_("{path} is not a directory").format(path=directory))
    wanted = settings(goroot_for(directory.resolve(), env, facts))
    configurations = launch_configurations(directory)
    folder = directory / ".vscode"
    return [
        _merge_file(
            folder / "settings.json", lambda text, where: merge_settings(text, wanted, where)
        ),
        _merge_file(
            folder / "launch.json", lambda text, where: merge_launch(text, configurations, where)
        ),
    ]


def tool_checks(
    directory: Path, env: Mapping[str, str], facts: HostFacts
) -> tuple[list[ToolCheck], Path]:
    """dlv and gopls in GOBIN checked against the project's toolchain, and that toolchain's
    go (what installs them)."""
    goroot = goroot_for(directory.resolve(), env, facts)
    go = goroot / "bin" / "go"
    try:
        info = read_executable(go).go
        version = parse_version(info.go_version.split()[0]) if info else None
    except (BinfmtError, GorigError):
        version = None
    if version is None:
        raise GorigError(
            _("cannot read the Go version of {go}; reinstall that toolchain").format(go=go)
        )
    layers = read_layers(facts.os, env, str(goroot))
    gobin = gobin_dir(layers, facts.home or env.get("HOME", ""))
    return check_tools(gobin, native_platform(facts), version), go
