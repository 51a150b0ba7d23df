"""Where each Go setting comes from, over a facts document (pure).

Go reads a setting from the process environment (an empty value counts as unset), then the
``go env -w`` file (``$GOENV``), then ``$GOROOT/go.env``, then its built-in default. The
doctor names the layer, because the fix differs: ``unset`` for the environment,
``go env -u`` for the file, a clean install for ``go.env``.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from gorig.doctor.facts import EnvFile, Facts, GoOnPath

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


def first_go(facts: Facts) -> GoOnPath | None:
    """The ``go`` that wins on PATH, as the facts describe it."""
    gos = facts.get("gos") or []
    return gos[0] if gos else None


def _default(facts: Facts, key: str) -> str:
    """Go's built-in default when ``go env -json`` did not run here."""
    go = first_go(facts)
    archs = (go.get("archs") if go else None) or []
    host = facts["host"]
    home = facts["env"].get("HOME", "")
    fallback = {
        # A go's default GOARCH is its own; a universal one runs (and builds) natively.
        "GOARCH": archs[0] if len(archs) == 1 else host["hardware_arch"],
        "GOOS": (go.get("goos") if go else None) or host["os"],
        "GOPATH": posixpath.join(home, "go") if home else "",
        "GOROOT": go["goroot"] if go else "",
        "CC": "clang" if host["os"] in ("darwin", "freebsd", "openbsd") else "gcc",
        "GOTOOLCHAIN": "auto",
    }
    return fallback.get(key, "")


def _values(file: EnvFile | None) -> dict[str, str]:
    return file["values"] if file else {}


def lookup(facts: Facts, key: str) -> Setting:
    """The effective value of Go setting ``key`` and its layer."""
    layers = (
        (ENVIRONMENT, facts["env"]),
        (GOENV_FILE, _values(facts.get("goenv_file"))),
        (GOROOT_ENV, _values(facts.get("goroot_env_file"))),
    )
    for source, values in layers:
        if values.get(key):
            return Setting(key, values[key], source)
    go_env = facts.get("go_env")
    reported = (go_env["values"] if go_env else None) or {}
    value = reported.get(key) if key != "GOTOOLCHAIN" else None
    if value is None:
        value = _default(facts, key)
    return Setting(key, value, DEFAULT if value else None)


def gopath_bin_dirs(facts: Facts) -> list[str]:
    """Where ``go install`` puts tools: ``GOBIN``, else ``bin`` of the first GOPATH entry."""
    gobin = lookup(facts, "GOBIN").value
    if gobin:
        return [gobin]
    gopath = lookup(facts, "GOPATH").value
    first = gopath.split(":")[0] if gopath else ""
    return [posixpath.join(first, "bin")] if first else []
