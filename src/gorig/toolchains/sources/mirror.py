"""A server with go.dev's file layout: its bytes, checked against the official index."""

from __future__ import annotations

from gorig.errors import GorigError
from gorig.toolchains.download import (
    DownloadError,
    HttpSettings,
    fetch_bytes,
    parse_sha256_file,
)
from gorig.toolchains.index import Artifact, Origin, archive_filename, pick
from gorig.toolchains.sources.official import official_releases
from gorig.toolchains.sources.source import Source, SourceConfig, SourceUnavailable
from gorig.versions.version import GoVersion

MIRROR_PRESETS = {
    "aliyun": "https://mirrors.aliyun.com/golang/",
    "ustc": "https://mirrors.ustc.edu.cn/golang/",
    "nju": "https://mirrors.nju.edu.cn/golang/",
}


def source(base: str, settings: SourceConfig) -> Source:
    """A mirror serves the bytes; the SHA-256 comes from the official index unless trusted."""
    base = MIRROR_PRESETS.get(base, base).rstrip("/") + "/"
    origin = Origin("mirror", base, "official index")

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        try:
            releases = official_releases(settings.index_url, settings.http)
        except SourceUnavailable as error:
            if not settings.trust_mirror:
                raise SourceUnavailable(
                    f"{error}; without it the mirror's bytes cannot be checked "
                    "(pass --trust-mirror to accept the mirror's own .sha256)"
                ) from None
            return _trusted_mirror_artifact(base, request, goos, goarch, settings.http)
        release, file = pick(releases, request, goos, goarch)
        return Artifact.listed(release, file, goos, goarch, origin, base + file.filename)

    return Source(
        f"mirror {base}", resolve, lambda: official_releases(settings.index_url, settings.http)
    )


def _trusted_mirror_artifact(
    base: str, request: GoVersion | None, goos: str, goarch: str, http: HttpSettings
) -> Artifact:
    if request is None or request.is_language:
        raise GorigError("without the official index name an exact version, such as 1.22.5")
    filename = archive_filename(request, goos, goarch)
    listing = base + filename + ".sha256"
    try:
        digest = parse_sha256_file(fetch_bytes(listing, settings=http), filename, listing)
    except DownloadError as error:
        raise GorigError(f"the mirror has no usable {filename}.sha256 ({error})") from None
    origin = Origin("mirror", base, "mirror .sha256")
    return Artifact(request, goos, goarch, filename, digest, origin, url=base + filename)
