"""go.dev's release index (or golang.google.cn's): the files, and the SHA-256 every other
archive source is checked against."""

from __future__ import annotations

from urllib.parse import urljoin

from gorig.toolchains.download import DownloadError, HttpSettings, fetch_json
from gorig.toolchains.index import Artifact, Origin, Release, parse_official_index, pick
from gorig.toolchains.sources.source import Source, SourceUnavailable
from gorig.versions.version import GoVersion


def official_releases(index_url: str, http: HttpSettings) -> list[Release]:
    """The releases go.dev's index lists; :class:`SourceUnavailable` when it cannot answer."""
    try:
        return parse_official_index(fetch_json(index_url, settings=http))
    except DownloadError as error:
        raise SourceUnavailable(f"the release index is unreachable: {error}") from None


def source(index_url: str, base: str, http: HttpSettings, label: str = "official") -> Source:
    """Files from ``base``, listed and checked by the index at ``index_url``."""
    origin = Origin("official", base, "official index")

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        release, file = pick(official_releases(index_url, http), request, goos, goarch)
        return Artifact.listed(release, file, goos, goarch, origin, urljoin(base, file.filename))

    return Source(label, resolve, lambda: official_releases(index_url, http))
