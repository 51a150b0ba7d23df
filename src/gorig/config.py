"""gorig's configuration file: ``config.toml`` in the user config directory.

``GORIG_CONFIG`` names another file. A missing file is an empty configuration; a file that
is not valid TOML is an error naming the file. Settings live in tables per concern, for
example::

    [install]
    source = "auto"          # official, google-cn, mirror:URL, aliyun, ustc, nju, pypi
    mirror = "aliyun"        # the mirror "auto" falls back to
    trust_mirror = false     # accept a mirror's own .sha256 when the index is unreachable
    verify_signature = false
    signing_key = "/path/to/key.asc"
    verify_sumdb = false
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gorig.errors import GorigError

ENV_VAR = "GORIG_CONFIG"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the configuration file is (it need not exist)."""
    env = os.environ if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("gorig")) / "config.toml"


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The whole configuration as a dict; ``{}`` when there is no file."""
    path = config_path(env)
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as error:
        raise GorigError(f"{path} is not valid TOML ({error}); fix or remove it") from None
    except OSError as error:
        raise GorigError(f"cannot read {path}: {error.strerror}") from None


def section(name: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One table of the configuration (``[install]``), ``{}`` when absent."""
    table = load_config(env).get(name, {})
    if not isinstance(table, dict):
        raise GorigError(f"{config_path(env)}: [{name}] must be a table")
    return table
