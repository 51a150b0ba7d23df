"""A server with go.dev's file layout: its bytes, checked against the official index.

What vouches for a mirror's bytes, in order: the official index from either home, the cached
index, then Go's checksum database (the archive's ``golang.org/toolchain`` module hash, the
way the go command trusts toolchains), and only when none of them can be reached the mirror's
own checksums, if the user said the mirror is trusted (``--trust-mirror``).

A mirror ``gorig mirror sync`` made also publishes ``index.json`` (go.dev's JSON shape): then
its versions come from it (what the mirror holds), and with ``--trust-mirror`` and nothing
else reachable, its checksums too.
"""

from __future__ import annotations

from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.download import (
    DownloadError,
    DownloadNotFound,
    HttpSettings,
    ProgressHook,
    Unreachable,
    download,
    fetch_bytes,
    fetch_json,
    parse_sha256_file,
)
from gorig.toolchains.index import (
    Artifact,
    Origin,
    Release,
    ReleaseFile,
    archive_filename,
    listed_digest,
    parse_official_index,
    pick,
)
from gorig.toolchains.sources.official import official_index
from gorig.toolchains.sources.source import Source, SourceConfig, SourceUnavailable
from gorig.versions.version import GoVersion

MIRROR_INDEX = "index.json"  # what ``gorig mirror sync`` writes beside the archives
MIRROR_PRESETS = {
    "aliyun": "https://mirrors.aliyun.com/golang/",
    "ustc": "https://mirrors.ustc.edu.cn/golang/",
    "nju": "https://mirrors.nju.edu.cn/golang/",
}


def source(base: str, settings: SourceConfig) -> Source:
    """A mirror serves the bytes; the SHA-256 comes from the official index (or see above)."""
    base = MIRROR_PRESETS.get(base, base).rstrip("/") + "/"

    held: list[list[Release] | None] = []  # the mirror's own index, read once

    def own_index() -> list[Release] | None:
        if not held:
            held.append(_mirror_index(base, settings.http))
        return held[0]

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        listed = own_index()
        try:
            answer = official_index(settings)
        except SourceUnavailable as error:
            if listed is not None:  # the mirror's index names the exact version it holds
                release, file = pick(listed, request, goos, goarch)
                request = release.version
            return _without_index(base, str(error), request, goos, goarch, settings, listed)
        release, file = pick(answer.releases if listed is None else listed, request, goos, goarch)
        digest = listed_digest(answer.releases, file.filename)
        if digest is None:
            if not settings.trust_mirror:
                raise GorigError(
                    _(
                        "{file} is not in the official index, so nothing checks the mirror's "
                        "copy; pass --trust-mirror to accept the mirror's own checksum"
                    ).format(file=file.filename)
                )
            return _from_mirror_index(base, release, file, goos, goarch)
        origin = Origin("mirror", base, answer.voucher)
        return Artifact(release.version, goos, goarch, file.filename, digest, origin,
                        base + file.filename, size=file.size)  # fmt: skip

    def releases() -> list[Release]:
        listed = own_index()
        return official_index(settings).releases if listed is None else listed

    return Source(f"mirror {base}", resolve, releases)


def _mirror_index(base: str, http: HttpSettings) -> list[Release] | None:
    """What the mirror's ``index.json`` lists; None when it publishes none (a plain mirror)."""
    try:
        return parse_official_index(fetch_json(base + MIRROR_INDEX, settings=http))
    except DownloadNotFound:
        return None
    except Unreachable as error:  # auto moves on; a bad URL or answer is the user's to fix
        raise SourceUnavailable(
            _("the mirror {base} cannot be reached: {error}").format(base=base, error=error)
        ) from None


def _from_mirror_index(
    base: str, release: Release, file: ReleaseFile, goos: str, goarch: str
) -> Artifact:
    """A file checked against the mirror's own index: only for a trusted mirror."""
    origin = Origin("mirror", base, "mirror index")
    return Artifact.listed(release, file, goos, goarch, origin, base + file.filename)


def _without_index(
    base: str,
    problem: str,
    request: GoVersion | None,
    goos: str,
    goarch: str,
    settings: SourceConfig,
    listed: list[Release] | None,
) -> Artifact:
    """No index: the checksum database vouches, else (trusted) the mirror's index or .sha256."""
    if request is None or request.is_language:
        raise SourceUnavailable(
            _("{problem}; without it name an exact version, such as 1.22.5").format(problem=problem)
        )
    held = pick(listed, request, goos, goarch)[1] if listed is not None else None
    filename = held.filename if held else archive_filename(request, goos, goarch)
    try:
        h1 = _recorded_hash(filename, settings)  # a wheel has no record: GorigError
    except GorigError as error:
        if not settings.trust_mirror:
            raise SourceUnavailable(
                _(
                    "{problem}, and the checksum database cannot vouch for {file} ({error}); "
                    "nothing can check the mirror's bytes (--trust-mirror accepts the mirror's "
                    "own .sha256 or index.json)"
                ).format(problem=problem, file=filename, error=error)
            ) from None
        if listed is not None:
            release, file = pick(listed, request, goos, goarch)
            return _from_mirror_index(base, release, file, goos, goarch)
        return _trusted_mirror_artifact(base, request, goos, goarch, settings.http)
    checking = _("{problem}; checking {file} against the checksum database instead")
    settings.note(checking.format(problem=problem, file=filename))
    origin = Origin("mirror", base, "checksum database")
    return Artifact(request, goos, goarch, filename, None, origin, url=base + filename, h1=h1)


def _recorded_hash(filename: str, settings: SourceConfig) -> str:
    """The checksum database's ``h1:`` hash of the toolchain module behind an archive."""
    from gorig.toolchains.trust import module, sumdb

    version = module.module_version(filename)
    found = sumdb.recorded_hash(
        module.MODULE_PATH, version, env=settings.env, http=settings.http, gosumdb=None
    )
    return found[1]


def _trusted_mirror_artifact(
    base: str, request: GoVersion, goos: str, goarch: str, http: HttpSettings
) -> Artifact:
    filename = archive_filename(request, goos, goarch)
    listing = base + filename + ".sha256"
    try:
        digest = parse_sha256_file(fetch_bytes(listing, settings=http), filename, listing)
    except DownloadError as error:
        raise GorigError(
            _("the mirror has no usable {file} ({error})").format(
                file=f"{filename}.sha256", error=error
            )
        ) from None
    origin = Origin("mirror", base, "mirror .sha256")
    return Artifact(request, goos, goarch, filename, digest, origin, url=base + filename)


def fetch_vouched_by_sumdb(
    artifact: Artifact, downloads: Path, http: HttpSettings, progress: ProgressHook | None
) -> Path:
    """Download an archive the checksum database vouches for; only an archive whose module
    hash matches the database's record gets its final name."""
    from gorig.toolchains.trust import module

    pending = download_unverified(artifact, downloads, http, progress)
    return accept_vouched(pending, artifact, module.archive_module_hash(pending, artifact.filename))


def download_unverified(
    artifact: Artifact, downloads: Path, http: HttpSettings, progress: ProgressHook | None
) -> Path:
    """The archive under a name nothing uses (``*.unverified``) until :func:`accept_vouched`."""
    assert artifact.url is not None and artifact.h1 is not None
    pending = downloads / f"{artifact.filename}.unverified"
    download(artifact.url, pending, sha256=None, settings=http, progress=progress)
    return pending


def accept_vouched(pending: Path, artifact: Artifact, got: str) -> Path:
    """Give ``pending`` its final name if ``got``, its module hash, is the database's record;
    else delete it and refuse."""
    if got != artifact.h1:
        pending.unlink(missing_ok=True)
        raise GorigError(
            _(
                "{file} from {base} hashes to {got}, but the checksum database records {want}; "
                "the mirror served altered bytes and nothing was installed"
            ).format(file=artifact.filename, base=artifact.origin.base, got=got, want=artifact.h1)
        )
    final = pending.with_name(artifact.filename)
    pending.replace(final)
    return final
