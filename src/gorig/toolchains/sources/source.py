"""What every source shares: its settings, its two questions, and how it says "not here"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorig.errors import GorigError
from gorig.toolchains.download import HttpSettings
from gorig.toolchains.index import Artifact, Release
from gorig.versions.version import GoVersion

OFFICIAL_INDEX = "https://go.dev/dl/?mode=json&include=all"
OFFICIAL_BASE = "https://dl.google.com/go/"
GOOGLE_CN_INDEX = "https://golang.google.cn/dl/?mode=json&include=all"
GOOGLE_CN_BASE = "https://golang.google.cn/dl/"


class SourceUnavailable(GorigError):
    """A source could not be reached or listed (``auto`` moves on to the next one)."""


@dataclass(frozen=True)
class Home:
    """One place that publishes the official index, and where its files are."""

    index_url: str
    download_base: str

    @property
    def name(self) -> str:
        """The host narration names it by (``go.dev``, ``golang.google.cn``)."""
        from urllib.parse import urlsplit

        return urlsplit(self.index_url).netloc or self.index_url


@dataclass
class SourceConfig:
    """Everything a source needs to know, from flags, environment and config.

    The official index has two homes: ``index_url`` (go.dev) and ``cn_index_url``
    (golang.google.cn, None when the index was pointed elsewhere); both are asked at once.
    ``cache_dir`` keeps the last good index and the source that served last.
    """

    index_url: str = OFFICIAL_INDEX
    download_base: str = OFFICIAL_BASE
    cn_index_url: str | None = GOOGLE_CN_INDEX
    cn_download_base: str = GOOGLE_CN_BASE
    mirror: str | None = None
    trust_mirror: bool = False
    pip_indexes: list[str] | None = None  # None: as pip is configured in ``env``
    env: dict[str, str] = field(default_factory=dict)
    sha256: str | None = None
    http: HttpSettings = field(default_factory=HttpSettings)
    cache_dir: Path | None = None
    answers: dict[str, Any] = field(default_factory=dict)  # what was fetched in this run

    @property
    def homes(self) -> tuple[Home, ...]:
        main = Home(self.index_url, self.download_base)
        if self.cn_index_url is None:
            return (main,)
        return main, self.cn_home

    @property
    def cn_home(self) -> Home:
        return Home(self.cn_index_url or GOOGLE_CN_INDEX, self.cn_download_base)

    def note(self, line: str) -> None:
        """Say a slow or failed network step (on stderr, from the CLI)."""
        if self.http.note is not None:
            self.http.note(line)


@dataclass
class Source:
    """A named way of turning a request into an artifact, and of listing releases."""

    label: str
    resolve: Callable[[GoVersion | None, str, str], Artifact]
    releases: Callable[[], list[Release]]
