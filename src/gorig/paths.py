"""pathlib's ``Path`` for the modules of local commands, imported without ``urllib.parse``.

pathlib imports ``urllib.parse`` only for ``Path.as_uri``; here it is given a
``quote_from_bytes`` that imports the real one on its first call (see :mod:`gorig.standin`).
A module on a local command's path imports ``Path`` from here; elsewhere ``pathlib`` is
imported directly (whichever comes first, ``Path`` is pathlib's own class).
"""

from __future__ import annotations

from gorig.standin import import_without


def _quote_from_bytes(data: bytes, safe: str = "/") -> str:
    """``urllib.parse.quote_from_bytes``, imported when ``Path.as_uri`` first needs it."""
    from urllib.parse import quote_from_bytes

    return quote_from_bytes(data, safe)


import_without("pathlib", "urllib.parse", quote_from_bytes=_quote_from_bytes)

from pathlib import Path  # noqa: E402  (imported just above, without urllib.parse)

__all__ = ["Path"]
