"""Go toolchains from a module proxy (GOPROXY), trusted through the checksum database.

The go command itself downloads ``golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64`` as a
module zip from GOPROXY (``https://proxy.golang.org``, or ``https://goproxy.cn`` inside
China) and trusts it because its ``h1:`` hash matches the signed checksum database. gorig
does the same: the zip is hashed and checked against the database *before* anything is
unpacked, then its ``golang.org/toolchain@<version>/`` tree becomes a normal GOROOT
(``go.mod`` names restored, executable bits set by distpack's rules, since a proxy's zip
need not carry Unix modes).
"""

from __future__ import annotations

import posixpath
import re
import shutil
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gorig.errors import GorigError
from gorig.toolchains.trust import module

if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings
    from gorig.toolchains.sources import Artifact, Release, Settings, Source
    from gorig.versions.version import GoVersion

DEFAULT_GOPROXY = "https://proxy.golang.org"
EXECUTABLE_SUFFIXES = (".bash", ".sh", ".pl", ".rc")
_LISTED = re.compile(
    r"^v0\.0\.1-(?P<tag>go[0-9][0-9a-z.]*)\.(?P<os>[a-z0-9]+)-(?P<arch>[a-z0-9]+)$"
)


def proxy_bases(url: str | None, env: Mapping[str, str]) -> list[str]:
    """The proxies to try, in order: ``url`` if given, else GOPROXY's list.

    As in the go command, ``off`` ends the list and ``direct`` is skipped (toolchains
    are only published through proxies).
    """
    from gorig.toolchains.trust.sumdb import go_setting

    value = url or go_setting("GOPROXY", env) or DEFAULT_GOPROXY
    bases: list[str] = []
    for entry in (e.strip() for e in value.replace("|", ",").split(",")):
        if entry == "off":
            break
        if entry and entry != "direct":
            if not entry.startswith(("https://", "http://", "file://")):
                raise GorigError(f"GOPROXY entry {entry!r} is not an http(s) or file URL")
            bases.append(entry.rstrip("/"))
    if not bases:
        raise GorigError(
            f"GOPROXY={value!r} names no module proxy to fetch toolchains from; "
            f"use --source goproxy:{DEFAULT_GOPROXY}"
        )
    return bases


def module_zip_url(base: str, version: str) -> str:
    """Where a proxy serves the toolchain module zip of ``version``."""
    return f"{base}/{module.MODULE_PATH}/@v/{version}.zip"


def verify_module_zip(zip_path: Path, version: str, *, gosumdb: str | None = None) -> str:
    """Check a downloaded module zip against the checksum database; return its hash."""
    from gorig.toolchains.trust import dirhash, sumdb

    db, want = sumdb.recorded_hash(module.MODULE_PATH, version, gosumdb)
    got = dirhash.hash_zip(zip_path)
    if got != want:
        raise GorigError(
            f"{module.MODULE_PATH}@{version} from the proxy hashes to {got}, but {db.name} "
            f"records {want}; the proxy served altered bytes and nothing was installed"
        )
    return want


def fetch_verified(
    bases: list[str], version: str, dest_dir: Path, *, gosumdb: str, http: HttpSettings
) -> Path:
    """Download the module zip from the first proxy that has it and check it with the
    checksum database; only a verified zip gets its final name in ``dest_dir``."""
    from gorig.toolchains.download import DownloadNotFound

    final = dest_dir / f"{version}.zip"
    pending = dest_dir / f"{version}.zip.unverified"
    for base in bases:
        try:
            _fetch(module_zip_url(base, version), pending, http)
        except DownloadNotFound:
            continue
        try:
            verify_module_zip(pending, version, gosumdb=gosumdb)
        except GorigError:
            pending.unlink(missing_ok=True)
            raise
        pending.replace(final)
        return final
    raise GorigError(
        f"no proxy in {', '.join(bases)} has {module.MODULE_PATH}@{version} "
        "(Go publishes toolchain modules from 1.21 on)"
    )


def _fetch(url: str, dest: Path, http: HttpSettings) -> None:
    """GET a proxy URL into ``dest``; ``file://`` proxies are read from disk as Go does."""
    from gorig.toolchains.download import download

    dest.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("file://"):
        shutil.copyfile(_local(url), dest)
        return
    download(url, dest, sha256=None, settings=http)


def _read(url: str, http: HttpSettings) -> bytes:
    """A small proxy resource (``@v/list``), over HTTP or from a ``file://`` proxy."""
    from gorig.toolchains.download import fetch_bytes

    return (
        _local(url).read_bytes() if url.startswith("file://") else fetch_bytes(url, settings=http)
    )


def _local(url: str) -> Path:
    """The file a ``file://`` proxy URL names; a missing one is a 404, as over HTTP."""
    from urllib.parse import unquote, urlparse

    from gorig.toolchains.download import DownloadNotFound

    path = Path(unquote(urlparse(url).path))
    if not path.is_file():
        raise DownloadNotFound(f"{url} does not exist")
    return path


def unpack_module(zip_path: Path, version: str, dest: Path) -> Path:
    """Unpack a verified toolchain module zip into ``dest/go``; return that GOROOT."""
    prefix = f"{module.MODULE_PATH}@{version}/"
    root = dest / "go"
    with zipfile.ZipFile(zip_path) as bundle:
        for info in bundle.infolist():
            relative = _relative(info, prefix)
            if relative is None:
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as src, target.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            target.chmod(0o755 if _executable(relative, info) else 0o644)
    if not (root / "bin").is_dir():
        raise GorigError(f"{zip_path.name} holds no bin/ directory: not a Go toolchain")
    return root


def _relative(info: zipfile.ZipInfo, prefix: str) -> str | None:
    """The GOROOT-relative path of a zip entry (None for directories); refuse bad names."""
    name = info.filename
    if not name.startswith(prefix):
        raise GorigError(f"module zip entry {name!r} is outside {prefix}; refusing the zip")
    relative = name[len(prefix) :]
    if info.is_dir() or not relative:
        return None
    parts = relative.split("/")
    if "\\" in relative or any(p in ("", ".", "..") for p in parts):
        raise GorigError(f"module zip entry {name!r} is not a clean relative path; refusing it")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise GorigError(f"module zip entry {name!r} is a symbolic link; refusing the zip")
    if parts[-1] == "_go.mod":  # distpack renamed go.mod files; a GOROOT has them back
        parts[-1] = "go.mod"
    return "/".join(parts)


def _executable(relative: str, info: zipfile.ZipInfo) -> bool:
    """distpack's mode rule (bin/, pkg/tool/, scripts), or an executable bit in the zip."""
    if relative.startswith(("bin/", "pkg/tool/")) or relative.endswith(EXECUTABLE_SUFFIXES):
        return True
    if posixpath.basename(relative).startswith("go_") and relative.endswith("_exec"):
        return True
    return bool((info.external_attr >> 16) & 0o111)


def parse_listing(listing: str, base: str) -> list[Release]:
    """Releases (one file per platform) from a proxy's ``golang.org/toolchain/@v/list``."""
    from gorig.toolchains.sources import Release, ReleaseFile
    from gorig.versions.version import parse_version

    files: dict[str, list[ReleaseFile]] = {}
    for line in (raw.strip() for raw in listing.splitlines()):
        found = _LISTED.match(line)
        if found is None:
            continue
        goarch = found["arch"]
        url = module_zip_url(base, line)
        file = ReleaseFile(f"{line}.zip", found["os"], goarch, None, kind="archive", url=url)
        files.setdefault(found["tag"], []).append(file)
    releases = []
    for tag, listed in files.items():
        version = parse_version(tag)
        releases.append(Release(version, not version.is_prerelease, tuple(listed)))
    return sorted(releases, key=lambda r: r.version, reverse=True)


def source(url: str | None, settings: Settings) -> Source:
    """``--source goproxy[:URL]``: toolchain modules from GOPROXY, checked by GOSUMDB."""
    from gorig.toolchains.sources import Artifact, Source, pick

    bases = proxy_bases(url, settings.env)

    def listed() -> tuple[str, list[Release]]:
        """The first proxy that lists toolchains, and its releases."""
        from gorig.toolchains.download import DownloadError

        problems = []
        for base in bases:
            try:
                listing = _read(f"{base}/{module.MODULE_PATH}/@v/list", settings.http)
            except DownloadError as error:
                problems.append(str(error))
                continue
            return base, parse_listing(listing.decode("utf-8", "replace"), base)
        raise GorigError("no module proxy answered: " + " | ".join(problems))

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        base, releases = listed()
        release, file = pick(releases, request, goos, goarch)
        label = f"goproxy {base}"
        return Artifact(release.version, goos, goarch, file.filename, None, label, url=file.url)

    return Source(f"goproxy {bases[0]}", resolve, lambda: listed()[1])


def fetch_artifact(artifact: Artifact, downloads: Path, settings: Settings) -> Path:
    """The install pipeline's fetch step for a goproxy artifact: a checked module zip."""
    from gorig.toolchains.trust.sumdb import go_setting

    bases = [artifact.source.removeprefix("goproxy ")]
    version = artifact.filename.removesuffix(".zip")
    gosumdb = go_setting("GOSUMDB", settings.env) or ""
    return fetch_verified(bases, version, downloads, gosumdb=gosumdb, http=settings.http)


def is_module_zip(archive: Path) -> bool:
    """Whether a file in the downloads cache is a toolchain module zip (not a go.dev archive)."""
    return archive.name.startswith(module.VERSION_PREFIX + "-go") and archive.suffix == ".zip"
