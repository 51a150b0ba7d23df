"""One Go version, ordered as Go's ``internal/gover`` orders them.

``1.21`` (a language version) < ``1.21rc1`` < ``1.21.0`` < ``1.21.1``; pre-releases order
``alpha`` < ``beta`` < ``rc``. Before Go 1.21 the first release of a line was named
without ``.0`` (``go1.20``), which :attr:`GoVersion.release_name` keeps.
"""

from __future__ import annotations

import re

from gorig.errors import EXIT_USAGE, GorigError

_VERSION = re.compile(
    r"^(?:go)?(?P<major>\d+)\.(?P<minor>\d+)"
    r"(?:\.(?P<patch>\d+)|(?P<kind>alpha|beta|rc)(?P<pre>\d+))?$"
)
_KIND_ORDER = {"": 3, "alpha": 0, "beta": 1, "rc": 2}


class GoVersion:
    """A parsed Go version; immutable and hashable; compare with ``<``, sort with ``sorted``.

    A plain slotted class rather than a frozen dataclass: no local command imports
    ``dataclasses`` (tests/core/test_core_budget.py).
    """

    __slots__ = ("kind", "major", "minor", "patch", "pre")
    major: int
    minor: int
    patch: int | None
    kind: str
    pre: int

    def __init__(
        self,
        major: int,
        minor: int,
        patch: int | None = None,  # None for "1.22" and for pre-releases
        kind: str = "",  # "", "alpha", "beta" or "rc"
        pre: int = 0,
    ) -> None:
        for name, value in (
            ("major", major), ("minor", minor), ("patch", patch), ("kind", kind), ("pre", pre)
        ):  # fmt: skip
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"GoVersion is immutable (tried to set {name})")

    def _fields(self) -> tuple[int, int, int | None, str, int]:
        return (self.major, self.minor, self.patch, self.kind, self.pre)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoVersion) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"GoVersion({str(self)!r})"

    @property
    def is_prerelease(self) -> bool:
        return self.kind != ""

    @property
    def is_language(self) -> bool:
        """``1.22`` with no patch: a language version, or a pre-1.21 first release."""
        return self.patch is None and not self.kind

    @property
    def series(self) -> tuple[int, int]:
        return self.major, self.minor

    def sort_key(self) -> tuple[int, int, int, int, int]:
        # Language versions sort before the line's pre-releases, which sort before .0.
        if self.is_language:
            return (self.major, self.minor, -2, 0, 0)
        if self.kind:
            return (self.major, self.minor, -1, _KIND_ORDER[self.kind], self.pre)
        assert self.patch is not None
        return (self.major, self.minor, self.patch, 3, 0)

    def __lt__(self, other: GoVersion) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: GoVersion) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: GoVersion) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: GoVersion) -> bool:
        return self.sort_key() >= other.sort_key()

    def __str__(self) -> str:
        if self.kind:
            return f"{self.major}.{self.minor}{self.kind}{self.pre}"
        if self.patch is None:
            return f"{self.major}.{self.minor}"
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def tag(self) -> str:
        """``go1.22.5``: the name Go itself uses (``go version``, ``GOTOOLCHAIN``)."""
        return f"go{self}"

    @property
    def release_name(self) -> str:
        """The official release's file-name version: ``go1.20`` for 1.20.0, else :attr:`tag`."""
        if self.patch == 0 and not self.kind and (self.major, self.minor) < (1, 21):
            return f"go{self.major}.{self.minor}"
        return self.tag

    def as_release(self) -> GoVersion:
        """``1.22`` read as a toolchain means ``1.22.0`` (Go's go.mod rule)."""
        return GoVersion(self.major, self.minor, 0) if self.is_language else self


def parse_version(text: str) -> GoVersion:
    """Parse ``go1.22.5``, ``1.22.5``, ``1.22``, ``1.23rc1``; raise :class:`GorigError` if not."""
    match = _VERSION.match(text.strip())
    if match is None:
        raise GorigError(
            f"{text!r} is not a Go version; write it like 1.22, 1.22.5, go1.22.5 or 1.23rc1",
            exit_code=EXIT_USAGE,
        )
    patch = match["patch"]
    return GoVersion(
        major=int(match["major"]),
        minor=int(match["minor"]),
        patch=int(patch) if patch is not None else None,
        kind=match["kind"] or "",
        pre=int(match["pre"]) if match["pre"] else 0,
    )
