"""Signed notes as defined by golang.org/x/mod/sumdb/note, verification side.

A verifier key is ``<name>+<hash>+<base64 key>``: the key is an algorithm byte (1 for
Ed25519) and the 32-byte public key, and the hash is the first four bytes (big-endian)
of SHA-256(name + "\\n" + key). A signed note is UTF-8 text ending in a newline, a blank
line, then lines ``— <name> <base64(4-byte key hash + signature)>``. The signature covers
the text including its final newline. The rules and error texts follow Go's ``note.Open``
so its published test vectors apply unchanged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from gorig.errors import GorigError

ALG_ED25519 = 1
MAX_SIGNATURES = 100
SIGNATURE_PREFIX = "— "


class NoteError(GorigError):
    """A note or verifier key that cannot be trusted; the message says why."""


@dataclass(frozen=True)
class Verifier:
    """One server public key: its name, its key hash and the Ed25519 key."""

    name: str
    key_hash: int
    public_key: bytes

    def verify(self, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signature:
    """A signature line of a note, verified or not."""

    name: str
    key_hash: int
    base64: str


@dataclass(frozen=True)
class Note:
    """An opened note: its text and the signatures that were (and were not) verified."""

    text: str
    signatures: list[Signature] = field(default_factory=list)
    unverified: list[Signature] = field(default_factory=list)


def key_hash(name: str, key: bytes) -> int:
    """The 32-bit key hash: the first four bytes of SHA-256(name, newline, key)."""
    return int.from_bytes(hashlib.sha256(name.encode() + b"\n" + key).digest()[:4], "big")


def is_valid_name(name: str) -> bool:
    """Non-empty, no Unicode space and no plus sign (Go's isValidName)."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def parse_verifier(vkey: str) -> Verifier:
    """Parse ``name+hash+keydata``; raise NoteError for any malformed or mismatched key."""
    name, _, rest = vkey.partition("+")
    hash16, _, key64 = rest.partition("+")
    key = _b64decode(key64)
    if len(hash16) != 8 or not _is_hex(hash16) or key is None or not key:
        raise NoteError(f"malformed verifier key {vkey!r}")
    if not is_valid_name(name):
        raise NoteError(f"malformed verifier key {vkey!r}")
    if int(hash16, 16) != key_hash(name, key):
        raise NoteError(f"invalid verifier hash in key {vkey!r}")
    if key[0] != ALG_ED25519:
        raise NoteError(f"unknown verifier algorithm {key[0]} in key {vkey!r}")
    if len(key) != 33:
        raise NoteError(f"malformed verifier key {vkey!r}")
    return Verifier(name, int(hash16, 16), key[1:])


def open_note(message: bytes, verifiers: Sequence[Verifier]) -> Note:
    """Parse ``message`` and verify its signatures against ``verifiers`` (Go's note.Open).

    At least one signature must verify. A known key whose signature fails is an error
    (never silently skipped); signatures by unknown keys are kept as unverified.
    """
    text, lines = _split(message)
    known: dict[tuple[str, int], list[Verifier]] = {}
    for verifier in verifiers:
        known.setdefault((verifier.name, verifier.key_hash), []).append(verifier)
    note = Note(text.decode())
    seen: set[tuple[str, int]] = set()
    seen_unverified: set[str] = set()
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("malformed note")
    for line in lines:
        name, hash_, raw, b64 = _parse_signature_line(line)
        candidates = known.get((name, hash_))
        if candidates is None:
            if line not in seen_unverified:
                seen_unverified.add(line)
                note.unverified.append(Signature(name, hash_, b64))
            continue
        if len(candidates) > 1:
            raise NoteError(f"ambiguous key {name}+{hash_:08x}")
        if (name, hash_) in seen:
            continue
        seen.add((name, hash_))
        if not candidates[0].verify(text, raw):
            raise NoteError(f"invalid signature for key {name}+{hash_:08x}")
        note.signatures.append(Signature(name, hash_, b64))
    if not note.signatures:
        raise NoteError("note has no verifiable signatures")
    return note


def _split(message: bytes) -> tuple[bytes, list[str]]:
    """Split a note into its text (with final newline) and its signature lines."""
    try:
        decoded = message.decode("utf-8")
    except UnicodeDecodeError:
        raise NoteError("malformed note") from None
    if any(ch < " " and ch != "\n" for ch in decoded):
        raise NoteError("malformed note")
    split = message.rfind(b"\n\n")
    if split < 0:
        raise NoteError("malformed note")
    text, sigs = message[: split + 1], message[split + 2 :]
    if not sigs or not sigs.endswith(b"\n"):
        raise NoteError("malformed note")
    return text, sigs[:-1].decode().split("\n")


def _parse_signature_line(line: str) -> tuple[str, int, bytes, str]:
    if not line.startswith(SIGNATURE_PREFIX):
        raise NoteError("malformed note")
    name, _, b64 = line[len(SIGNATURE_PREFIX) :].partition(" ")
    raw = _b64decode(b64)
    if raw is None or not is_valid_name(name) or not b64 or len(raw) < 5:
        raise NoteError("malformed note")
    return name, int.from_bytes(raw[:4], "big"), raw[4:], b64


def _b64decode(text: str) -> bytes | None:
    """Strict standard base64 (padding required, no stray characters), else None."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdefABCDEF" for ch in text)
