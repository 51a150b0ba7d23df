"""The store's two locks, behind :meth:`Store.lock <gorig.toolchains.store.Store.lock>` and
:meth:`Store.activation <gorig.toolchains.store.Store.activation>`.

Apart from the store module so that ``contextlib`` loads only for the commands that change
the store (``which``, ``list`` and ``home`` read it without a lock). The order rule (a
toolchain's lock, then the activation lock) is the store's: see its module docstring. The
store hands in its directories; this module never imports it.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

from gorig.errors import GorigError
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

ACTIVATION_LOCK = "activation.lock"  # toolchain names start with "go": no clash


class Busy(GorigError):
    """Another gorig holds the lock and the caller chose not to wait."""


@contextmanager
def toolchain_lock(
    locks_dir: Path,
    name: str,
    wait: bool,
    note: Callable[[str], object],
    on_entry: Callable[[], object],
) -> Iterator[None]:
    """Toolchain ``name``'s lock; ``on_entry`` (removing leftover staging) runs once held."""
    busy = _("another gorig is changing {name}").format(name=name)
    with _hold(locks_dir, f"{name}.lock", busy, wait, note):
        on_entry()
        yield


@contextmanager
def activation_lock(
    locks_dir: Path, link_dirs: tuple[Path, ...], note: Callable[[str], object]
) -> Iterator[None]:
    """The store-wide lock; a killed holder's temporary links in ``link_dirs`` are removed
    once it is held (:func:`gorig.fs.swap_symlink`)."""
    busy = _("another gorig is switching toolchains")
    with _hold(locks_dir, ACTIVATION_LOCK, busy, True, note):
        for temporary in (found for folder in link_dirs for found in folder.glob(".*.tmp")):
            if temporary.is_symlink():
                temporary.unlink()
        yield


@contextmanager
def _hold(
    locks_dir: Path, file: str, busy: str, wait: bool, note: Callable[[str], object]
) -> Iterator[None]:
    from gorig.toolchains.lockfile import LockBusy, hold

    locks_dir.mkdir(parents=True, exist_ok=True)
    path = str(locks_dir / file)
    with ExitStack() as held:
        try:
            held.enter_context(hold(path, timeout=0))
        except LockBusy:
            if not wait:
                raise Busy(_("{busy}; try again shortly").format(busy=busy)) from None
            note(_("{busy}; waiting for it").format(busy=busy))
            held.enter_context(hold(path))
        yield
