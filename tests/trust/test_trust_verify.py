"""``gorig verify`` run as a user runs it, and the install hook ``check_archive``."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from trust_support import (
    FILENAME,
    GO,
    MODULE_VERSION,
    NoteKey,
    go_toolchain_sums,
    http_server,
    make_gpg_keys,
    make_release_archive,
    sumdb_routes,
    tamper_note,
)

from conftest import run_gorig
from gorig.errors import GorigError
from gorig.toolchains.download import HttpSettings
from gorig.toolchains.trust import TrustOptions, check_archive
from gorig.toolchains.trust.dirhash import file_digest
from support.dlserver import DownloadServer, closed_port_url


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """Like a user whose go.dev is unreachable (a refusing port on 127.0.0.1), with a store
    of its own: ``verify`` without --sha256 looks the file up in the official index."""
    monkeypatch.setenv("GORIG_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("GORIG_INDEX_URL", closed_port_url() + "/dl/?mode=json")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


HTTP = HttpSettings()


@pytest.fixture(scope="module")
def gpg_keys(tmp_path_factory):
    return make_gpg_keys(tmp_path_factory)


@pytest.fixture(scope="module")
def release_archive(tmp_path_factory):
    return make_release_archive(tmp_path_factory)


@pytest.fixture
def download(tmp_path, release_archive, gpg_keys):
    """A user's download folder: the archive and its .asc, signed by the "release" key."""
    archive = tmp_path / FILENAME
    shutil.copyfile(release_archive, archive)
    (tmp_path / (FILENAME + ".asc")).write_bytes(gpg_keys["release"].sign(archive))
    return archive


def _sha256(path):
    with path.open("rb") as stream:
        return file_digest(stream)


def _verify_json(*args, env=None):
    done = run_gorig("verify", *args, "--json", env=env)
    assert "Traceback" not in done.stderr
    return done.returncode, {c["check"]: c["verdict"] for c in json.loads(done.stdout)["checks"]}


def test_all_good(download, gpg_keys):
    key = gpg_keys["release"].public_file
    code, verdicts = _verify_json(download, "--sha256", _sha256(download), "--signing-key", key)
    assert (code, verdicts) == (0, {"sha256": "pass", "signature": "pass", "sumdb": "skip"})


def test_wrong_sha256_fails(download, gpg_keys):
    key = gpg_keys["release"].public_file
    code, verdicts = _verify_json(download, "--sha256", "0" * 64, "--signing-key", key)
    assert (code, verdicts["sha256"], verdicts["signature"]) == (1, "fail", "pass")


def test_altered_archive_fails_its_signature(download, gpg_keys):
    data = bytearray(download.read_bytes())
    data[-100] ^= 0xFF
    download.write_bytes(bytes(data))
    done = run_gorig("verify", download, "--signing-key", gpg_keys["release"].public_file)
    assert done.returncode == 1
    assert "BAD signature" in done.stdout
    assert "FAILED" in done.stdout


def test_signature_by_another_key_fails(download, gpg_keys):
    code, verdicts = _verify_json(download, "--signing-key", gpg_keys["stranger"].public_file)
    assert (code, verdicts["signature"]) == (1, "fail")


def test_missing_signature_is_a_warning_not_a_pass(download, gpg_keys):
    download.with_name(FILENAME + ".asc").unlink()
    done = run_gorig("verify", download, "--signing-key", gpg_keys["release"].public_file)
    assert done.returncode == 0
    assert "warn" in done.stdout and "not found" in done.stdout
    assert "OK with warnings" in done.stdout


@pytest.mark.network
def test_the_sha256_is_looked_up_by_name_in_the_index_or_its_cache(download, gpg_keys):
    key = gpg_keys["release"].public_file

    def sha256_check(env):
        done = run_gorig("verify", download, "--signing-key", key, "--json", env=env)
        sha256 = next(c for c in json.loads(done.stdout)["checks"] if c["check"] == "sha256")
        return done.returncode, sha256["verdict"], sha256["detail"], done.stderr

    with DownloadServer() as index:
        index.add_archive(GO, path=download)
        env = {**os.environ, "GORIG_INDEX_URL": index.index_url}
        code, verdict, detail, _ = sha256_check(env)
        assert (code, verdict) == (0, "pass"), detail
        assert detail.endswith(f"as the official index ({index.url.removeprefix('http://')}) says")
    # The index's home is gone now: the cache in the store answers, and says so.
    code, verdict, detail, stderr = sha256_check(env)
    assert (code, verdict) == (0, "pass"), detail
    assert detail.endswith("as the cached official index (cache) says")
    assert "using the index cached " in stderr
    download.write_bytes(download.read_bytes() + b"x")  # no longer the listed file
    code, verdict, detail, _ = sha256_check(env)
    assert (code, verdict) == (1, "fail") and "the cached official index (cache) says" in detail


def test_without_an_index_the_sha256_is_skipped_and_says_why(download, gpg_keys):
    code, verdicts = _verify_json(download, "--signing-key", gpg_keys["release"].public_file)
    assert (code, verdicts["sha256"]) == (0, "skip")
    done = run_gorig("verify", download, "--signing-key", gpg_keys["release"].public_file, "--json")
    detail = json.loads(done.stdout)["checks"][0]["detail"]
    assert detail.startswith("no --sha256 given and the official index is unreachable")


def test_missing_file_is_one_clear_line(tmp_path):
    done = run_gorig("verify", tmp_path / "nope.tar.gz")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"gorig: error: {tmp_path / 'nope.tar.gz'} is not a file; name the downloaded archive"
    ]


def test_sumdb_check_from_the_command_line(download, tmp_path_factory):
    sums = go_toolchain_sums(download, tmp_path_factory.mktemp("go"))
    key = NoteKey("sumdb.test")
    path = f"/lookup/golang.org/toolchain@{MODULE_VERSION}"
    with http_server() as served:
        served.routes.update(
            sumdb_routes(key, [f"golang.org/toolchain {MODULE_VERSION} {sums['Sum']}"])
        )
        env = {**os.environ, "GOSUMDB": f"{key.vkey} {served.url}"}
        assert _verify_json(download, "--sumdb", env=env)[1]["sumdb"] == "pass"
        served.routes[path] = tamper_note(served.routes[path])
        code, verdicts = _verify_json(download, "--sumdb", env=env)
    assert (code, verdicts["sumdb"]) == (1, "fail")


@pytest.fixture
def published(download):
    """The archive and its .asc served over HTTP on 127.0.0.1, as a mirror would."""
    with http_server() as served:
        served.routes["/dl/" + FILENAME] = download.read_bytes()
        served.routes["/dl/" + FILENAME + ".asc"] = download.with_name(
            FILENAME + ".asc"
        ).read_bytes()
        yield served, f"{served.url}/dl/{FILENAME}"


def test_check_archive_good_signature(download, published, gpg_keys):
    options = TrustOptions(
        HttpSettings(), verify_signature=True, signing_key=gpg_keys["release"].public_file
    )
    assert check_archive(download, filename=FILENAME, url=published[1], options=options) == []
    assert published[0].seen == [f"/dl/{FILENAME}.asc"]


def test_check_archive_missing_signature(download, published, gpg_keys):
    served, url = published
    del served.routes["/dl/" + FILENAME + ".asc"]
    key_only = TrustOptions(HTTP, signing_key=gpg_keys["release"].public_file)
    warnings = check_archive(download, filename=FILENAME, url=url, options=key_only)
    assert len(warnings) == 1 and "no signature published" in warnings[0]
    demanded = TrustOptions(
        HttpSettings(), verify_signature=True, signing_key=gpg_keys["release"].public_file
    )
    with pytest.raises(GorigError, match="--verify-signature requires a valid signature"):
        check_archive(download, filename=FILENAME, url=url, options=demanded)


def test_check_archive_bad_signature_is_always_refused(download, published, gpg_keys, tmp_path):
    served, url = published
    other = tmp_path / "other-file"
    other.write_bytes(b"not the archive\n")
    served.routes["/dl/" + FILENAME + ".asc"] = gpg_keys["release"].sign(other)
    key_only = TrustOptions(HTTP, signing_key=gpg_keys["release"].public_file)
    with pytest.raises(GorigError, match="nothing was installed"):
        check_archive(download, filename=FILENAME, url=url, options=key_only)


def test_check_archive_unknown_key(download, published, gpg_keys):
    _, url = published
    stranger = TrustOptions(HTTP, signing_key=gpg_keys["stranger"].public_file)
    warnings = check_archive(download, filename=FILENAME, url=url, options=stranger)
    assert len(warnings) == 1 and "not in stranger.asc" in warnings[0]
    demanded = TrustOptions(
        HttpSettings(), verify_signature=True, signing_key=gpg_keys["stranger"].public_file
    )
    with pytest.raises(GorigError, match=r"not in stranger\.asc"):
        check_archive(download, filename=FILENAME, url=url, options=demanded)


def test_nothing_asked_nothing_fetched(download, published):
    assert (
        check_archive(
            download,
            filename=FILENAME,
            url=published[1],
            options=TrustOptions(
                HttpSettings(),
            ),
        )
        == []
    )
    assert published[0].seen == []


def test_check_archive_local_file_uses_the_asc_beside_it(download, gpg_keys):
    demanded = TrustOptions(
        HttpSettings(), verify_signature=True, signing_key=gpg_keys["release"].public_file
    )
    assert check_archive(download, filename=FILENAME, url=None, options=demanded) == []
    download.with_name(FILENAME + ".asc").unlink()
    with pytest.raises(GorigError, match=r"no signature .* beside"):
        check_archive(download, filename=FILENAME, url=None, options=demanded)
