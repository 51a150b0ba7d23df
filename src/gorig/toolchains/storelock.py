"""The store's two locks, behind :meth:`Store.lock <gorig.toolchains.store.Store.lock>` and
:meth:`Store.activation <gorig.toolchains.store.Store.activation>`.

Apart from the store module so that ``contextlib`` loads only for the commands that change
the store (``which``, ``list`` and ``home`` read it without a lock). The order rule (a
toolchain's lock, then the activation lock) is the store's: see its module docstring.
"""

from __future__ import annotations

from contextlib import ExitStack, contextmanager

from gorig.toolchains.store import ACTIVATION_LOCK, Busy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from gorig.toolchains.store import Note, Store


@contextmanager
def toolchain_lock(store: Store, name: str, wait: bool, note: Note) -> Iterator[None]:
    """Toolchain ``name``'s lock, its leftover staging directories removed on entry."""
    with _hold(store, f"{name}.lock", f"another gorig is changing {name}", wait, note):
        store.clear_staging(name)
        yield


@contextmanager
def activation_lock(store: Store, note: Note) -> Iterator[None]:
    """The store-wide lock, a killed holder's temporary links removed on entry."""
    with _hold(store, ACTIVATION_LOCK, "another gorig is switching toolchains", True, note):
        for temporary in (*store.home.glob(".*.tmp"), *store.bin_dir.glob(".*.tmp")):
            if temporary.is_symlink():
                temporary.unlink()
        yield


@contextmanager
def _hold(store: Store, file: str, busy: str, wait: bool, note: Note) -> Iterator[None]:
    from gorig.toolchains.lockfile import LockBusy, hold

    store.locks_dir.mkdir(parents=True, exist_ok=True)
    path = str(store.locks_dir / file)
    with ExitStack() as held:
        try:
            held.enter_context(hold(path, timeout=0))
        except LockBusy:
            if not wait:
                raise Busy(f"{busy}; try again shortly") from None
            note(f"{busy}; waiting for it")
            held.enter_context(hold(path))
        yield
