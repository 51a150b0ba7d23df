"""Proof that a checksum database record is in the signed tree (golang.org/x/mod/sumdb/tlog).

The database is a Merkle tree over its records (RFC 6962 hashing: a leaf is
SHA-256(0x00 || record), a node SHA-256(0x01 || left || right)). The signed note gives the
tree size and root hash. The hashes of complete, aligned subtrees are published in *tiles*
of height 8: ``tile/8/<L>/<N>[.p/<W>]`` holds the ``W`` hashes at tree level ``8*L`` with
indexes ``N*256 ..``; higher levels inside a tile are computed from that bottom row.

Rather than fetching a ready-made proof, :func:`root_with_record` recomputes the root of
the whole tree with the record's own leaf hash in place, taking every other subtree hash
from the tiles. Only a root equal to the signed one is accepted, so a tile or record that
was tampered with cannot pass (that would need a SHA-256 collision).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from gorig.errors import GorigError
from gorig.i18n import _

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
HASH_SIZE = 32

# (tile level, tile index, width) -> the tile's bytes (at least width * 32).
TileReader = Callable[[int, int, int], bytes]


def record_hash(record: bytes) -> bytes:
    """The leaf hash of a record's text."""
    return hashlib.sha256(b"\x00" + record).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def tile_path(level: int, index: int, width: int) -> str:
    """``tile/8/<level>/<index>[.p/<width>]`` with the index in x-prefixed 3-digit groups."""
    digits = f"{index % 1000:03d}"
    while index >= 1000:
        index //= 1000
        digits = f"x{index % 1000:03d}/{digits}"
    partial = "" if width == TILE_WIDTH else f".p/{width}"
    return f"tile/{TILE_HEIGHT}/{level}/{digits}{partial}"


class _Tiles:
    """Subtree hashes read from tiles, each tile fetched once."""

    def __init__(self, size: int, read: TileReader) -> None:
        self.size = size
        self.read = read
        self.cache: dict[tuple[int, int, int], bytes] = {}

    def subtree(self, start: int, end: int) -> bytes:
        """The hash of the leaves [start, end) (end may be the unbalanced right edge)."""
        count = end - start
        if count & (count - 1) == 0 and start % count == 0:
            return self._stored(count.bit_length() - 1, start // count)
        split = 1 << ((count - 1).bit_length() - 1)
        return node_hash(self.subtree(start, start + split), self.subtree(start + split, end))

    def _stored(self, level: int, index: int) -> bytes:
        """The hash of the complete subtree at ``level`` (2**level leaves), number ``index``."""
        tile_level, inner = divmod(level, TILE_HEIGHT)
        first = index << inner  # its first hash in the tile's bottom row
        tile_index = first // TILE_WIDTH
        row = self._row(tile_level, tile_index)
        offset = first - tile_index * TILE_WIDTH
        hashes = [
            row[i : i + HASH_SIZE]
            for i in range(offset * HASH_SIZE, (offset + (1 << inner)) * HASH_SIZE, HASH_SIZE)
        ]
        if len(hashes) != 1 << inner or any(len(h) != HASH_SIZE for h in hashes):
            raise GorigError(_("the checksum database sent a short tile; refusing its answer"))
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def _row(self, tile_level: int, tile_index: int) -> bytes:
        available = self.size >> (tile_level * TILE_HEIGHT)  # hashes at this tile level
        width = min(TILE_WIDTH, available - tile_index * TILE_WIDTH)
        key = (tile_level, tile_index, width)
        if key not in self.cache:
            self.cache[key] = self.read(*key)
        return self.cache[key]


def root_with_record(size: int, index: int, leaf: bytes, read: TileReader) -> bytes:
    """The root hash of a ``size``-record tree whose record ``index`` hashes to ``leaf``."""
    if not 0 <= index < size:
        raise GorigError(
            _("record {index} is not in a tree of {size} records").format(index=index, size=size)
        )
    tiles = _Tiles(size, read)

    def root(start: int, end: int) -> bytes:
        if not start <= index < end:
            return tiles.subtree(start, end)
        if end - start == 1:
            return leaf
        split = 1 << ((end - start - 1).bit_length() - 1)
        return node_hash(root(start, start + split), root(start + split, end))

    return root(0, size)
