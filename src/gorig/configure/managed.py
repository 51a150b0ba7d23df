"""The one editor for files the user owns: a marked block, a backup, an atomic write.

A block is the lines from ``# >>> gorig >>>`` to ``# <<< gorig <<<``. Everything outside it
is kept byte for byte (files are read as bytes and decoded with ``surrogateescape``, so even
invalid UTF-8 survives). A new block is appended after one newline character; removing the
block takes that newline away again, so setting a block up and removing it gives back the
original file exactly.
"""

from __future__ import annotations

import re
from pathlib import Path

from gorig.errors import GorigError
from gorig.fs import write_atomic
from gorig.record import Record

BEGIN = "# >>> gorig >>>"
END = "<<< gorig <<<"
END_LINE = f"# {END}"
BACKUP_SUFFIX = ".gorig-backup"
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
            raise GorigError(f"{where} has '{END_LINE}' without '{BEGIN}'; fix the file by hand")
        return None
    end = _END_RE.search(text, begin.end())
    if end is None:
        raise GorigError(f"{where} has '{BEGIN}' without '{END_LINE}'; fix the file by hand")
    if _BEGIN_RE.search(text, end.end()):
        raise GorigError(f"{where} has more than one gorig block; keep one and run again")
    return begin.start(), end.end()


def set_block(text: str, body: str | None, where: str = "the file") -> str:
    """``text`` with gorig's block set to ``body``, or removed when ``body`` is None."""
    span = _find(text, where)
    if body is None:
        if span is None:
            return text
        start, end = span
        if start > 0 and text[start - 1] == "\n":
            start -= 1  # the newline added when the block was appended
        return text[:start] + text[end:]
    block = render_block(body)
    if span is None:
        return f"{text}\n{block}"
    start, end = span
    return text[:start] + block + text[end:]


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def read_text(path: Path) -> str | None:
    """A user file as text that re-encodes to the same bytes; None when it does not exist."""
    try:
        return decode(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as error:
        raise GorigError(f"cannot read {path}: {error.strerror}") from error


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
    """Write ``text`` to ``path`` atomically, keeping a backup of the previous content.

    A symlinked file (a dotfiles checkout) is written through the link, so the link stays.
    Nothing is written when the content is unchanged.
    """
    target = path.resolve() if path.is_symlink() else path
    old = read_text(target)
    if old == text:
        return Change(path, changed=False, backup=None, created=False)
    backup = target.with_name(target.name + BACKUP_SUFFIX) if old is not None else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if backup is not None:
            import shutil

            shutil.copy2(target, backup)
        write_atomic(target, encode(text))
    except OSError as error:
        raise GorigError(f"cannot write {target}: {error.strerror}; nothing was changed") from error
    return Change(path, changed=True, backup=backup, created=old is None)


def update_block(path: Path, body: str | None) -> Change:
    """Set (or with None remove) gorig's block in the file at ``path``."""
    old = read_text(path)
    if old is None and body is None:
        return Change(path, changed=False, backup=None, created=False)
    new = set_block(old or "", body, str(path))
    if old is None:
        new = render_block(body or "")  # a new file holds just the block
    return write_file(path, new)
