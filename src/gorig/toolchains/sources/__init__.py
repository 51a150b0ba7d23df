"""Where toolchains come from: the official index, mirrors, a package index, a module proxy,
local files.

Each source turns (version request, os, arch) into an :class:`~gorig.toolchains.index.Artifact`
(a URL or local path, the expected SHA-256 from a *trusted* index or the checksum database,
and its typed origin) and lists the releases it offers. The index formats are parsed in
:mod:`gorig.toolchains.index` (pure); here is the network.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from gorig.errors import GorigError
from gorig.toolchains.sources import file, goproxy, mirror, official, pypi
from gorig.toolchains.sources.mirror import MIRROR_PRESETS
from gorig.toolchains.sources.source import (
    GOOGLE_CN_BASE,
    GOOGLE_CN_INDEX,
    OFFICIAL_BASE,
    OFFICIAL_INDEX,
    Source,
    SourceConfig,
    SourceUnavailable,
)

__all__ = [
    "MIRROR_PRESETS",
    "OFFICIAL_BASE",
    "OFFICIAL_INDEX",
    "Settings",
    "Source",
    "SourceUnavailable",
    "make_source",
]


def make_source(spec: str, settings: SourceConfig) -> Source:
    """The source a ``--source`` value names (see docs/toolchains.md)."""
    spec = spec.strip()
    if spec in ("", "official"):
        return official.source(settings.index_url, settings.download_base, settings.http)
    if spec == "google-cn":
        return official.source(GOOGLE_CN_INDEX, GOOGLE_CN_BASE, settings.http, "google-cn")
    if spec == "pypi":
        return pypi.source(settings)
    if spec == "auto":
        return auto(settings)
    if spec.startswith("mirror:") or spec in MIRROR_PRESETS:
        return mirror.source(spec.removeprefix("mirror:"), settings)
    if spec.startswith("file:"):
        return file.source(Path(spec.removeprefix("file:")).expanduser(), settings)
    if spec == "goproxy" or spec.startswith("goproxy:"):
        return goproxy.source(spec.removeprefix("goproxy").removeprefix(":") or None, settings)
    raise GorigError(
        f"unknown source {spec!r}; use official, google-cn, mirror:URL, "
        f"{', '.join(MIRROR_PRESETS)}, pypi, goproxy[:URL], file:PATH or auto"
    )


def auto(settings: SourceConfig) -> Source:
    """Official, then the configured mirror, then PyPI: the first that answers serves."""
    chain = [official.source(settings.index_url, settings.download_base, settings.http)]
    if settings.mirror:
        chain.append(mirror.source(settings.mirror, settings))
    chain.append(pypi.source(settings))

    def first(call: Callable[[Source], Any]) -> Any:
        problems = []
        for source in chain:
            try:
                return call(source)
            except SourceUnavailable as error:
                problems.append(f"{source.label}: {error}")
        raise SourceUnavailable("no source answered: " + " | ".join(problems))

    return Source(
        "auto",
        lambda r, o, a: first(lambda s: s.resolve(r, o, a)),
        lambda: first(lambda s: s.releases()),
    )
