"""The one editor for files the user owns: a marked block, a backup, an atomic write.

A block is the lines from ``# >>> gorig >>>`` to ``# <<< gorig <<<``. Everything outside it
is kept byte for byte (files are read as bytes and decoded with ``surrogateescape``, so even
invalid UTF-8 survives). A new block is appended after one newline character; removing the
block takes that newline away again, so setting a block up and removing it gives back the
original file exactly.
"""

from __future__ import annotations

import os
import re
import time

from gorig.errors import GorigError
from gorig.fs import (
    FileTooLarge,
    NotRegularFile,
    atomic_file,
    open_regular,
    read_at_most,
    write_atomic,
)
from gorig.i18n import _
from gorig.paths import Path
from gorig.record import Record

TYPE_CHECKING = False  # typing costs start-up time (shell init reads shell-env.json here)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import BinaryIO

    # An edit takes the file's text (None: there is no file) and gives the new text (None
    # or the same text: leave the file as it is). It may run more than once (edit_file).
    Edit = Callable[[str | None], str | None]

BEGIN = "# >>> gorig >>>"
END = "<<< gorig <<<"
END_LINE = f"# {END}"
BACKUP_SUFFIX = ".gorig-backup"
MAX_BYTES = 16 << 20  # no rc or settings file is this large; /dev/zero behind a link is
ATTEMPTS = 5  # edits redone when another program rewrote the file meanwhile
SETTLE = 0.02  # seconds the replaced file must stay unwritten before it is let go
HOLD_LIMIT = 1.0  # seconds gorig waits at most for other writers of the replaced file
_BEGIN_RE = re.compile(rf"^{re.escape(BEGIN)}[ \t\r]*$", re.MULTILINE)
_END_RE = re.compile(rf"^{re.escape(END_LINE)}[ \t\r]*(?:\n|\Z)", re.MULTILINE)


def render_block(body: str) -> str:
    """The marked block around ``body`` (a newline is added to ``body`` when missing)."""
    if body and not body.endswith("\n"):
        body += "\n"
    return f"{BEGIN}\n{body}{END_LINE}\n"


def _find(text: str, where: str) -> tuple[int, int] | None:
    """Start and end offsets of the block in ``text``, or None when there is none."""
    begin = _BEGIN_RE.search(text)
    if begin is None:
        if _END_RE.search(text):
            raise GorigError(
                _("{path} has {end} without {begin}; fix the file by hand").format(
                    path=where, end=repr(END_LINE), begin=repr(BEGIN)
                )
            )
        return None
    end = _END_RE.search(text, begin.end())
    if end is None:
        raise GorigError(
            _("{path} has {begin} without {end}; fix the file by hand").format(
                path=where, end=repr(END_LINE), begin=repr(BEGIN)
            )
        )
    if _BEGIN_RE.search(text, end.end()):
        raise GorigError(
            _("{path} has more than one gorig block; keep one and run again").format(path=where)
        )
    return begin.start(), end.end()


def set_block(text: str, body: str | None, where: str = "the file") -> str:
    """``text`` with gorig's block set to ``body``, or removed when ``body`` is None."""
    span = _find(text, where)
    if body is None:
        if span is None:
            return text
        start, end = span
        if _appended_newline(text, start, end):
            start -= 1
        return text[:start] + text[end:]
    block = render_block(body)
    if span is None:
        return f"{text}\n{block}"
    start, end = span
    return text[:start] + block + text[end:]


def _appended_newline(text: str, start: int, end: int) -> bool:
    """Whether the newline before the block at ``start:end`` is the one appending added.

    Appending puts one newline between the old text and the block. That newline may go
    with the block when it stands on an empty line, or when the block ends the file; a
    newline that ends the user's own line before a block in the middle of the file stays,
    or removing the block would join that line with the next one.
    """
    if start == 0 or text[start - 1] != "\n":
        return False
    return start == 1 or text[start - 2] == "\n" or end == len(text)


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def read_text(path: Path) -> str | None:
    """A user file as text that re-encodes to the same bytes; None when it does not exist."""
    handle = _open_existing(path)
    if handle is None:
        return None
    with handle:
        return decode(_read_all(handle, path))


class Change(Record):
    """What writing a managed file did."""

    __slots__ = ("backup", "changed", "created", "path")
    path: Path
    changed: bool
    backup: Path | None
    created: bool

    def __init__(self, path: Path, *, changed: bool, backup: Path | None, created: bool) -> None:
        super().__init__(path=path, changed=changed, backup=backup, created=created)


def write_file(path: Path, text: str) -> Change:
    """Write ``text`` to ``path`` atomically, keeping a backup of the previous content."""
    return edit_file(path, lambda _old: text)


def update_block(path: Path, body: str | None) -> Change:
    """Set (or with None remove) gorig's block in the file at ``path``."""

    def edit(old: str | None) -> str | None:
        if old is None:  # a new file holds just the block
            return None if body is None else render_block(body)
        return set_block(old, body, str(path))

    return edit_file(path, edit)


def edit_file(path: Path, edit: Edit) -> Change:
    """Apply ``edit`` to the file at ``path``: a backup of the old content, an atomic write.

    A symlinked file (a dotfiles checkout) is written through the link, so the link stays.
    gorig processes editing files in one directory take turns (a lock on the directory).
    Other programs do not take that lock (an installer's ``echo ... >> ~/.zshrc``), so just
    before the rename the file is checked to still be the one that was read: if it was
    rewritten, the edit is redone on the new content; bytes appended to it meanwhile (even
    just after the rename, see _carry_over_appended) are carried over to the new file, so no
    line another program added is lost, though lines racing the rename may land after lines
    appended later.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GorigError(_failure("write", target, None, error.strerror)) from None
    lock = _lock_directory(target.parent)
    try:
        for _attempt_number in range(ATTEMPTS):
            change = _attempt(path, target, edit)
            if change is not None:
                return change
    finally:
        if lock is not None:
            os.close(lock)
    raise GorigError(
        _(
            "{path} kept changing while gorig edited it; it was left as it is, run the command "
            "again"
        ).format(path=target)
    )


class _Rewritten(Exception):
    """Another program replaced or rewrote the file while gorig edited it."""


def _attempt(path: Path, target: Path, edit: Edit) -> Change | None:
    """One try at the edit; None when another program rewrote the file meanwhile.

    The new content is written and synced first, then the backup is replaced (one rename),
    then the file is checked and renamed into place: a failure at any step before the last
    leaves the file and any earlier backup as they were, which is what the message says.
    """
    handle = _open_existing(target)
    try:
        return _edit_once(path, target, edit, handle)
    finally:
        if handle is not None:
            handle.close()


def _edit_once(path: Path, target: Path, edit: Edit, handle: BinaryIO | None) -> Change | None:
    """The edit of the file open as ``handle`` (None: there is none), as _attempt says."""
    old_bytes = None if handle is None else _read_all(handle, target)
    old = None if old_bytes is None else decode(old_bytes)
    new = edit(old)
    if new is None or new == old:
        return Change(path, changed=False, backup=None, created=False)
    mode = 0o644 if handle is None else os.fstat(handle.fileno()).st_mode & 0o7777
    backup = None if old_bytes is None else target.with_name(target.name + BACKUP_SUFFIX)
    step = "write"
    try:
        with atomic_file(target, mode) as out:
            out.write(encode(new))
            out.flush()
            os.fsync(out.fileno())  # the slow step, before the check, not after it
            step = "backup"
            if backup is not None and old_bytes is not None:
                write_atomic(backup, old_bytes, mode)
            if not _unchanged(target, handle, old_bytes):
                raise _Rewritten
            step = "rename"
    except _Rewritten:
        return None
    except OSError as error:
        raise GorigError(_failure(step, target, backup, error.strerror)) from None
    if handle is not None and old_bytes is not None:
        _carry_over_appended(handle, len(old_bytes), target)
    return Change(path, changed=True, backup=backup, created=old is None)


def _failure(step: str, target: Path, backup: Path | None, reason: str | None) -> str:
    """What a failed write left behind, truthfully."""
    if step == "backup" and backup is not None:
        return _("cannot write {path}: {why}; nothing was changed").format(path=backup, why=reason)
    if step == "rename" and backup is not None:
        return _(
            "cannot write {path}: {why}; it was not changed (a copy of it is in {backup})"
        ).format(path=target, why=reason, backup=backup)
    return _("cannot write {path}: {why}; nothing was changed").format(path=target, why=reason)


def _open_existing(path: Path) -> BinaryIO | None:
    """The regular file at ``path`` open for reading, or None when there is none."""
    try:
        return open_regular(path)
    except NotRegularFile:
        raise GorigError(
            _("{path} is not a regular file; gorig edits only regular files").format(path=path)
        ) from None
    except OSError as error:
        raise GorigError(
            _("cannot read {path}: {why}").format(path=path, why=error.strerror)
        ) from None


def _read_all(handle: BinaryIO, path: Path) -> bytes:
    try:
        return read_at_most(handle, MAX_BYTES, path)
    except FileTooLarge:
        raise GorigError(
            _("{path} is larger than {mib} MiB; gorig does not edit it").format(
                path=path, mib=MAX_BYTES >> 20
            )
        ) from None
    except OSError as error:
        raise GorigError(
            _("cannot read {path}: {why}").format(path=path, why=error.strerror)
        ) from None


def _unchanged(target: Path, handle: BinaryIO | None, old: bytes | None) -> bool:
    """Whether ``target`` is still the file read as ``old``, bytes appended aside."""
    try:
        now = target.stat()
    except FileNotFoundError:
        return handle is None
    if handle is None or old is None:
        return False
    then = os.fstat(handle.fileno())
    if (now.st_dev, now.st_ino) != (then.st_dev, then.st_ino):
        return False  # replaced by a rename
    handle.seek(0)
    return handle.read(len(old)) == old


def _carry_over_appended(handle: BinaryIO, offset: int, target: Path) -> None:
    """Append to ``target`` what other programs appended to the old file (``handle``).

    A writer that opened the old file just before the rename writes to it a moment later.
    Where the system says whether anyone still has the old file open for writing (Linux),
    it is watched until nobody has (at most :data:`HOLD_LIMIT` seconds), then read once
    more: a closed writer has nothing left to write, and no one can open the file by its
    name any more (only through another hard link, or by an open the kernel was in the
    middle of at the rename, microseconds before). Elsewhere it is watched until it has been
    quiet for :data:`SETTLE` seconds, or five times that for a file something is writing
    now (changed within the last second, or appended to during the edit), whose writer may
    be slowed down by a busy machine; a writer stalled longer than that between its open
    and its write loses lines.
    """
    busy = time.time() - os.fstat(handle.fileno()).st_mtime < 1.0
    quiet_since = time.monotonic()
    deadline = quiet_since + HOLD_LIMIT
    while True:
        writing = _open_for_writing(handle)  # asked first: a closed writer's bytes are there
        handle.seek(offset)
        appended = handle.read(MAX_BYTES)
        if appended:
            _append(target, appended)
            offset += len(appended)
            busy = True
            quiet_since = time.monotonic()
        if writing is False:  # and no one can open it by its name any more
            return
        now = time.monotonic()
        settled = writing is None and now - quiet_since >= SETTLE * (5 if busy else 1)
        if settled or now >= deadline:
            return
        time.sleep(SETTLE / 10)


def _open_for_writing(handle: BinaryIO) -> bool | None:
    """Whether any process has the file of ``handle`` open for writing; None: cannot tell.

    Linux refuses a read lease on a file open for writing (the caller's own read-only
    ``handle`` aside), so taking one and giving it back at once tells. While the lease is
    held, a process opening the file for writing waits for its release and the kernel
    signals the holder: the signal is SIGURG, which a process ignores unless it handles it
    (the default SIGIO would end gorig).
    """
    try:
        import fcntl
        import signal

        lease, setsig = fcntl.F_SETLEASE, fcntl.F_SETSIG
    except (ImportError, AttributeError):
        return None  # not Linux
    descriptor = handle.fileno()
    try:
        fcntl.fcntl(descriptor, setsig, signal.SIGURG)
        fcntl.fcntl(descriptor, lease, fcntl.F_RDLCK)
    except BlockingIOError:
        return True
    except OSError:
        return None  # not the owner, or a file system without leases
    fcntl.fcntl(descriptor, lease, fcntl.F_UNLCK)
    return False


def _append(target: Path, data: bytes) -> None:
    try:
        with target.open("ab") as file:
            file.write(data)
    except OSError as error:
        raise GorigError(
            f"{target} was updated, but {len(data)} bytes another program appended to it "
            f"meanwhile could not be added back ({error.strerror})"
        ) from None


def _lock_directory(directory: Path) -> int | None:
    """An exclusive advisory lock on ``directory`` (its descriptor: close it to unlock).

    Where there are no such locks (Windows, some network file systems) the edit goes on
    unlocked (None): the check before the rename still catches a rewrite.
    """
    try:
        import fcntl
    except ImportError:
        return None
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor
