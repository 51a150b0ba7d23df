"""``gorig verify``'s checks of an archive someone already downloaded, as plain verdicts.

Each check gives ``pass``, ``fail``, ``warn`` (could not be made: not a pass) or ``skip``
(not asked), with one sentence of detail. The archive is fine only when nothing failed;
a warning is reported, never silently counted as a pass.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gorig.errors import GorigError
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings

Verdict = Literal["pass", "fail", "warn", "skip"]


@dataclass(frozen=True)
class Check:
    """One check's verdict."""

    name: str
    verdict: Verdict
    detail: str

    def to_dict(self) -> dict[str, str]:
        return {"check": self.name, "verdict": self.verdict, "detail": self.detail}


@dataclass(frozen=True)
class Expected:
    """The SHA-256 a file should have, and where it came from (``--sha256``, an index)."""

    sha256: str
    source: str = "--sha256"


def check_sha256(archive: Path, expected: Expected | str | None, unknown: str = "") -> Check:
    """Compare the file's SHA-256 with the one from a trusted place (``--sha256``, or the
    official index looked up by the file's name); ``unknown`` says why none is known."""
    from gorig.fs import sha256_file

    actual = sha256_file(archive)
    if expected is None:
        why = unknown or _("no --sha256 given")
        return Check(
            "sha256",
            "skip",
            _(
                "{why}; the file's SHA-256 is {actual} (compare it with the one on go.dev/dl)"
            ).format(why=why, actual=actual),
        )
    if isinstance(expected, str):
        expected = Expected(expected)
    wanted = expected.sha256.strip().lower()
    if hmac.compare_digest(actual, wanted):
        agrees = _("SHA-256 is {actual}, as {source} says")
        return Check("sha256", "pass", agrees.format(actual=actual, source=expected.source))
    return Check(
        "sha256",
        "fail",
        _("SHA-256 is {actual}, {source} says {wanted}: the file differs").format(
            actual=actual, source=expected.source, wanted=wanted
        ),
    )


def check_signature(archive: Path, asc: Path | None, key: Path | None) -> Check:
    """Check the detached signature (``--signature``, else ``FILE.asc`` beside the file)."""
    from gorig.toolchains.trust import signature

    asc = asc or archive.with_name(archive.name + ".asc")
    if not asc.is_file():
        return Check(
            "signature",
            "warn",
            _(
                "no signature: {signature} not found, so the file was not checked against the "
                "signing key (download it from beside the archive, or pass --signature)"
            ).format(signature=asc.name),
        )
    result = signature.verify_detached(archive, asc.read_bytes(), key or signature.GO_RELEASE_KEY)
    verdict: Verdict = "pass" if result.status == "good" else "fail"
    return Check("signature", verdict, result.detail)


def check_sumdb(
    archive: Path, asked: bool, env: Mapping[str, str], http: HttpSettings | None
) -> Check:
    """Cross-check with Go's checksum database, when asked (it needs the network)."""
    if not asked:
        return Check("sumdb", "skip", _("not asked (--sumdb checks Go's checksum database)"))
    from gorig.toolchains.trust import sumdb

    try:
        assert http is not None, "asked for the checksum database without HTTP settings"
        agreed = sumdb.verify_archive(archive, filename=archive.name, env=env, http=http)
    except GorigError as error:
        return Check("sumdb", "fail", str(error))
    agrees = _("the checksum database records {hash}, and so does the file")
    return Check("sumdb", "pass", agrees.format(hash=agreed))


def verify_file(
    archive: Path,
    *,
    sha256: Expected | str | None = None,
    signature: Path | None = None,
    signing_key: Path | None = None,
    sumdb: bool = False,
    unknown: str = "",
    env: Mapping[str, str] | None = None,
    http: HttpSettings | None = None,
) -> list[Check]:
    """Every check of ``archive``, in the order a user reads them."""
    if not archive.is_file():
        raise GorigError(
            _("{path} is not a file; name the downloaded archive").format(path=archive)
        )
    return [
        check_sha256(archive, sha256, unknown),
        check_signature(archive, signature, signing_key),
        check_sumdb(archive, sumdb, env or {}, http),
    ]
