"""Files on disk: the one place gorig reads a file from outside with a size cap, replaces a
file, swaps a symlink, hashes a file, makes a fresh directory or removes a tree.

A kill or a crash at any moment leaves the old content or the new one, never a mix: the
bytes go to a temporary file beside the target, are flushed to the disk (``fsync``), and
one rename puts them in place; on any failure the temporary file is removed. A symlink is
swapped the same way, so there is never a moment without the link.

A file from outside (a config file, a pin, a facts document, an rc file, a mirror's index)
is read with :func:`read_capped`: never more than its cap plus one byte, whatever the path
names (``/dev/zero`` behind a link, a FIFO nobody writes).

Only ``os`` (and ``errno`` and ``stat``, which ``os`` loads anyway) is imported: the doctor's
``--save``, ``use`` and shell start-up are on start-up paths.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing costs start-up time; the imports below are for mypy only
if TYPE_CHECKING:
    import hashlib
    from contextlib import AbstractContextManager
    from typing import BinaryIO

    StrPath = str | os.PathLike[str]

PIECE = 1 << 20  # bytes read at a time when hashing


class NotRegularFile(OSError):
    """A directory, FIFO, device or socket (``kind``) where a regular file was expected."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(None, f"Is a {kind}, not a regular file", path)
        self.kind = kind


class FileTooLarge(OSError):
    """A file longer than the cap its reader allows (``limit`` bytes)."""

    def __init__(self, path: str, limit: int) -> None:
        super().__init__(errno.EFBIG, f"Larger than {limit} bytes", path)
        self.limit = limit


def _check_regular(path: StrPath, mode: int) -> None:
    """Raise :class:`NotRegularFile` unless ``mode`` is a regular file's."""
    if stat.S_ISREG(mode):
        return
    kinds = ((stat.S_ISDIR, "directory"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"))
    kind = next((name for test, name in kinds if test(mode)), "device")
    raise NotRegularFile(os.fspath(path), kind)


def open_regular(path: StrPath) -> BinaryIO | None:
    """The regular file at ``path`` open for reading; None when nothing is there.

    Anything else is :class:`NotRegularFile`, found before the open (opening a device or a
    FIFO can block or have effects) and again on the open descriptor (swapped meanwhile);
    the open does not wait for a FIFO's writer nor take a terminal as controlling one.
    Other failures are the ``OSError`` the system gave.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        _check_regular(path, os.stat(path).st_mode)
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        return None
    file = os.fdopen(descriptor, "rb")
    try:
        _check_regular(path, os.fstat(descriptor).st_mode)
    except BaseException:
        file.close()
        raise
    return file


def read_at_most(file: BinaryIO, limit: int, path: StrPath) -> bytes:
    """The rest of ``file``, at most ``limit`` bytes; :class:`FileTooLarge` past that.

    One byte over the cap is read to know, never more: memory stays bounded whatever the
    file is.
    """
    data = file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(os.fspath(path), limit)
    return data


def read_capped(path: StrPath, limit: int, *, only_regular: bool = True) -> bytes | None:
    """The bytes of the file at ``path``, at most ``limit``; None when there is none.

    Past ``limit`` is :class:`FileTooLarge`; what is not a regular file is
    :class:`NotRegularFile` (see :func:`open_regular`). With ``only_regular=False`` any
    path is read as a stream, blocking as the system does: a pipe from the shell's
    ``<(...)`` works, ``/dev/zero`` is too large. Both errors are ``OSError``, whose
    ``strerror`` a caller puts in its one-line message as for any other.
    """
    if only_regular:
        file = open_regular(path)
        if file is None:
            return None
    else:
        try:
            file = open(path, "rb")  # noqa: SIM115 - closed by the with below
        except FileNotFoundError:
            return None
    with file:
        return read_at_most(file, limit, path)


def _temporary_name(target: str) -> str:
    directory, name = os.path.split(target)
    return os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")


def _fsync_directory(directory: str) -> None:
    """Make a rename in ``directory`` durable (POSIX; a no-op where directories cannot
    be opened)."""
    try:
        handle = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems refuse fsync on a directory; the rename is still atomic
    finally:
        os.close(handle)


def _mode_for(target: str, mode: int | None) -> int:
    """``mode``, else the permission bits of the file being replaced, else 0o644."""
    if mode is not None:
        return mode
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return 0o644


class _AtomicFile:
    """The context manager behind :func:`atomic_file` (no contextlib: start-up time)."""

    def __init__(self, target: str, mode: int | None, durable: bool) -> None:
        self.target = target
        self.durable = durable
        self.mode = _mode_for(target, mode)
        self.temporary = _temporary_name(target)
        self.file: BinaryIO | None = None

    def __enter__(self) -> BinaryIO:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        handle = os.open(self.temporary, flags, 0o600)
        self.file = os.fdopen(handle, "wb")
        return self.file

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        assert self.file is not None
        try:
            if kind is None and self.durable:
                self.file.flush()
                os.fsync(self.file.fileno())
            self.file.close()
            if kind is None:
                os.chmod(self.temporary, self.mode)
                os.replace(self.temporary, self.target)
                if self.durable:
                    _fsync_directory(os.path.dirname(self.target))
        except BaseException:
            _remove(self.temporary)
            raise
        if kind is not None:
            _remove(self.temporary)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone, or never made: nothing of ours is left either way


def atomic_file(
    target: StrPath, mode: int | None = None, *, durable: bool = True
) -> AbstractContextManager[BinaryIO]:
    """``with atomic_file(path) as out: out.write(...)``: the target is replaced when the
    block ends without an error, and untouched (no temporary file left) when it raises.

    ``mode`` is the new file's permission bits; by default those of the file it replaces,
    else 0o644. The directory must exist. ``durable`` (the default) fsyncs the file and
    its directory, so the new content survives a power cut; without it the replacement is
    still atomic under kills, for files whose writer checks and rewrites them anyway.
    """
    return _AtomicFile(os.fspath(target), mode, durable)


def write_atomic(
    target: StrPath, data: bytes, mode: int | None = None, *, durable: bool = True
) -> None:
    """Replace ``target`` with ``data`` atomically (see :func:`atomic_file`)."""
    with atomic_file(target, mode, durable=durable) as out:
        out.write(data)


def swap_symlink(link: StrPath, target: StrPath) -> None:
    """Point ``link`` at ``target`` with one rename (never a moment without a link).

    The parent directory is made when missing; ``target`` is stored as given (relative
    targets stay relative).
    """
    link = os.fspath(link)
    directory = os.path.dirname(link)
    if directory:
        os.makedirs(directory, exist_ok=True)
    temporary = _temporary_name(link)
    os.symlink(os.fspath(target), temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        _remove(temporary)
        raise
    _fsync_directory(directory)


def sha256_running(path: StrPath) -> hashlib._Hash:
    """The SHA-256 of a file's bytes so far, as a hash object a caller can keep feeding
    (a resumed download); read a piece at a time, never whole."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while piece := file.read(PIECE):
            digest.update(piece)
    return digest


def sha256_file(path: StrPath) -> str:
    """A file's SHA-256 as lower-case hex: the one file hash of gorig."""
    return sha256_running(path).hexdigest()


def fresh_directory(parent: StrPath, prefix: str) -> str:
    """A new empty directory in ``parent``, private to the user, named ``prefix`` and random
    letters: what ``tempfile.mkdtemp`` makes (tempfile brings shutil and the compressors
    onto ``gorig uninstall``'s start-up)."""
    while True:
        path = os.path.join(parent, f"{prefix}{os.urandom(6).hex()}")
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            continue
        return path


def remove_tree(path: StrPath) -> None:
    """Delete ``path`` and everything under it, never following a symlink; what cannot be
    deleted is left (``shutil.rmtree(path, ignore_errors=True)``, without shutil)."""
    try:
        entries = list(os.scandir(path))
    except NotADirectoryError:
        _remove(os.fspath(path))
        return
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            remove_tree(entry.path)
        else:
            _remove(entry.path)
    try:
        os.rmdir(path)
    except OSError:
        pass  # something under it could not go: it stays, as rmtree(ignore_errors) leaves it
