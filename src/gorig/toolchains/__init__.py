"""Go toolchains: sources, verified downloads, the on-disk store, activation and pins.

The light public API other packages use (nothing heavy is imported here):

- :class:`~gorig.toolchains.store.Store` (``Store.open(env)``): ``home``, ``bin_dir``,
  ``installed()``, ``default()``.
- :func:`explain` / :func:`resolve_go`: the toolchain gorig runs in a directory, and why.
- :func:`go_here`: the ``go`` a command uses in a directory (gorig's, else PATH's), and
  :func:`goroot_of` its GOROOT.
"""

from __future__ import annotations

import os

from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.i18n import _
from gorig.paths import Path
from gorig.record import Record
from gorig.toolchains.store import Installed, Store
from gorig.versions.pins import Pin, resolve

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["Installed", "Resolution", "Store", "explain", "go_here", "goroot_of", "resolve_go"]


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
    """The newest installed toolchain for ``platform`` that ``pin`` accepts.

    A ``go`` line is a minimum, as Go reads it: the default when it is new enough, else the
    go line's own release (what Go switches to), else the newest installed that satisfies it.
    """
    default = store.default()
    if pin.version is None:
        return default
    goos, goarch = platform
    fits = [
        record
        for record in store.installed()
        if (record.goos, record.goarch) == (goos, goarch) and pin.matches(record.version)
    ]
    if pin.minimum:
        exact = [record for record in fits if record.version == pin.version]
        preferred = [record for record in fits if record == default] or exact or fits
        return preferred[-1] if preferred else None
    return fits[-1] if fits else None


def explain(directory: Path, env: Mapping[str, str], facts: HostFacts) -> Resolution:
    """Which toolchain gorig runs in ``directory`` and the pin that chose it."""
    if not env.get("GOTOOLCHAIN"):  # `go env -w GOTOOLCHAIN=...` counts as for Go
        from gorig.host.goenv import lookup, read_layers

        set_by_user = lookup(read_layers(facts.os, env, None), "GOTOOLCHAIN")
        if set_by_user.set_by_user:
            env = {**env, "GOTOOLCHAIN": set_by_user.value}
    pin = resolve(directory, env)
    platform = native_platform(facts)
    return Resolution(pin, pick_installed(pin, Store.open(env), platform))


def resolve_go(directory: Path, env: Mapping[str, str], facts: HostFacts) -> Path | None:
    """The ``go`` gorig would run here; ``None`` when no installed toolchain fits."""
    return explain(directory, env, facts).go


def go_here(directory: Path, env: Mapping[str, str], facts: HostFacts) -> Path:
    """The one answer to "which go runs here": the toolchain gorig resolves for ``directory``
    (its pin's, else the default), else the first ``go`` on ``env``'s PATH.

    Every command that runs or asks a go (build, bench, proxy, targets) takes it from here.
    """
    go = resolve_go(directory, env, facts)
    if go is not None:
        return go
    from gorig.host.path import which

    on_path = which("go", env.get("PATH", ""))
    if on_path is None:
        raise GorigError(_("no Go toolchain here: run 'gorig install', or put go on PATH"))
    return Path(on_path)


def goroot_of(go: Path) -> str:
    """The GOROOT a ``go`` binary belongs to: the parent of its real ``bin`` directory."""
    return str(Path(os.path.realpath(go)).parent.parent)
