"""What ``gorig prune`` removes: the download cache, install leftovers, unused toolchains.

A ``*.part`` file written in the last ten minutes may belong to a running download and is
kept; a staging directory is removed only when its toolchain's lock is free.
"""

from __future__ import annotations

import time

from gorig.errors import GorigError
from gorig.paths import Path
from gorig.toolchains.store import STAGING_PREFIX, Installed, Store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

RECENT_PART_SECONDS = 600


def plan_prune(store: Store, *, keep: Sequence[Installed], toolchains: bool) -> list[Path]:
    """Paths prune would delete (nothing is touched)."""
    doomed: list[Path] = []
    if store.downloads_dir.is_dir():
        now = time.time()
        for path in sorted(store.downloads_dir.iterdir()):
            recent = now - path.stat().st_mtime < RECENT_PART_SECONDS
            if not (path.name.endswith(".part") and recent):
                doomed.append(path)
    if store.toolchains_dir.is_dir():
        doomed += sorted(store.toolchains_dir.glob(STAGING_PREFIX + "*"))
    if toolchains:
        default = store.default()
        doomed += [r.root for r in store.installed() if r != default and r not in keep]
    return doomed


def _staging_name(path: Path) -> str:
    return path.name.removeprefix(STAGING_PREFIX).rsplit("-", 1)[0]


def prune(store: Store, plan: Sequence[Path]) -> list[Path]:
    """Delete what :func:`plan_prune` listed; returns what was actually removed.

    A toolchain goes through :meth:`Store.uninstall` (never the default, even one made
    default since the plan), a staging directory through its toolchain's lock, whose holder
    removes stale ones; anything another gorig is changing right now is left alone.
    """
    import shutil

    removed: list[Path] = []
    by_root = {r.root: r for r in store.installed()}
    for path in plan:
        try:
            if path in by_root:
                store.uninstall(by_root[path], force=False, wait=False)
            elif path.name.startswith(STAGING_PREFIX):
                with store.lock(_staging_name(path), wait=False):
                    pass
            elif path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        except GorigError:
            continue  # busy, or became the default: leave it
        removed.append(path)
    return removed
