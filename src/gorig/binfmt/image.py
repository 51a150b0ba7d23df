"""What a format reader learns from one executable's headers (one slice of a universal file)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.binfmt.block import Region


class Image:
    """Header facts in Go's vocabulary, plus where Go looks for the build info block.

    ``regions`` is Go's address space (virtual address -> file bytes) and ``data_start`` the
    ``(address, size)`` Go's ``DataStart`` returns; a size of 0 means "no block here".
    """

    __slots__ = (
        "address_bias",
        "bits",
        "data_start",
        "dwarf",
        "endian",
        "goarch",
        "goos",
        "interpreter",
        "libraries",
        "linkage",
        "regions",
        "stripped",
    )

    def __init__(self, *, goos: str, goarch: str, bits: int, endian: str) -> None:
        self.goos = goos
        self.goarch = goarch
        self.bits = bits
        self.endian = endian
        self.linkage = "static"
        self.interpreter: str | None = None
        self.libraries: list[str] = []
        self.stripped = True
        self.dwarf = False
        self.regions: list[Region] = []
        self.data_start = (0, 0)
        self.address_bias = 0  # subtracted from every address first (a PE's ImageBase)
