"""OpenPGP detached signatures (``go1.22.5.linux-amd64.tar.gz.asc``) checked with GnuPG.

Why the system ``gpg`` through this small wrapper (see docs/trust.md): GnuPG is the
reference OpenPGP implementation and the tool Go's own download page tells users to run;
every Python wrapper on PyPI shells out to it anyway, and the pure-Python OpenPGP
libraries lag behind current key formats. The wrapper never touches the user's keyring:
each check imports the key file into a throwaway ``GNUPGHOME`` and reads gpg's
machine-readable ``--status-fd`` lines, never its human text or its exit code alone.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gorig.errors import GorigError
from gorig.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.toolchains.download import HttpSettings

GO_RELEASE_KEY = Path(__file__).with_name("keys") / "golang-release.asc"
GO_RELEASE_FINGERPRINT = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796"

Status = Literal["good", "bad", "unknown-key", "revoked", "malformed"]  # only "good" passes


@dataclass(frozen=True)
class PublicKey:
    """A primary key found in a key file."""

    fingerprint: str
    user_ids: tuple[str, ...]
    subkeys: tuple[str, ...]


@dataclass(frozen=True)
class SignatureResult:
    """The verdict on one detached signature, with a sentence a user can act on."""

    status: Status
    detail: str
    primary_fingerprint: str | None = None
    signing_fingerprint: str | None = None
    detail_is_warning: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "status": self.status,
            "detail": self.detail,
            "primary_fingerprint": self.primary_fingerprint,
            "signing_fingerprint": self.signing_fingerprint,
        }


def fetch_signature(url: str, http: HttpSettings) -> bytes | None:
    """The ``.asc`` published beside ``url``, or None when the server has none (404)."""
    from gorig.toolchains.download import DownloadNotFound, fetch_bytes

    try:
        return fetch_bytes(url + ".asc", settings=http)
    except DownloadNotFound:
        return None


def read_keys(key_file: Path) -> list[PublicKey]:
    """The primary keys (with user ids and subkeys) in an OpenPGP key file."""
    data = _read_key_file(key_file)
    out = _gpg(["--with-colons", "--import-options", "show-only", "--import"], stdin=data)
    return parse_key_listing(out.stdout)


def parse_key_listing(colons: str) -> list[PublicKey]:
    """Parse ``gpg --with-colons`` output into primary keys (fpr follows pub/sub)."""
    keys: list[PublicKey] = []
    current: dict[str, list[str]] | None = None
    last = ""
    for line in colons.splitlines():
        fields = line.split(":")
        kind = fields[0]
        if kind == "pub":
            if current is not None:
                keys.append(_key_from(current))
            current = {"fpr": [], "uid": [], "sub": []}
        elif current is None:
            continue
        elif kind == "fpr" and last in ("pub", "sub"):
            current["fpr" if last == "pub" else "sub"].append(fields[9])
        elif kind == "uid":
            current["uid"].append(fields[9])
        last = kind
    if current is not None:
        keys.append(_key_from(current))
    return keys


def _key_from(parts: dict[str, list[str]]) -> PublicKey:
    return PublicKey(parts["fpr"][0], tuple(parts["uid"]), tuple(parts["sub"]))


def verify_detached(data: Path, signature: bytes, key_file: Path) -> SignatureResult:
    """Check an armored or binary detached ``signature`` over the file ``data``.

    Only the keys in ``key_file`` are trusted: they are imported into an empty
    temporary keyring, so a signature by any other key reports ``unknown-key``.
    """
    key_data = _read_key_file(key_file)
    with tempfile.TemporaryDirectory(prefix="gorig-gpg-", ignore_cleanup_errors=True) as home:
        imported = _gpg(["--import"], stdin=key_data, home=home)
        trusted = _imported_fingerprints(imported.stdout)
        if not trusted:
            raise GorigError(
                _("{path} holds no OpenPGP public key; pass a key file (.asc)").format(
                    path=key_file
                )
            )
        sig_path = Path(home) / "signature.asc"
        sig_path.write_bytes(signature)
        checked = _gpg(["--verify", str(sig_path), str(data)], home=home)
    return interpret_status(checked.stdout, trusted, key_file=key_file)


def interpret_status(status: str, trusted: set[str], *, key_file: Path) -> SignatureResult:
    """Turn gpg ``--status-fd`` lines into a verdict (pure: tested with real gpg output)."""
    seen: dict[str, list[str]] = {}
    for line in status.splitlines():
        if line.startswith("[GNUPG:] "):
            keyword, *args = line[len("[GNUPG:] ") :].split(" ")
            seen.setdefault(keyword, args)
    if "BADSIG" in seen:
        return SignatureResult(
            "bad", _("the signature does not match the file (BAD signature): it was altered")
        )
    if "REVKEYSIG" in seen or "KEYREVOKED" in seen:  # gpg says KEYREVOKED if also expired
        return SignatureResult("revoked", _("the signing key has been revoked: do not trust it"))
    if "EXPSIG" in seen:
        return SignatureResult("bad", _("the signature itself has expired: do not trust it"))
    valid = seen.get("VALIDSIG")
    if valid is not None and ("GOODSIG" in seen or "EXPKEYSIG" in seen):
        return _good(valid, trusted, expired="EXPKEYSIG" in seen)
    errsig = seen.get("ERRSIG", [])
    if "NO_PUBKEY" in seen or errsig[5:6] == ["9"]:
        keyid = (seen.get("NO_PUBKEY") or errsig)[0]
        return SignatureResult(
            "unknown-key",
            _(
                "signed by key {key}, which is not in {file} (a newer signing subkey, or a "
                "different signer); pass --signing-key with a current copy of the signer's "
                "public key"
            ).format(key=keyid, file=key_file.name),
        )
    return SignatureResult(
        "malformed",
        _("the .asc file is not a valid OpenPGP signature (damaged or not a signature)"),
    )


def _good(valid: list[str], trusted: set[str], *, expired: bool) -> SignatureResult:
    signing = valid[0]
    primary = valid[9] if len(valid) > 9 else signing
    if primary not in trusted:  # cannot happen with a private keyring; checked all the same
        untrusted = _("signed by {key}, which is not trusted").format(key=primary)
        return SignatureResult("unknown-key", untrusted)
    if expired:
        detail = _(
            "good signature by {key} (its signing subkey has since expired; it was valid when "
            "it signed)"
        )
    else:
        detail = _("good signature by {key}")
    detail = detail.format(key=_spaced(primary))
    return SignatureResult("good", detail, primary, signing, detail_is_warning=expired)


def _spaced(fingerprint: str) -> str:
    return " ".join(fingerprint[i : i + 4] for i in range(0, len(fingerprint), 4))


def _imported_fingerprints(status: str) -> set[str]:
    prefix = "[GNUPG:] IMPORT_OK "
    return {line.split(" ")[3] for line in status.splitlines() if line.startswith(prefix)}


def _read_key_file(key_file: Path) -> bytes:
    try:
        return key_file.read_bytes()
    except OSError as error:
        raise GorigError(
            _("cannot read signing key {path}: {why}").format(path=key_file, why=error.strerror)
        ) from None


def _gpg(
    args: list[str], *, stdin: bytes | None = None, home: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run gpg in batch mode with status lines on stdout and a private home directory."""
    exe = shutil.which("gpg")
    if exe is None:
        raise GorigError(
            "gpg is not installed; install GnuPG (apt install gnupg, brew install gnupg) "
            "to check signatures"
        )
    private = tempfile.TemporaryDirectory(prefix="gorig-gpg-", ignore_cleanup_errors=True)
    with contextlib.nullcontext(home) if home else private as gnupghome:
        command = [exe, "--batch", "--no-tty", "--no-autostart", "--homedir", gnupghome]
        command += ["--status-fd", "1", *args]
        done = subprocess.run(command, input=stdin, capture_output=True, check=False, timeout=120)
    return subprocess.CompletedProcess(
        command,
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )
