"""Small readers over a facts document that several checks share (pure)."""

from __future__ import annotations

import posixpath
from typing import Any

from gorig.doctor.settings import ENVIRONMENT, GOENV_FILE
from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.versions import GoVersion, parse_version


def host_of(facts: dict[str, Any]) -> HostFacts:
    """The recorded host as :class:`HostFacts` (its env is the recorded, filtered env)."""
    return HostFacts.from_dict({**facts.get("host", {}), "env": facts.get("env", {})})


def native(facts: dict[str, Any]) -> tuple[str, str]:
    """(GOOS, GOARCH) that runs natively on the recorded machine."""
    return native_platform(host_of(facts))


def go_version(text: str | None) -> GoVersion | None:
    """Parse the version part of a Go version string (``go1.23.1 X:foo`` -> 1.23.1)."""
    if not text:
        return None
    token = text.split()[0].split("-")[0]
    if token == "devel":
        return None
    try:
        return parse_version(token)
    except GorigError:
        return None


def version_in_use(facts: dict[str, Any]) -> GoVersion | None:
    """The version of the go that wins on PATH: ``go env GOVERSION``, else its header."""
    values = (facts.get("go_env") or {}).get("values") or {}
    gos = facts.get("gos") or []
    return go_version(values.get("GOVERSION") or (gos[0].get("go_version") if gos else None))


def platform_text(entry: dict[str, Any]) -> str:
    """``linux/arm64`` (or ``darwin/amd64+arm64`` for universal) from a binary's facts."""
    return f"{entry.get('goos') or '?'}/{'+'.join(entry.get('archs') or ['?'])}"


def runs_natively(entry: dict[str, Any], facts: dict[str, Any]) -> bool:
    """A binary (by its recorded header) runs natively on the recorded machine."""
    goos, goarch = native(facts)
    return entry.get("goos") == goos and goarch in (entry.get("archs") or [])


def same_path(left: str, right: str) -> bool:
    return posixpath.normpath(left.rstrip("/")) == posixpath.normpath(right.rstrip("/"))


def on_path(facts: dict[str, Any], directory: str) -> bool:
    home = facts.get("env", {}).get("HOME", "")
    entries = [
        entry.replace("~", home, 1) if entry.startswith("~") else entry
        for entry in facts.get("path", [])
    ]
    return any(same_path(entry, directory) for entry in entries)


def fix_for(key: str, source: str | None) -> str:
    """The command that removes a setting from the layer that set it."""
    if source == ENVIRONMENT:
        return f"unset {key}   # and remove its export from your shell profile"
    if source == GOENV_FILE:
        return f"go env -u {key}"
    return f"remove {key} from $GOROOT/go.env, or reinstall Go cleanly: gorig install"


def install_target(tool: dict[str, Any]) -> str:
    """What to ``go install`` to rebuild a tool: its main package when that is a module path
    (``golang.org/x/tools/gopls``), else a placeholder (``cmd/gofmt`` ships with Go)."""
    main = tool.get("main") or ""
    return main if "." in main.split("/")[0] else f"<{tool['name']}'s package>"
