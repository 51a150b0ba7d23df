"""Go's settings, read by the rules of the go command: the one home of its layers.

Go reads a setting from the process environment (an empty value counts as unset), then the
``go env -w`` file (``$GOENV``, else ``os.UserConfigDir()/go/env``; ``GOENV=off`` turns it
off), then ``$GOROOT/go.env``, then its built-in default. Both files hold ``KEY=value``
lines. :func:`lookup` walks the layers over plain data (pure); :func:`read_layers` reads the
two files at the edge. Doctor (over recorded facts), ``proxy show``, the checksum-database
and module-proxy lookups and the build matrix all name layers through this module, so a
user sees the same label for the same place everywhere.
"""

from __future__ import annotations

import posixpath
import sys

from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import NamedTuple
else:  # typing's import costs the doctor a third of a Python start
    from gorig.record import NamedTuple

ENVIRONMENT = "environment"
GOENV_FILE = "go env -w file"
GOROOT_ENV = "$GOROOT/go.env"
DEFAULT = "default"
ENV_FILE_LIMIT = 1 << 20  # Go's own files are a few hundred bytes; never read a huge one whole


def shown_source(source: str | None) -> str:
    """A layer's id (kept as it is in JSON) as a user reads it, in their language."""
    shown = {ENVIRONMENT: _("environment"), GOENV_FILE: _("go env -w file"), DEFAULT: _("default")}
    return shown.get(source or "", str(source))


class GoSetting(NamedTuple):
    """A Go setting's value and the layer that gave it (``source`` None: nothing did).

    ``path`` is the file, for the two file layers."""

    key: str
    value: str
    source: str | None
    path: str | None = None

    @property
    def set_by_user(self) -> bool:
        """Set in the environment or by ``go env -w``: what the user (or a profile) chose."""
        return self.source in (ENVIRONMENT, GOENV_FILE)


class SettingsFile(NamedTuple):
    """One of Go's ``KEY=value`` files: where it is and what it holds."""

    path: str
    values: Mapping[str, str]


class GoSettingLayers(NamedTuple):
    """The places Go reads settings from, highest first (a file is None when Go reads none)."""

    environ: Mapping[str, str]
    goenv_file: SettingsFile | None = None
    goroot_env: SettingsFile | None = None


def lookup(layers: GoSettingLayers, key: str) -> GoSetting:
    """Where Go finds ``key``: the first layer with a non-empty value (pure).

    Nothing found gives an empty value with no source; the caller knows Go's default.
    """
    if layers.environ.get(key):
        return GoSetting(key, layers.environ[key], ENVIRONMENT)
    for source, file in ((GOENV_FILE, layers.goenv_file), (GOROOT_ENV, layers.goroot_env)):
        if file is not None and file.values.get(key):
            return GoSetting(key, file.values[key], source, file.path)
    return GoSetting(key, "", None)


def read_layers(goos: str, environ: Mapping[str, str], goroot: str | None) -> GoSettingLayers:
    """The layers the go command of ``goroot`` (None: unknown) reads under ``environ``."""
    goenv = None if environ.get("GOENV") == "off" else read_env_file(goenv_path(goos, environ))
    goroot_env = read_env_file(posixpath.join(goroot, "go.env")) if goroot else None
    return GoSettingLayers(environ, goenv, goroot_env)


def read_env_file(path: str) -> SettingsFile | None:
    """A ``KEY=value`` file, or None when it is missing or unreadable (Go then reads none)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return SettingsFile(path, parse_env_file(file.read(ENV_FILE_LIMIT)))
    except OSError:
        return None


def goenv_path(goos: str, env: Mapping[str, str]) -> str:
    """The ``go env -w`` file Go uses: ``$GOENV``, else ``os.UserConfigDir()/go/env``."""
    if env.get("GOENV"):
        return env["GOENV"]
    home = env.get("HOME", "")
    if goos == "darwin":
        return posixpath.join(home, "Library", "Application Support", "go", "env")
    if goos == "windows":
        return posixpath.join(env.get("APPDATA", ""), "go", "env")
    config = env.get("XDG_CONFIG_HOME") or posixpath.join(home, ".config")
    return posixpath.join(config, "go", "env")


def parse_env_file(text: str) -> dict[str, str]:
    """``KEY=value`` lines as Go writes them; ``#`` comments and junk lines are skipped."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            values[key.strip()] = value.strip()
    return values


def go_setting(key: str, environ: Mapping[str, str], goroot: str | None = None) -> str:
    """``key`` as the go command (of ``goroot``, else ``$GOROOT`` if exported) would read it
    under ``environ``; empty when no layer sets it (the caller knows Go's default)."""
    goos = {"darwin": "darwin", "win32": "windows"}.get(sys.platform, "linux")
    layers = read_layers(goos, environ, goroot or environ.get("GOROOT") or None)
    return lookup(layers, key).value.strip()


def proxy_entries(value: str) -> list[str]:
    """A ``GOPROXY`` list's entries in order, as the go command splits it: ``,`` or ``|``
    between entries, blanks dropped; ``off`` ends the list (it is kept, last)."""
    entries: list[str] = []
    for entry in (item.strip() for item in value.replace("|", ",").split(",")):
        if entry:
            entries.append(entry)
        if entry == "off":
            break
    return entries
