"""Where each Go setting comes from, over a facts document (pure).

Go reads a setting from the process environment (an empty value counts as unset), then the
``go env -w`` file (``$GOENV``), then ``$GOROOT/go.env``, then its built-in default. The
doctor names the layer, because the fix differs: ``unset`` for the environment,
``go env -u`` for the file, a clean install for ``go.env``.
"""

from __future__ import annotations

import posixpath
from typing import Any, NamedTuple

ENVIRONMENT = "environment"
GOENV_FILE = "go env -w file"
GOROOT_ENV = "$GOROOT/go.env"
DEFAULT = "default"


class Setting(NamedTuple):
    """A setting's effective value and the layer that gave it (``None`` when nothing did)."""

    key: str
    value: str
    source: str | None

    @property
    def set_by_user(self) -> bool:
        """Set in the environment or by ``go env -w``: what the user (or a profile) chose."""
        return self.source in (ENVIRONMENT, GOENV_FILE)


def first_go(facts: dict[str, Any]) -> dict[str, Any] | None:
    """The ``go`` that wins on PATH, as the facts describe it."""
    gos = facts.get("gos") or []
    return gos[0] if gos else None


def _default(facts: dict[str, Any], key: str) -> str:
    """Go's built-in default when ``go env -json`` did not run here."""
    go = first_go(facts) or {}
    archs = go.get("archs") or []
    host = facts.get("host", {})
    home = facts.get("env", {}).get("HOME", "")
    fallback = {
        # A go's default GOARCH is its own; a universal one runs (and builds) natively.
        "GOARCH": archs[0] if len(archs) == 1 else host.get("hardware_arch", ""),
        "GOOS": go.get("goos") or host.get("os", ""),
        "GOPATH": posixpath.join(home, "go") if home else "",
        "GOROOT": go.get("goroot") or "",
        "CC": "clang" if host.get("os") in ("darwin", "freebsd", "openbsd") else "gcc",
        "GOTOOLCHAIN": "auto",
    }
    return fallback.get(key, "")


def lookup(facts: dict[str, Any], key: str) -> Setting:
    """The effective value of Go setting ``key`` and its layer."""
    layers = (
        (ENVIRONMENT, facts.get("env", {})),
        (GOENV_FILE, (facts.get("goenv_file") or {}).get("values", {})),
        (GOROOT_ENV, (facts.get("goroot_env_file") or {}).get("values", {})),
    )
    for source, values in layers:
        if values.get(key):
            return Setting(key, values[key], source)
    go_env = (facts.get("go_env") or {}).get("values") or {}
    value = go_env.get(key) if key != "GOTOOLCHAIN" else None
    if value is None:
        value = _default(facts, key)
    return Setting(key, value, DEFAULT if value else None)


def gopath_bin_dirs(facts: dict[str, Any]) -> list[str]:
    """Where ``go install`` puts tools: ``GOBIN``, else ``bin`` of the first GOPATH entry."""
    gobin = lookup(facts, "GOBIN").value
    if gobin:
        return [gobin]
    gopath = lookup(facts, "GOPATH").value
    first = gopath.split(":")[0] if gopath else ""
    return [posixpath.join(first, "bin")] if first else []
