"""Module proxy, checksum database and private modules: presets, checks, and where values live.

Go reads each setting from the environment, then the ``go env -w`` file (``$GOENV``), then
``$GOROOT/go.env``, then its built-in default; :func:`attribute` says which one won. gorig
writes through ``go env -w`` (or into the shell block) and never turns the checksum
database off.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from gorig.configure.proxy_presets import PRESETS
from gorig.errors import GorigError
from gorig.host.goenv import (
    DEFAULT,
    GoSetting,
    GoSettingLayers,
    lookup,
    proxy_entries,
    read_env_file,
)
from gorig.i18n import N_, _

VARIABLES = ("GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE")
_PROXY_ITEM = re.compile(r"^(direct|off|(https?|file)://\S+)$")
_PATTERN = re.compile(r"^[^\s,]+$")
_FROM_PRIVATE = ("GONOPROXY", "GONOSUMDB")  # default to GOPRIVATE's value

SUMDB_OFF_HELP = N_(
    "gorig never turns the checksum database off (GOSUMDB=off would stop verifying every "
    "module you download); for private modules set GOPRIVATE instead, e.g. "
    "`gorig proxy set official --private 'git.corp.example/*'`, which skips the proxy and the "
    "checksum database for those paths only, or GONOSUMDB to skip just the checksum database "
    "for them"
)


FROM_GOPRIVATE = "GOPRIVATE"  # the source of GONOPROXY/GONOSUMDB when Go derives them


def setting_dict(setting: GoSetting) -> dict[str, str | None]:
    """``proxy show --json``'s object for one variable."""
    return {"name": setting.key, "value": setting.value, "source": setting.source,
            "file": setting.path}  # fmt: skip


def _check_proxy_list(value: str) -> str:
    items = proxy_entries(value)
    bad = [item for item in items if not _PROXY_ITEM.match(item)]
    if bad or not items:
        raise GorigError(
            _(
                "{value} is not a proxy list; give a preset ({presets}) or URLs separated by "
                "commas, ending in 'direct' to fetch from origin when a proxy fails"
            ).format(value=repr(value), presets=", ".join(PRESETS))
        )
    return value


def _check_patterns(value: str, flag: str) -> str:
    patterns = [item.strip() for item in value.split(",") if item.strip()]
    if not patterns or not all(_PATTERN.match(item) for item in patterns):
        raise GorigError(
            _("{flag} wants module path patterns separated by commas, got {value}").format(
                flag=flag, value=repr(value)
            )
        )
    if any(item in ("*", "*/*") for item in patterns):
        raise GorigError(
            _("{flag} {value} would match every module: {help}").format(
                flag=flag, value=repr(value), help=_(SUMDB_OFF_HELP)
            )
        )
    return ",".join(patterns)


def plan(
    target: str | None, private: str | None = None, sumdb: str | None = None
) -> dict[str, str]:
    """The variables ``gorig proxy set TARGET [--private] [--sumdb]`` writes."""
    settings: dict[str, str] = {}
    if target is not None:
        name, _equals, value = target.partition("=")
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
            raise GorigError(_(SUMDB_OFF_HELP))
        settings["GOSUMDB"] = sumdb.strip()
    if private is not None:
        settings["GOPRIVATE"] = _check_patterns(private, "--private")
    if not settings:
        raise GorigError(_("nothing to set; give a preset or URL, --private or --sumdb"))
    return settings


def attribute(effective: Mapping[str, str], layers: GoSettingLayers) -> list[GoSetting]:
    """Each of :data:`VARIABLES` with the value Go reports (``effective``) and the layer it
    came from (:func:`gorig.host.goenv.lookup`), else GOPRIVATE or Go's default."""
    settings = []
    for name in VARIABLES:
        value = effective.get(name, "")
        found = lookup(layers, name)
        if found.source is not None:
            settings.append(found._replace(value=value))
        elif value and name in _FROM_PRIVATE and value == effective.get("GOPRIVATE"):
            settings.append(GoSetting(name, value, FROM_GOPRIVATE))
        else:
            settings.append(GoSetting(name, value, DEFAULT))
    return settings


# -- effects: the real go command -----------------------------------------------------------


def _go(go: str, args: list[str], environ: Mapping[str, str]) -> str:
    try:
        done = subprocess.run(
            [go, *args], env=dict(environ), capture_output=True, text=True, timeout=60, check=False
        )
    except OSError as error:
        raise GorigError(_("cannot run {go}: {why}").format(go=go, why=error.strerror)) from error
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        raise GorigError(
            _("{command} failed: {message}").format(
                command=f"`go {' '.join(args)}`", message=message
            )
        )
    return done.stdout


def show(go: str, environ: Mapping[str, str]) -> list[GoSetting]:
    """Each variable's value (one ``go env -json``) and the file or place it came from."""
    effective = json.loads(_go(go, ["env", "-json", *VARIABLES, "GOENV", "GOROOT"], environ))
    goenv, goroot = effective.get("GOENV", ""), effective.get("GOROOT", "")
    layers = GoSettingLayers(
        environ,
        read_env_file(goenv) if goenv not in ("", "off") else None,
        read_env_file(str(Path(goroot) / "go.env")) if goroot else None,
    )
    return attribute(effective, layers)


def write_go_env(go: str, settings: Mapping[str, str], environ: Mapping[str, str]) -> list[str]:
    """``go env -w`` the settings; returns warnings for variables the environment overrides."""
    _go(go, ["env", "-w", *(f"{key}={value}" for key, value in settings.items())], environ)
    overridden = _(
        "{key} is also set in your environment ({value}), which wins over go env -w; unset it "
        "or use --shell"
    )
    return [
        overridden.format(key=key, value=repr(environ[key])) for key in settings if environ.get(key)
    ]
