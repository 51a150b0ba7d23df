"""The last good official index, kept in the store with when it was fetched and its validators.

The file is gorig's own, but it is read back as untrusted input: a file of the wrong shape
is ignored (and replaced by the next good answer), never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gorig.i18n import ngettext
from gorig.toolchains.download import Fetched

FILE = "official-index.json"


@dataclass(frozen=True)
class Cached:
    url: str
    fetched: float  # seconds since the epoch
    etag: str | None
    last_modified: str | None
    data: Any  # the index JSON, as the home sent it

    @classmethod
    def of(cls, url: str, answer: Fetched, data: Any) -> Cached:
        headers = {name.lower(): value for name, value in answer.headers.items()}
        return cls(url, time.time(), headers.get("etag"), headers.get("last-modified"), data)

    def refreshed(self, answer: Fetched) -> Cached:
        """The same index after a 304: fetched now, with any new validators."""
        headers = {name.lower(): value for name, value in answer.headers.items()}
        return replace(
            self,
            fetched=time.time(),
            etag=headers.get("etag", self.etag),
            last_modified=headers.get("last-modified", self.last_modified),
        )

    def validators(self) -> dict[str, str]:
        """The headers of a conditional request for this index."""
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


def load(directory: Path | None) -> Cached | None:
    """The cached index, or None (no cache, or a file that is not one)."""
    if directory is None:
        return None
    try:
        raw = json.loads((directory / FILE).read_text(encoding="utf-8"))
        cached = Cached(
            raw["url"],
            float(raw["fetched"]),
            raw.get("etag"),
            raw.get("last_modified"),
            raw["data"],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(cached.url, str) or not isinstance(cached.data, list):
        return None
    for validator in (cached.etag, cached.last_modified):
        if validator is not None and not isinstance(validator, str):
            return None
    return cached


def save(directory: Path | None, cached: Cached) -> None:
    """Replace the cache in one rename; a cache that cannot be written is only a lost cache."""
    if directory is None:
        return
    record = {
        "url": cached.url,
        "fetched": cached.fetched,
        "etag": cached.etag,
        "last_modified": cached.last_modified,
        "data": cached.data,
    }
    temporary = directory / f".{FILE}.{os.getpid()}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(record), encoding="utf-8")
        temporary.replace(directory / FILE)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def describe_age(seconds: float) -> str:
    """``40 s``, ``5 min``, ``3 h``, ``2 days``."""
    if seconds < 90:
        return f"{max(seconds, 0):.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h"
    days = round(seconds / 86400)
    return ngettext("{count} day", "{count} days", days).format(count=days)
