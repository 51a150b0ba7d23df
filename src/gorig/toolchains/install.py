"""Install as a transaction: resolve, download (hashed), trust checks, extract, verify, rename.

Only the last step is visible: the toolchain appears under ``toolchains/<name>`` by one
rename of a fully checked directory (a ``--force`` reinstall: one atomic exchange). The
toolchain's lock is held from the store check to the activation links, so installs,
uninstalls and ``use`` of one toolchain serialise; whoever waits finds it installed and says
so. Leftovers of a killed install (``*.part``, ``.staging-*``) are resumed or removed by the
next holder of that lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorig.errors import GorigError, os_errors_at
from gorig.fs import remove_tree, sha256_file
from gorig.i18n import _
from gorig.toolchains.download import HttpSettings, ProgressHook, download
from gorig.toolchains.index import Artifact
from gorig.toolchains.sources import SourceConfig, make_source
from gorig.toolchains.store import Installed, Note, Store, quiet, toolchain_name
from gorig.toolchains.trust import TrustOptions, check_artifact
from gorig.versions.version import GoVersion

if TYPE_CHECKING:
    from gorig.config import InstallConfig
    from gorig.toolchains.extract import Digests


@dataclass
class InstallResult:
    record: Installed
    artifact: Artifact | None  # None: found installed without asking any source
    already: bool = False
    warnings: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # what activation linked


def verify_toolchain(root: Path, version: GoVersion, goos: str, goarch: str) -> None:
    """Read the ``go`` binary's headers: it must be goos/goarch and report ``version``."""
    from gorig.binfmt import BinfmtError, read_executable

    go = root / "bin" / ("go.exe" if goos == "windows" else "go")
    try:
        exe = read_executable(go)
    except (BinfmtError, OSError) as error:
        raise GorigError(
            _("the archive's bin/go cannot be read ({error}); not installed").format(error=error)
        ) from None
    found = exe.go.go_version if exe.go else None
    if (exe.goos, exe.goarch) != (goos, goarch) or found not in (version.tag, version.release_name):
        raise GorigError(
            _(
                "the archive's go binary is {found}, not {wanted}; the archive is mislabelled "
                "and was not installed"
            ).format(
                found=f"{exe.goos}/{exe.goarch} {found}", wanted=f"{goos}/{goarch} {version.tag}"
            )
        )


def fetch(
    downloads: Path, artifact: Artifact, settings: SourceConfig, progress: ProgressHook | None
) -> Path:
    """The verified archive on disk (downloaded into ``downloads``, or the user's own file);
    ``install`` fills its cache with it, ``mirror sync`` a mirror directory."""
    if artifact.path is not None:
        digest = sha256_file(artifact.path)
        if artifact.sha256 and digest != artifact.sha256.lower():
            raise GorigError(
                _("{path} has SHA-256 {digest}, expected {sha256}; nothing was installed").format(
                    path=artifact.path, digest=digest, sha256=artifact.sha256
                )
            )
        return artifact.path
    if artifact.origin.kind == "goproxy":  # checked by the checksum database instead
        from gorig.toolchains.sources import goproxy

        return goproxy.fetch_artifact(artifact, downloads, settings)
    if _vouched_by_sumdb(artifact):  # a mirror's archive, vouched for by the checksum database
        from gorig.toolchains.sources import mirror

        return mirror.fetch_vouched_by_sumdb(artifact, downloads, settings.http, progress)
    if not artifact.sha256:
        raise GorigError(
            _("no trusted SHA-256 is known for {file}; refusing it").format(file=artifact.filename)
        )
    assert artifact.url is not None
    dest = downloads / artifact.filename
    download(
        artifact.url,
        dest,
        sha256=artifact.sha256,
        size=artifact.size,
        settings=settings.http,
        progress=progress,
    )
    return dest


def _vouched_by_sumdb(artifact: Artifact) -> bool:
    """A mirror's archive that only the checksum database's ``h1:`` hash vouches for."""
    return artifact.path is None and artifact.origin.kind != "goproxy" and artifact.h1 is not None


def _fetch_and_build(
    store: Store,
    artifact: Artifact,
    name: str,
    settings: SourceConfig,
    progress: ProgressHook | None,
    trust: TrustOptions,
) -> list[str]:
    """Fetch, check and build the toolchain; return the trust step's warnings."""
    if not _vouched_by_sumdb(artifact):
        archive = fetch(store.downloads_dir, artifact, settings, progress)
        warnings = check_artifact(archive, artifact, trust)
        _build(store, artifact, archive, name)
        return warnings
    from gorig.toolchains.sources import mirror
    from gorig.toolchains.trust import module

    pending = mirror.download_unverified(artifact, store.downloads_dir, settings.http, progress)
    try:  # the module hash is taken while extracting and compared before anything is put
        warnings = check_artifact(pending, artifact, trust)
        _build(
            store,
            artifact,
            pending,
            name,
            lambda digests: mirror.accept_vouched(
                pending, artifact, module.module_hash(artifact.filename, digests)
            ),
        )
    finally:
        pending.unlink(missing_ok=True)
    return warnings


def _build(
    store: Store,
    artifact: Artifact,
    archive: Path,
    name: str,
    vouch: Callable[[Digests], object] | None = None,
) -> None:
    """Extract into a staging directory, verify, and put it in place in one atomic step.

    ``vouch``, if given, is called with the digests of the files as extracted and refuses
    (raises) before the tree is put in place. A reinstall leaves the replaced tree in the
    staging directory for the next holder of the lock (or ``prune``) to delete: a ``go``
    started from it just before the switch finds its GOROOT through its own executable's
    path, which moved with the tree.
    """
    from gorig.toolchains.extract import extract  # tarfile and zipfile: not for mirror sync

    staging = store.staging_dir(name)
    digests: Digests | None = None if vouch is None else []
    replaced = False
    try:
        with os_errors_at(staging):  # a full disk names where it filled up
            root = extract(archive, artifact.kind, staging, digests)
        if vouch is not None and digests is not None:
            vouch(digests)
        verify_toolchain(root, artifact.version, artifact.goos, artifact.goarch)
        replaced = store.put(root, name)
    finally:
        if not replaced:
            remove_tree(staging)


def install(
    store: Store,
    request: GoVersion | None,
    platform: tuple[str, str],
    *,
    source: str,
    settings: SourceConfig,
    native: tuple[str, str],
    host_os: str,
    trust: TrustOptions | None = None,
    force: bool = False,
    progress: ProgressHook | None = None,
    note: Note = quiet,
) -> InstallResult:
    """Install the toolchain ``request`` names for ``platform`` (GOOS, GOARCH) and activate it.

    Everything from the store check to the links happens under the toolchain's lock, so an
    uninstall or ``use`` of it waits; leftovers of a killed install are removed on the way,
    even when the answer is "already installed".
    """
    chosen = make_source(source, settings)  # a bad --source fails before the store is read
    if request is not None and not request.is_language and not force:
        name = toolchain_name(request, *platform)
        if store.find(request, *platform) is not None:  # no network needed
            with store.lock(name, note=note):
                if found := store.find(request, *platform):
                    messages = activate(store, found, native, host_os=host_os, note=note)
                    return InstallResult(found, None, already=True, messages=messages)
    artifact = chosen.resolve(request, *platform)
    name = toolchain_name(artifact.version, artifact.goos, artifact.goarch)
    with store.lock(name, note=note):
        found = None if force else store.find(artifact.version, artifact.goos, artifact.goarch)
        warnings = []
        if found is None:
            options = trust or TrustOptions(http=settings.http, env=settings.env)
            warnings = _fetch_and_build(store, artifact, name, settings, progress, options)
        record = store.find(artifact.version, artifact.goos, artifact.goarch)
        assert record is not None
        messages = activate(store, record, native, host_os=host_os, note=note)
    return InstallResult(record, artifact, found is not None, warnings, messages)


def activate(
    store: Store,
    record: Installed,
    native: tuple[str, str],
    *,
    host_os: str,
    note: Note = quiet,
) -> list[str]:
    """Link ``bin/goX.Y.Z`` for a native toolchain; make it the default if none is set."""
    if (record.goos, record.goarch) != native:
        return [
            _(
                "{platform} is not this machine's platform: installed for cross use and "
                "inspection, not linked into gorig's bin/"
            ).format(platform=record.platform)
        ]
    if host_os == "windows":
        return [
            _(
                "activation on Windows is not supported yet: run {go} directly "
                "(gorig which prints it)"
            ).format(go=record.go)
        ]
    with store.activation(note):
        messages = [_("linked {link}").format(link=store.link_version(record))]
        if store.default() is None:
            store.set_default(record)
            messages.append(
                _("{version} is now the default (bin/go, bin/gofmt)").format(
                    version=record.version.tag
                )
            )
    return messages


def settings_from(
    env: Mapping[str, str],
    config: InstallConfig,
    http: HttpSettings,
    *,
    trust_mirror: bool = False,
    sha256: str | None = None,
    note: Callable[[str], Any] | None = None,
) -> SourceConfig:
    """Source settings from the environment, config.toml's [install] table (both from the
    command's context) and flags.

    ``note`` hears about slow and failed network steps (the CLI prints them on stderr).
    """
    from gorig.config import URL, env_value
    from gorig.toolchains.sources import OFFICIAL_BASE, OFFICIAL_INDEX

    settings = SourceConfig(
        index_url=env_value(env, "GORIG_INDEX_URL", URL) or config.index_url or OFFICIAL_INDEX,
        download_base=env_value(env, "GORIG_DOWNLOAD_BASE", URL)
        or config.download_base
        or OFFICIAL_BASE,
        mirror=config.mirror,
        trust_mirror=trust_mirror or config.trust_mirror,
        env=dict(env),
        sha256=sha256,
        http=http,
    )
    _network_context(settings, env, note)
    return settings


def _network_context(
    settings: SourceConfig, env: Mapping[str, str], note: Callable[[str], Any] | None
) -> None:
    """The index's China home, the cache in the store, and who hears narration.

    ``GORIG_CN_INDEX_URL``/``GORIG_CN_DOWNLOAD_BASE`` move golang.google.cn (tests point it
    at 127.0.0.1); an index pointed elsewhere (``GORIG_INDEX_URL``) has no second home
    unless one is named.
    """
    from gorig.config import URL, env_value
    from gorig.toolchains.sources.source import GOOGLE_CN_BASE, GOOGLE_CN_INDEX, OFFICIAL_INDEX

    default_homes = settings.index_url == OFFICIAL_INDEX
    settings.cn_index_url = env_value(env, "GORIG_CN_INDEX_URL", URL) or (
        GOOGLE_CN_INDEX if default_homes else None
    )
    settings.cn_download_base = env_value(env, "GORIG_CN_DOWNLOAD_BASE", URL) or GOOGLE_CN_BASE
    settings.cache_dir = Store.open(env).home / "cache"
    settings.http = replace(settings.http, note=note)
