"""Go toolchains: sources, verified downloads, the on-disk store, activation and pins.

The light public API other packages use (nothing heavy is imported here):

- :class:`~gorig.toolchains.store.Store` (``Store.open(env)``): ``home``, ``bin_dir``,
  ``installed()``, ``default()``.
- :func:`explain` / :func:`resolve_go`: the toolchain gorig runs in a directory, and why.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from gorig.host import HostFacts, native_platform, probe
from gorig.record import Record
from gorig.toolchains.store import Installed, Store
from gorig.versions.pins import Pin, resolve

__all__ = ["Installed", "Resolution", "Store", "explain", "resolve_go"]


class Resolution(Record):
    """The pin in force and the installed native toolchain that satisfies it (if any)."""

    __slots__ = ("pin", "toolchain")
    pin: Pin
    toolchain: Installed | None

    def __init__(self, pin: Pin, toolchain: Installed | None) -> None:
        super().__init__(pin=pin, toolchain=toolchain)

    @property
    def go(self) -> Path | None:
        return self.toolchain.go if self.toolchain else None


def pick_installed(pin: Pin, store: Store, platform: tuple[str, str]) -> Installed | None:
    """The newest installed toolchain for ``platform`` that ``pin`` accepts."""
    if pin.version is None:
        return store.default()
    goos, goarch = platform
    fits = [
        record
        for record in store.installed()
        if (record.goos, record.goarch) == (goos, goarch) and pin.matches(record.version)
    ]
    return fits[-1] if fits else None


def explain(
    directory: Path, env: Mapping[str, str] | None = None, facts: HostFacts | None = None
) -> Resolution:
    """Which toolchain gorig runs in ``directory`` and the pin that chose it."""
    env = os.environ if env is None else env
    pin = resolve(directory, env)
    platform = native_platform(facts if facts is not None else probe())
    return Resolution(pin, pick_installed(pin, Store.open(env), platform))


def resolve_go(directory: Path, env: Mapping[str, str] | None = None) -> Path | None:
    """The ``go`` gorig would run here; ``None`` when no installed toolchain fits."""
    return explain(directory, env).go
