"""gorig's per-user data and config directories, as platformdirs names them.

platformdirs (with ``tempfile``, ``shutil`` and the compressors it pulls in) costs more
than a bare interpreter start, and every command needs the store's path. On Linux, the BSDs
and macOS the rule is short, so it is written here; Windows, and a HOME that is not an
absolute path, still ask platformdirs. tests/core/test_core_dirs.py checks the rule against
platformdirs itself.
"""

from __future__ import annotations

import posixpath
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "gorig"
XDG = {"data": "XDG_DATA_HOME", "config": "XDG_CONFIG_HOME", "cache": "XDG_CACHE_HOME"}
UNDER_HOME = {
    "darwin": {
        "data": "Library/Application Support",
        "config": "Library/Application Support",
        "cache": "Library/Caches",
    },
    "posix": {"data": ".local/share", "config": ".config", "cache": ".cache"},
}


def user_dir(kind: str, env: Mapping[str, str], platform: str = sys.platform) -> str:
    """gorig's ``kind`` (``data``, ``config`` or ``cache``) directory for the user of ``env``.

    An absolute ``$XDG_DATA_HOME`` / ``$XDG_CONFIG_HOME`` / ``$XDG_CACHE_HOME`` wins (on macOS
    too), else the platform's place under ``$HOME``.
    """
    home = env.get("HOME", "")
    if platform == "win32" or not posixpath.isabs(home):
        return _platformdirs(kind)
    xdg = env.get(XDG[kind], "")
    if posixpath.isabs(xdg):
        return posixpath.join(xdg, APP)
    flavour = "darwin" if platform == "darwin" else "posix"
    return posixpath.join(home, UNDER_HOME[flavour][kind], APP)


def _platformdirs(kind: str) -> str:
    import platformdirs

    by_kind = {"data": platformdirs.user_data_dir, "config": platformdirs.user_config_dir,
               "cache": platformdirs.user_cache_dir}  # fmt: skip
    return by_kind[kind](APP)
