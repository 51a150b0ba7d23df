"""Go toolchains from a module proxy (GOPROXY), trusted through the checksum database.

The go command itself downloads ``golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64`` as a
module zip from GOPROXY (``https://proxy.golang.org``, or ``https://goproxy.cn`` inside
China) and trusts it because its ``h1:`` hash matches the signed checksum database. gorig
does the same: the zip is hashed and checked against the database (see
:func:`gorig.toolchains.trust.goproxy.verify_module_zip`) *before* it gets its final name.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.download import (
    DownloadError,
    DownloadNotFound,
    HttpSettings,
    download,
    fetch_bytes,
)
from gorig.toolchains.index import (
    TOOLCHAIN_MODULE,
    Artifact,
    Origin,
    Release,
    module_zip_url,
    parse_listing,
    pick,
)
from gorig.toolchains.sources.source import Source, SourceConfig, SourceUnavailable
from gorig.versions.version import GoVersion

DEFAULT_GOPROXY = "https://proxy.golang.org"


def proxy_bases(url: str | None, env: Mapping[str, str]) -> list[str]:
    """The proxies to try, in order: ``url`` if given, else GOPROXY's list.

    As in the go command, ``off`` ends the list and ``direct`` is skipped (toolchains
    are only published through proxies).
    """
    from gorig.host.goenv import go_setting, proxy_entries

    value = url or go_setting("GOPROXY", env) or DEFAULT_GOPROXY
    bases: list[str] = []
    for entry in proxy_entries(value):
        if entry == "off":
            break
        if entry != "direct":
            if not entry.startswith(("https://", "http://", "file://")):
                raise GorigError(
                    _("GOPROXY entry {entry} is not an http(s) or file URL").format(
                        entry=repr(entry)
                    )
                )
            bases.append(entry.rstrip("/"))
    if not bases:
        raise SourceUnavailable(
            _("{setting} names no module proxy to fetch toolchains from; use {option}").format(
                setting=f"GOPROXY={value!r}", option=f"--source goproxy:{DEFAULT_GOPROXY}"
            )
        )
    return bases


def source(url: str | None, settings: SourceConfig) -> Source:
    """``--source goproxy[:URL]``: toolchain modules from GOPROXY, checked by GOSUMDB."""
    bases = proxy_bases(url, settings.env)

    def listed() -> tuple[str, list[Release]]:
        """The first proxy that lists toolchains, and its releases."""
        problems = []
        for base in bases:
            try:
                listing = _read(f"{base}/{TOOLCHAIN_MODULE}/@v/list", settings.http)
            except DownloadError as error:
                problems.append(_("{home}: {reason}").format(home=base, reason=error.reason))
                continue
            return base, parse_listing(listing.decode("utf-8", "replace"), base)
        raise SourceUnavailable(
            _("no module proxy answered: {problems}").format(problems="; ".join(problems))
        )

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        base, releases = listed()
        release, file = pick(releases, request, goos, goarch)
        origin = Origin("goproxy", base, "checksum database")
        return Artifact(release.version, goos, goarch, file.filename, None, origin, url=file.url)

    return Source(f"goproxy {bases[0]}", resolve, lambda: listed()[1])


def fetch_verified(
    bases: list[str],
    version: str,
    dest_dir: Path,
    *,
    gosumdb: str,
    env: Mapping[str, str],
    http: HttpSettings,
) -> Path:
    """Download the module zip from the first proxy that has it and check it with the
    checksum database; only a verified zip gets its final name in ``dest_dir``."""
    from gorig.toolchains.trust.goproxy import verify_module_zip

    final = dest_dir / f"{version}.zip"
    pending = dest_dir / f"{version}.zip.unverified"
    for base in bases:
        try:
            _fetch(module_zip_url(base, version), pending, http)
        except DownloadNotFound:
            continue
        try:
            verify_module_zip(pending, version, env=env, http=http, gosumdb=gosumdb)
        except GorigError:
            pending.unlink(missing_ok=True)
            raise
        pending.replace(final)
        return final
    raise GorigError(
        _(
            "no proxy in {proxies} has {module} (Go publishes toolchain modules from 1.21 on)"
        ).format(proxies=", ".join(bases), module=f"{TOOLCHAIN_MODULE}@{version}")
    )


def fetch_artifact(artifact: Artifact, downloads: Path, settings: SourceConfig) -> Path:
    """The install pipeline's fetch step for a goproxy artifact: a checked module zip."""
    from gorig.host.goenv import go_setting

    assert artifact.origin.base is not None  # a proxy always serves a goproxy artifact
    gosumdb = go_setting("GOSUMDB", settings.env) or ""
    return fetch_verified(
        [artifact.origin.base],
        artifact.module_version,
        downloads,
        gosumdb=gosumdb,
        env=settings.env,
        http=settings.http,
    )


def _fetch(url: str, dest: Path, http: HttpSettings) -> None:
    """GET a proxy URL into ``dest``; ``file://`` proxies are read from disk as Go does."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("file://"):
        shutil.copyfile(_local(url), dest)
        return
    download(url, dest, sha256=None, settings=http)


def _read(url: str, http: HttpSettings) -> bytes:
    """A small proxy resource (``@v/list``), over HTTP or from a ``file://`` proxy."""
    return (
        _local(url).read_bytes() if url.startswith("file://") else fetch_bytes(url, settings=http)
    )


def _local(url: str) -> Path:
    """The file a ``file://`` proxy URL names; a missing one is a 404, as over HTTP."""
    from urllib.parse import unquote, urlparse

    path = Path(unquote(urlparse(url).path))
    if not path.is_file():
        raise DownloadNotFound(f"{url} does not exist")
    return path
