"""The Python package indexes the user configured for pip, read the way pip reads them.

Order: ``PIP_INDEX_URL``/``PIP_EXTRA_INDEX_URL`` beat the config files; the files are
``PIP_CONFIG_FILE`` (read first), then the global, per-user and virtualenv files, each
overriding the one before, with ``[install]`` over ``[global]``. Without any setting the
index is pip's own default, asked from pip so gorig never hard-codes a registry address.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from gorig.errors import GorigError


def config_files(env: Mapping[str, str]) -> list[Path]:
    """pip's configuration files in the order pip reads them (later wins)."""
    home = Path(env.get("HOME", str(Path.home())))
    xdg_config = Path(env.get("XDG_CONFIG_HOME", home / ".config"))
    files = [Path(env["PIP_CONFIG_FILE"])] if env.get("PIP_CONFIG_FILE") else []
    xdg_dirs = env.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep)
    files += [Path(d) / "pip" / "pip.conf" for d in xdg_dirs if d] + [Path("/etc/pip.conf")]
    files += [home / ".pip" / "pip.conf", xdg_config / "pip" / "pip.conf"]
    if sys.platform == "darwin":
        files.append(home / "Library" / "Application Support" / "pip" / "pip.conf")
    venv = env.get("VIRTUAL_ENV")
    files.append(Path(venv) / "pip.conf" if venv else Path(sys.prefix) / "pip.conf")
    return files


def _from_files(files: list[Path]) -> dict[str, str]:
    # Most users have none. os.path.exists: False for a file that cannot be reached, which
    # configparser skips too (Path.exists raises on a directory without permission).
    present = [path for path in files if os.path.exists(path)]  # noqa: PTH110
    if not present:
        return {}
    import configparser

    values: dict[str, str] = {}
    for path in present:
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as error:
            raise GorigError(f"pip configuration {path} cannot be read: {error}") from None
        for section in ("global", "install"):
            if parser.has_section(section):
                for key in ("index-url", "extra-index-url", "cert"):
                    if parser.has_option(section, key):
                        values[key] = parser.get(section, key)
    return values


def _pip_default() -> str:
    try:
        from pip._internal.models.index import PyPI  # pip's own default index
    except ImportError:
        raise GorigError(
            "no package index is configured and pip is not installed; set PIP_INDEX_URL"
        ) from None
    return str(PyPI.simple_url)


def configured_indexes(env: Mapping[str, str]) -> list[str]:
    """The index URL first, then the extra ones."""
    disabled = env.get("PIP_CONFIG_FILE") == os.devnull
    files = {} if disabled else _from_files(config_files(env))
    main = env.get("PIP_INDEX_URL") or files.get("index-url") or _pip_default()
    extra = env.get("PIP_EXTRA_INDEX_URL") or files.get("extra-index-url") or ""
    return [main, *extra.split()]


def configured_cert(env: Mapping[str, str]) -> str | None:
    """The CA bundle pip is told to trust (``PIP_CERT`` or ``cert`` in its config)."""
    if env.get("PIP_CERT"):
        return env["PIP_CERT"]
    if env.get("PIP_CONFIG_FILE") == os.devnull:
        return None
    return _from_files(config_files(env)).get("cert")
