"""What every source shares: its settings, its two questions, and how it says "not here"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass
class SourceConfig:
    """Everything a source needs to know, from flags, environment and config."""

    index_url: str = OFFICIAL_INDEX
    download_base: str = OFFICIAL_BASE
    mirror: str | None = None
    trust_mirror: bool = False
    pip_indexes: list[str] | None = None  # None: as pip is configured in ``env``
    env: dict[str, str] = field(default_factory=dict)
    sha256: str | None = None
    http: HttpSettings = field(default_factory=HttpSettings)


@dataclass
class Source:
    """A named way of turning a request into an artifact, and of listing releases."""

    label: str
    resolve: Callable[[GoVersion | None, str, str], Artifact]
    releases: Callable[[], list[Release]]
