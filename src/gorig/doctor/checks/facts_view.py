"""Small readers over a facts document that several checks share (pure)."""

from __future__ import annotations

import posixpath

from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.host.goenv import ENVIRONMENT, GOENV_FILE
from gorig.i18n import _
from gorig.versions import GoVersion, parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import Executable, Facts, Tool


def host_of(facts: Facts) -> HostFacts:
    """The recorded host as :class:`HostFacts` (its env is the recorded, filtered env)."""
    host = facts["host"]
    return HostFacts(
        os=host["os"],
        kernel_arch=host["kernel_arch"],
        userland_bits=host["userland_bits"],
        sysctl=host["sysctl"],
        env=facts["env"],
        cpu_count=host["cpu_count"],
        memory_bytes=host["memory_bytes"],
        python_bits=host["python_bits"],
    )


def native(facts: Facts) -> tuple[str, str]:
    """(GOOS, GOARCH) that runs natively on the recorded machine."""
    return native_platform(host_of(facts))


def go_version(text: str | None) -> GoVersion | None:
    """Parse the version part of a Go version string (``go1.23.1 X:foo`` -> 1.23.1)."""
    words = text.split() if text else []
    token = words[0].split("-")[0] if words else ""
    if token in ("", "devel"):
        return None
    try:
        return parse_version(token)
    except GorigError:
        return None


def version_in_use(facts: Facts) -> GoVersion | None:
    """The version of the go that wins on PATH: ``go env GOVERSION``, else its header."""
    go_env = facts.get("go_env")
    values = (go_env["values"] if go_env else None) or {}
    gos = facts.get("gos") or []
    return go_version(values.get("GOVERSION") or (gos[0].get("go_version") if gos else None))


def archs(entry: Executable) -> list[str]:
    """The architectures of a binary's slices (none when its header could not be read)."""
    return entry.get("archs") or []


def tool_items(facts: Facts) -> list[Tool]:
    """The executables found in GOBIN or GOPATH/bin."""
    tools = facts.get("tools")
    return tools["items"] if tools else []


def platform_text(entry: Executable) -> str:
    """``linux/arm64`` (or ``darwin/amd64+arm64`` for universal) from a binary's facts."""
    return f"{entry.get('goos') or '?'}/{'+'.join(archs(entry) or ['?'])}"


def runs_natively(entry: Executable, facts: Facts) -> bool:
    """A binary (by its recorded header) runs natively on the recorded machine."""
    goos, goarch = native(facts)
    return entry.get("goos") == goos and goarch in archs(entry)


def same_path(left: str, right: str) -> bool:
    return posixpath.normpath(left.rstrip("/")) == posixpath.normpath(right.rstrip("/"))


def on_path(facts: Facts, directory: str) -> bool:
    home = facts["env"].get("HOME", "")
    entries = [
        entry.replace("~", home, 1) if entry.startswith("~") else entry for entry in facts["path"]
    ]
    return any(same_path(entry, directory) for entry in entries)


def fix_for(key: str, source: str | None) -> str:
    """The command that removes a setting from the layer that set it."""
    if source == ENVIRONMENT:
        comment = _("and remove its export from your shell profile")
        return f"unset {key}   # {comment}"
    if source == GOENV_FILE:
        return f"go env -u {key}"
    return _("remove {key} from $GOROOT/go.env, or reinstall Go cleanly: gorig install").format(
        key=key
    )


def install_target(tool: Tool) -> str:
    """What to ``go install`` to rebuild a tool: its main package when that is a module path
    (``golang.org/x/tools/gopls``), else a placeholder (``cmd/gofmt`` ships with Go)."""
    main = tool.get("main") or ""
    return main if "." in main.split("/")[0] else f"<{tool['name']}'s package>"
