"""A toolchain archive already on disk, checked against ``--sha256`` or the official index."""

from __future__ import annotations

from pathlib import Path

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.toolchains.index import Artifact, Origin, Voucher, describe_filename
from gorig.toolchains.sources.official import official_digest
from gorig.toolchains.sources.source import Source, SourceConfig, SourceUnavailable
from gorig.versions.version import GoVersion


def source(path: Path, settings: SourceConfig) -> Source:
    """A file on disk; its SHA-256 comes from ``--sha256`` or the official index."""

    def resolve(request: GoVersion | None, goos: str, goarch: str) -> Artifact:
        if not path.is_file():
            raise GorigError(_("{path} does not exist or is not a file").format(path=path))
        version, file_os, file_arch = describe_filename(path.name)
        if request is not None and not (
            request == version or (request.is_language and request.series == version.series)
        ):
            raise GorigError(
                _("{file} holds Go {version}, not {request}").format(
                    file=path.name, version=version, request=request
                )
            )
        if settings.sha256:
            origin = Origin("file", None, "--sha256")
            return Artifact(
                version, file_os, file_arch, path.name, settings.sha256, origin, path=path
            )
        sha256, voucher = _official_digest(path.name, settings)
        origin = Origin("file", None, voucher)
        return Artifact(version, file_os, file_arch, path.name, sha256, origin, path=path)

    return Source("file", resolve, list)


def _official_digest(filename: str, settings: SourceConfig) -> tuple[str, Voucher]:
    try:
        found = official_digest(settings, filename)
    except SourceUnavailable as error:
        raise GorigError(
            _("{error}; pass --sha256 to check {file}").format(error=error, file=filename)
        ) from None
    if found is None:
        raise GorigError(
            _("{file} is not in the official index; pass --sha256 to check it").format(
                file=filename
            )
        )
    return found[0], found[1].voucher
