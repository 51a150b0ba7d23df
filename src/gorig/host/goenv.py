"""Go's own settings files, read by the rules of the go command.

The ``go env -w`` file lives at ``$GOENV``, else ``os.UserConfigDir()/go/env``; it and
``$GOROOT/go.env`` hold ``KEY=value`` lines. Doctor, proxy and the checksum-database lookup
all read them through this one module.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping


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


def read_goenv(goos: str, env: Mapping[str, str]) -> tuple[str, dict[str, str]]:
    """The ``go env -w`` file's path and values; no values when ``GOENV=off``, or when the
    file is missing or unreadable (the go command then reads none either)."""
    path = goenv_path(goos, env)
    if env.get("GOENV") == "off":
        return path, {}
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return path, parse_env_file(file.read(1 << 20))
    except OSError:
        return path, {}
