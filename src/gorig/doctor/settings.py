"""Where each Go setting comes from, over a facts document (pure).

The layers and their labels are :mod:`gorig.host.goenv`'s; this module feeds them the
recorded facts and knows Go's defaults when ``go env`` did not run. The doctor names
the layer because the fix differs: ``unset`` for the environment, ``go env -u`` for the
file, a clean install for ``go.env``.
"""

from __future__ import annotations

import posixpath

from gorig.doctor.early import GO_ENV_NAMES
from gorig.host.goenv import DEFAULT, GoSetting, GoSettingLayers, SettingsFile
from gorig.host.goenv import lookup as lookup_layers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import EnvFile, Facts, GoOnPath


def first_go(facts: Facts) -> GoOnPath | None:
    """The ``go`` that wins on PATH, as the facts describe it."""
    gos = facts.get("gos") or []
    return gos[0] if gos else None


def _default(facts: Facts, key: str) -> str:
    """Go's built-in default when ``go env`` did not run here."""
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


def _file(file: EnvFile | None) -> SettingsFile | None:
    return SettingsFile(file["path"], file["values"]) if file else None


def lookup(facts: Facts, key: str) -> GoSetting:
    """The effective value of Go setting ``key`` and its layer."""
    layers = GoSettingLayers(
        facts["env"], _file(facts.get("goenv_file")), _file(facts.get("goroot_env_file"))
    )
    found = lookup_layers(layers, key)
    if found.source is not None:
        return found
    go_env = facts.get("go_env")
    reported = (go_env["values"] if go_env else None) or {}
    if reported and key not in GO_ENV_NAMES and key != "GOTOOLCHAIN":
        raise LookupError(f"{key} is not asked of go env: add it to GO_ENV_NAMES")
    value = reported.get(key) if key != "GOTOOLCHAIN" else None
    if value is None:
        value = _default(facts, key)
    return GoSetting(key, value, DEFAULT if value else None)


def gopath_bin_dirs(facts: Facts) -> list[str]:
    """Where ``go install`` puts tools: ``GOBIN``, else ``bin`` of the first GOPATH entry."""
    gobin = lookup(facts, "GOBIN").value
    if gobin:
        return [gobin]
    gopath = lookup(facts, "GOPATH").value
    first = gopath.split(":")[0] if gopath else ""
    return [posixpath.join(first, "bin")] if first else []
