"""Signed notes: the known-answer vectors of Go's golang.org/x/mod/sumdb/note tests."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from trust_support import NoteKey

from gorig.toolchains.trust import note

# From golang.org/x/mod/sumdb/note/note_test.go.
PETER_KEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_KEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG_B64 = (
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="
)
ENOCH_SIG_B64 = (
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ="
)
PETER_SIG = f"— PeterNeumann {PETER_SIG_B64}\n"
ENOCH_SIG = f"— EnochRoot {ENOCH_SIG_B64}\n"
PETER = note.Signature("PeterNeumann", 0xC74F20A3, PETER_SIG_B64)
ENOCH = note.Signature("EnochRoot", 0xAF0CFE78, ENOCH_SIG_B64)


def test_verifier_key_parses_and_go_sum_database_key_is_valid():
    peter = note.parse_verifier(PETER_KEY)
    assert (peter.name, peter.key_hash) == ("PeterNeumann", 0xC74F20A3)
    from gorig.toolchains.trust.sumdb import KNOWN_KEYS

    assert note.parse_verifier(KNOWN_KEYS["sum.golang.org"]).key_hash == 0x033DE0AE


def test_every_mangled_verifier_key_is_refused():
    """TestNewVerifier: every proper substring and every one-byte change must fail."""
    raw = PETER_KEY
    bad = {raw[i:j] for i in range(len(raw) + 1) for j in range(i + 1, len(raw) + 1)}
    bad.discard(raw)
    bad |= {raw[:i] + chr(ord(raw[i]) + 1) + raw[i + 1 :] for i in range(len(raw))}
    bad.add("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
    bad.add("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    accepted = []
    for key in bad:
        try:
            note.parse_verifier(key)
        except note.NoteError:
            continue
        accepted.append(key)
    assert accepted == []


def test_key_hash_and_signature_match_go_signer_vector():
    """TestSign: the private key's public half hashes to c74f20a3 and signs to Go's bytes."""
    seed = base64.b64decode(PETER_SKEY.split("+", 4)[4])[1:]
    private = Ed25519PrivateKey.from_private_bytes(seed)
    public = b"\x01" + private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert note.key_hash("PeterNeumann", public) == 0xC74F20A3
    assert base64.b64encode(public).decode() == PETER_KEY.split("+", 2)[2]
    signature = base64.b64encode((0xC74F20A3).to_bytes(4, "big") + private.sign(TEXT.encode()))
    assert signature.decode() == PETER_SIG_B64


def _open(message: str, *keys: str) -> note.Note:
    return note.open_note(message.encode(), [note.parse_verifier(k) for k in keys])


def test_open_one_verified_one_unverified():
    opened = _open(TEXT + "\n" + PETER_SIG + ENOCH_SIG, PETER_KEY)
    assert opened.text == TEXT
    assert opened.signatures == [PETER]
    assert opened.unverified == [ENOCH]


def test_open_both_verified():
    opened = _open(TEXT + "\n" + PETER_SIG + ENOCH_SIG, PETER_KEY, ENOCH_KEY)
    assert opened.signatures == [PETER, ENOCH]
    assert opened.unverified == []


@pytest.mark.parametrize(
    ("message", "keys", "error"),
    [
        (TEXT + "\n" + PETER_SIG + ENOCH_SIG, [], "note has no verifiable signatures"),
        (
            TEXT + "\n" + ENOCH_SIG,
            [ENOCH_KEY, PETER_KEY, ENOCH_KEY],
            "ambiguous key EnochRoot+af0cfe78",
        ),
        (TEXT + "\n" + PETER_SIG * 101, [PETER_KEY], "malformed note"),
        (TEXT + "\n" + PETER_SIG * 101, [], "malformed note"),
        (
            TEXT + "\n" + PETER_SIG[:60] + "ABCD" + PETER_SIG[60:],
            [PETER_KEY],
            "invalid signature for key PeterNeumann+c74f20a3",
        ),
        (TEXT, [PETER_KEY], "malformed note"),
        (TEXT + "\n", [PETER_KEY], "malformed note"),
        (TEXT + "\n" + PETER_SIG[:-1], [PETER_KEY], "malformed note"),
        ("\x01" + TEXT + "\n" + PETER_SIG, [PETER_KEY], "malformed note"),
        (TEXT + "\n" + "— Bad Name " + PETER_SIG_B64, [PETER_KEY], "malformed note"),
        (TEXT + "\n" + PETER_SIG + "Unexpected line.\n", [PETER_KEY], "malformed note"),
    ],
)
def test_open_refuses_like_go(message, keys, error):
    with pytest.raises(note.NoteError) as refused:
        _open(message, *keys)
    assert str(refused.value) == error


def test_open_refuses_invalid_utf8():
    with pytest.raises(note.NoteError, match="malformed note"):
        note.open_note(b"\xff" + (TEXT + "\n" + PETER_SIG).encode(), [])


def test_unused_duplicate_verifier_is_harmless():
    assert _open(TEXT + "\n" + PETER_SIG, ENOCH_KEY, PETER_KEY, ENOCH_KEY).signatures == [PETER]


def test_duplicate_signatures_are_dropped():
    enoch_abcd = note.Signature(
        "EnochRoot", 0xAF0CFE78, ENOCH_SIG_B64[:46] + "ABCD" + ENOCH_SIG_B64[46:]
    )
    message = (
        TEXT
        + "\n"
        + PETER_SIG
        + PETER_SIG
        + ENOCH_SIG
        + ENOCH_SIG
        + f"— EnochRoot {enoch_abcd.base64}\n"
    )
    opened = _open(message, PETER_KEY)
    assert opened.signatures == [PETER]
    assert opened.unverified == [ENOCH, enoch_abcd]


def test_generated_key_round_trip_and_tampering():
    key = NoteKey("sumdb.test")
    message = key.sign("go.sum database tree\n5\nAAAA\n")
    assert note.open_note(message, [note.parse_verifier(key.vkey)]).text.endswith("AAAA\n")
    tampered = message.replace(b"\n5\n", b"\n6\n")
    with pytest.raises(note.NoteError, match="invalid signature"):
        note.open_note(tampered, [note.parse_verifier(key.vkey)])
