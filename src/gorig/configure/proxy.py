"""Module proxy, checksum database and private modules: presets, checks, and where values live.

Go reads each setting from the environment, then the ``go env -w`` file (``$GOENV``), then
``$GOROOT/go.env``, then its built-in default; :func:`attribute` says which one won. gorig
writes through ``go env -w`` (or into the shell block) and never turns the checksum
database off.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gorig.configure.proxy_presets import PRESETS
from gorig.errors import GorigError
from gorig.host.goenv import parse_env_file

VARIABLES = ("GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE")
_PROXY_ITEM = re.compile(r"^(direct|off|(https?|file)://\S+)$")
_PATTERN = re.compile(r"^[^\s,]+$")
_FROM_PRIVATE = ("GONOPROXY", "GONOSUMDB")  # default to GOPRIVATE's value

SUMDB_OFF_HELP = (
    "gorig never turns the checksum database off (GOSUMDB=off would stop verifying every "
    "module you download); for private modules set GOPRIVATE instead, e.g. "
    "`gorig proxy set official --private 'git.corp.example/*'`, which skips the proxy and the "
    "checksum database for those paths only, or GONOSUMDB to skip just the checksum database "
    "for them"
)


@dataclass(frozen=True)
class Setting:
    """One variable's effective value and the place Go took it from."""

    name: str
    value: str
    source: str  # environment | go env -w | go.env | GOPRIVATE | default
    file: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "value": self.value, "source": self.source, "file": self.file}


def _check_proxy_list(value: str) -> str:
    items = re.split(r"[,|]", value)
    bad = [item for item in items if not _PROXY_ITEM.match(item)]
    if bad or not value:
        raise GorigError(
            f"{value!r} is not a proxy list; give a preset ({', '.join(PRESETS)}) or URLs "
            "separated by commas, ending in 'direct' to fetch from origin when a proxy fails"
        )
    return value


def _check_patterns(value: str, flag: str) -> str:
    patterns = [item.strip() for item in value.split(",") if item.strip()]
    if not patterns or not all(_PATTERN.match(item) for item in patterns):
        raise GorigError(f"{flag} wants module path patterns separated by commas, got {value!r}")
    if any(item in ("*", "*/*") for item in patterns):
        raise GorigError(f"{flag} {value!r} would match every module: {SUMDB_OFF_HELP}")
    return ",".join(patterns)


def plan(
    target: str | None, private: str | None = None, sumdb: str | None = None
) -> dict[str, str]:
    """The variables ``gorig proxy set TARGET [--private] [--sumdb]`` writes."""
    settings: dict[str, str] = {}
    if target is not None:
        name, _, value = target.partition("=")
        if value and name.upper() == "GOSUMDB":  # `set GOSUMDB=...` reads as --sumdb
            sumdb = value
        elif value and name.upper() == "GOPROXY":
            settings["GOPROXY"] = _check_proxy_list(value)
        elif target in PRESETS:
            settings.update(PRESETS[target])
        else:
            settings["GOPROXY"] = _check_proxy_list(target)
    if sumdb is not None:
        if sumdb.strip().lower() == "off":
            raise GorigError(SUMDB_OFF_HELP)
        settings["GOSUMDB"] = sumdb.strip()
    if private is not None:
        settings["GOPRIVATE"] = _check_patterns(private, "--private")
    if not settings:
        raise GorigError("nothing to set; give a preset or URL, --private or --sumdb")
    return settings


def attribute(
    effective: Mapping[str, str],
    environ: Mapping[str, str],
    goenv: tuple[str, Mapping[str, str]] | None,
    goroot_env: tuple[str, Mapping[str, str]] | None,
) -> list[Setting]:
    """Where each of :data:`VARIABLES` comes from, in Go's order (an empty variable is unset)."""
    settings = []
    for name in VARIABLES:
        value = effective.get(name, "")
        if environ.get(name):
            settings.append(Setting(name, value, "environment"))
        elif goenv is not None and name in goenv[1]:
            settings.append(Setting(name, value, "go env -w", goenv[0]))
        elif goroot_env is not None and name in goroot_env[1]:
            settings.append(Setting(name, value, "go.env", goroot_env[0]))
        elif value and name in _FROM_PRIVATE and value == effective.get("GOPRIVATE"):
            settings.append(Setting(name, value, "GOPRIVATE"))
        else:
            settings.append(Setting(name, value, "default"))
    return settings


# -- effects: the real go command -----------------------------------------------------------


def find_go(environ: Mapping[str, str], fallback: Path | None) -> str:
    """The ``go`` on PATH (what the user runs), else gorig's default toolchain's."""
    found = shutil.which("go", path=environ.get("PATH", ""))
    if found:
        return found
    if fallback is not None and fallback.is_file():
        return str(fallback)
    raise GorigError("no go command found on PATH; run `gorig install` first")


def _go(go: str, args: list[str], environ: Mapping[str, str]) -> str:
    try:
        done = subprocess.run(
            [go, *args], env=dict(environ), capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as error:
        raise GorigError(f"cannot run {go}: {error.strerror}") from error
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        raise GorigError(f"`go {' '.join(args)}` failed: {message}")
    return done.stdout


def _read_env_file(path: str) -> tuple[str, dict[str, str]] | None:
    if not path or path == "off":
        return None
    try:
        return path, parse_env_file(Path(path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def show(go: str, environ: Mapping[str, str]) -> list[Setting]:
    """Each variable's value (one ``go env -json``) and the file or place it came from."""
    effective = json.loads(_go(go, ["env", "-json", *VARIABLES, "GOENV", "GOROOT"], environ))
    goroot_env = str(Path(effective.get("GOROOT", "")) / "go.env")
    return attribute(
        effective, environ, _read_env_file(effective.get("GOENV", "")), _read_env_file(goroot_env)
    )


def write_go_env(go: str, settings: Mapping[str, str], environ: Mapping[str, str]) -> list[str]:
    """``go env -w`` the settings; returns warnings for variables the environment overrides."""
    _go(go, ["env", "-w", *(f"{key}={value}" for key, value in settings.items())], environ)
    return [
        f"{key} is also set in your environment ({environ[key]!r}), which wins over go env -w; "
        f"unset it or use --shell"
        for key in settings
        if environ.get(key)
    ]
