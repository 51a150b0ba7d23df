"""OpenPGP signatures with real gpg keys over a real release-shaped archive."""

from __future__ import annotations

import pytest
from trust_support import make_gpg_keys, make_release_archive

from gorig.toolchains.trust import signature


@pytest.fixture(scope="module")
def gpg_keys(tmp_path_factory):
    return make_gpg_keys(tmp_path_factory)


@pytest.fixture(scope="module")
def release_archive(tmp_path_factory):
    return make_release_archive(tmp_path_factory)


def test_shipped_go_release_key_parses_and_matches_its_fingerprint():
    keys = signature.read_keys(signature.GO_RELEASE_KEY)
    assert [key.fingerprint for key in keys] == ["EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796"]
    assert keys[0].fingerprint == signature.GO_RELEASE_FINGERPRINT
    assert any("Linux Packages Signing Authority" in uid for uid in keys[0].user_ids)
    assert keys[0].subkeys, "the signing subkeys must be shipped too"


def test_good_signature(gpg_keys, release_archive):
    release = gpg_keys["release"]
    result = signature.verify_detached(
        release_archive, release.sign(release_archive), release.public_file
    )
    assert result.status == "good"
    assert result.primary_fingerprint == release.fingerprint()


def test_altered_archive_is_a_bad_signature(gpg_keys, release_archive, tmp_path):
    release = gpg_keys["release"]
    asc = release.sign(release_archive)
    altered = tmp_path / release_archive.name
    data = bytearray(release_archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    altered.write_bytes(bytes(data))
    result = signature.verify_detached(altered, asc, release.public_file)
    assert result.status == "bad"
    assert "altered" in result.detail


def test_signature_by_another_key_is_unknown(gpg_keys, release_archive):
    asc = gpg_keys["stranger"].sign(release_archive)
    result = signature.verify_detached(release_archive, asc, gpg_keys["release"].public_file)
    assert result.status == "unknown-key"
    assert "--signing-key" in result.detail


def test_go_release_key_does_not_vouch_for_a_test_signature(gpg_keys, release_archive):
    asc = gpg_keys["release"].sign(release_archive)
    result = signature.verify_detached(release_archive, asc, signature.GO_RELEASE_KEY)
    assert result.status == "unknown-key"


def test_not_a_signature(gpg_keys, release_archive):
    result = signature.verify_detached(
        release_archive, b"<html>404 page</html>\n", gpg_keys["release"].public_file
    )
    assert result.status == "malformed"


def test_key_file_without_a_key_is_refused(release_archive, tmp_path):
    from gorig.errors import GorigError

    empty = tmp_path / "empty.asc"
    empty.write_text("not a key\n")
    with pytest.raises(GorigError, match="holds no OpenPGP public key"):
        signature.verify_detached(release_archive, b"x", empty)


def test_signature_by_a_since_expired_key_is_good_with_a_note(gpg_keys, release_archive):
    """Go's signing subkeys expire yearly; a signature made while valid stays good."""
    expired = gpg_keys["expired"]
    asc = expired.sign(release_archive, at="20200601T000000")
    result = signature.verify_detached(release_archive, asc, expired.public_file)
    assert result.status == "good"
    assert result.detail_is_warning and "expired" in result.detail


def test_signature_by_a_revoked_key_is_refused(gpg_keys, release_archive):
    key = gpg_keys["stranger"]
    asc = key.sign(release_archive)
    assert signature.verify_detached(release_archive, asc, key.public_file).status == "good"
    result = signature.verify_detached(release_archive, asc, key.revoked_public_file())
    assert result.status == "revoked"


def test_revoked_and_expired_key_is_refused(gpg_keys, release_archive):
    """gpg then says EXPKEYSIG and KEYREVOKED (not REVKEYSIG): still refused."""
    key = gpg_keys["expired"]
    asc = key.sign(release_archive, at="20200601T000000")
    result = signature.verify_detached(release_archive, asc, key.revoked_public_file())
    assert result.status == "revoked"
