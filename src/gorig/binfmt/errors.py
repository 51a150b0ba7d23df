"""The two ways reading an executable fails: not one at all, or one that is damaged."""

from __future__ import annotations

from gorig.errors import GorigError


class NotExecutable(GorigError):
    """The file is not an executable format gorig reads (ELF, Mach-O, PE)."""


class BinfmtError(GorigError):
    """The file claims an executable format but its headers are truncated or hostile."""


class UnreadableFile(BinfmtError):
    """The file could not be opened or read at all (permissions, a vanished file)."""
