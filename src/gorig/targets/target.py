"""One build target: ``GOOS/GOARCH[/VARIANT]``, plus ``darwin/universal``.

The variant is the value of the architecture's sub-variable (``GOARM`` for arm, ``GOAMD64``
for amd64...), written the way Go reads it: ``linux/arm/7``, ``linux/amd64/v3``,
``linux/arm64/v8.2,lse``. Whether the value is valid for a Go version is
:mod:`gorig.targets.check`'s business; parsing only checks the shape.
"""

from __future__ import annotations

import re

from gorig.errors import GorigError
from gorig.record import Record

# GOARCH -> the environment variable that selects its instruction-set variant.
SUBVARIABLE_OF: dict[str, str] = {
    "386": "GO386",
    "amd64": "GOAMD64",
    "arm": "GOARM",
    "arm64": "GOARM64",
    "mips": "GOMIPS",
    "mipsle": "GOMIPS",
    "mips64": "GOMIPS64",
    "mips64le": "GOMIPS64",
    "ppc64": "GOPPC64",
    "ppc64le": "GOPPC64",
    "riscv64": "GORISCV64",
    "wasm": "GOWASM",
}

SUBVARIABLES: tuple[str, ...] = tuple(dict.fromkeys(SUBVARIABLE_OF.values()))

UNIVERSAL = "universal"
# The thin slices a darwin/universal binary is made of.
UNIVERSAL_SLICES: tuple[str, ...] = ("amd64", "arm64")

# Patterns, compiled (and cached by re) where a target is first checked: ``gorig targets``
# lists ports without checking one.
WORD_SHAPE = r"^[a-z0-9]+$"
VARIANT_SHAPE = r"^[A-Za-z0-9.,_]+$"


class Target(Record):
    """What to build for. ``variant`` is the sub-variable's value, or None for Go's default.

    Targets sort by GOOS, GOARCH, then variant."""

    __slots__ = ("goos", "goarch", "variant")  # noqa: RUF023 - the order targets sort in
    goos: str
    goarch: str
    variant: str | None

    def __init__(self, goos: str, goarch: str, variant: str | None = None) -> None:
        super().__init__(goos=goos, goarch=goarch, variant=variant)

    def __str__(self) -> str:
        base = f"{self.goos}/{self.goarch}"
        return f"{base}/{self.variant}" if self.variant else base

    @property
    def port(self) -> str:
        """``GOOS/GOARCH`` without the variant."""
        return f"{self.goos}/{self.goarch}"

    @property
    def is_universal(self) -> bool:
        return self.goos == "darwin" and self.goarch == UNIVERSAL

    @property
    def subvariable(self) -> str | None:
        """The name of the sub-variable this architecture reads (``GOARM``...), if any."""
        return SUBVARIABLE_OF.get(self.goarch)

    def slices(self) -> list[Target]:
        """The thin targets to build: the two darwin slices for universal, else itself."""
        if self.is_universal:
            return [Target("darwin", arch) for arch in UNIVERSAL_SLICES]
        return [self]

    def env(self) -> dict[str, str]:
        """``GOOS``, ``GOARCH`` and, with a variant, its sub-variable, for ``go build``."""
        if self.is_universal:
            raise GorigError("darwin/universal is two builds; build its slices() one by one")
        env = {"GOOS": self.goos, "GOARCH": self.goarch}
        if self.variant is not None and self.subvariable is not None:
            env[self.subvariable] = self.variant
        return env


def parse_target(text: str) -> Target:
    """Parse ``linux/arm/7``, ``linux/amd64``, ``darwin/universal`` (shape only).

    Also accepts goreleaser's ``linux_arm_7`` spelling, since users copy it from there.
    """
    raw = text.strip()
    parts = raw.split("/") if "/" in raw else raw.split("_", 2)
    if len(parts) not in (2, 3) or not all(re.match(WORD_SHAPE, part) for part in parts[:2]):
        raise GorigError(
            f"{text!r} is not a target; write GOOS/GOARCH or GOOS/GOARCH/VARIANT, "
            "like linux/amd64, linux/arm/7 or darwin/universal"
        )
    variant = parts[2] if len(parts) == 3 else None
    if variant is not None and not re.match(VARIANT_SHAPE, variant):
        raise GorigError(f"{text!r}: the variant {variant!r} has characters Go never uses")
    target = Target(parts[0], parts[1], variant or None)
    if variant and target.subvariable is None:
        raise GorigError(
            f"{text!r}: GOARCH={target.goarch} has no sub-variable, so it takes no variant; "
            f"write {target.port}"
        )
    return target
