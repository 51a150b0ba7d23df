"""Downloads from misbehaving servers, through the real ``gorig install``.

The go.dev-style index comes from :class:`DownloadServer`; a second loopback server below
plays a mirror that answers exactly as each test scripts it (redirect loops, a mislabelled
``Content-Encoding``, ``.sha256`` files in the forms people publish, or an HTML page).
"""

from __future__ import annotations

import hashlib
import os
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from conftest import GORIG, run_gorig
from gorig.toolchains.download import DownloadError, parse_sha256_file
from support import gobin
from support.bombs import gzip_around_zeros
from support.dlserver import DownloadServer, archive_name, official_archive
from support.peak import run_measured

NETWORK = pytest.mark.network  # real archives served on 127.0.0.1 (the parser tests are pure)
VERSION = gobin.GO_1_26
NAME = archive_name(VERSION, "linux-amd64")
DIGEST = "ab" * 32


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Path = b""
    sized: bool = True  # False: no Content-Length, as a streaming server may answer


@dataclass
class Mirror:
    """A loopback server answering each path as scripted; unscripted paths are 404."""

    answers: dict[str, Answer] = field(default_factory=dict)
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    def paths(self) -> list[str]:
        return [path for path, _ in self.seen]


def _handler(mirror: Mirror) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            mirror.seen.append((self.path, dict(self.headers.items())))
            answer = mirror.answers.get(self.path, Answer(404, body=b"not found\n"))
            body = answer.body.read_bytes() if isinstance(answer.body, Path) else answer.body
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            if not answer.sized:  # the body ends when the connection closes
                self.send_header("Connection", "close")
                self.close_connection = True
            elif "Content-Length" not in answer.headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    scripted = Mirror()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(scripted))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scripted.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield scripted
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def index():
    with DownloadServer() as running:
        running.add_archive(VERSION)
        yield running


def install(
    home: Path, index: DownloadServer, *args: str, **env: str
) -> tuple[int, list[str], str]:
    """``gorig install`` of VERSION: (exit code, stderr lines, stdout)."""
    done = run_gorig(
        "install",
        VERSION,
        *args,
        env={
            **os.environ,
            **index.env(),
            "GORIG_HOME": str(home),
            "GORIG_CONFIG": str(home.parent / "none.toml"),
            "GORIG_HTTP_RETRIES": "1",
            **env,
        },
    )
    assert "Traceback" not in done.stderr
    return done.returncode, done.stderr.strip().splitlines(), done.stdout


def installed_go(home: Path) -> str:
    return gobin.go_version_line(home / "bin" / "go").split()[2]


@NETWORK
def test_content_encoding_gzip_is_stored_as_sent(tmp_path, index, mirror):
    """A server that labels the .tar.gz ``Content-Encoding: gzip``: curl keeps the bytes,
    and so must gorig, since the index's SHA-256 is over them."""
    archive = official_archive(VERSION)
    mirror.answers[f"/go/{NAME}"] = Answer(headers={"Content-Encoding": "gzip"}, body=archive)
    code, errors, _ = install(tmp_path / "home", index, "--source", f"mirror:{mirror.url}/go/")
    assert code == 0, errors
    assert installed_go(tmp_path / "home") == f"go{VERSION}"
    (asked,) = [headers for path, headers in mirror.seen if path.endswith(NAME)]
    assert asked.get("Accept-Encoding") == "identity"  # (the mirror's index.json is asked first)


@NETWORK
def test_redirect_loop_on_the_archive_is_one_line(tmp_path, index, mirror):
    mirror.answers[f"/go/{NAME}"] = Answer(302, {"Location": f"/go/{NAME}"})
    code, errors, _ = install(tmp_path / "home", index, "--source", f"mirror:{mirror.url}/go/")
    assert code == 1 and len(errors) == 1 and "too many redirects" in errors[0], errors


@NETWORK
def test_redirect_loop_on_the_index_is_one_line(tmp_path, index, mirror):
    mirror.answers["/dl/"] = Answer(301, {"Location": "/dl/"})
    code, errors, _ = install(tmp_path / "home", index, GORIG_INDEX_URL=f"{mirror.url}/dl/")
    # one line of cause; the lines after it are the other sources that could work
    assert code == 1 and "too many redirects" in errors[0], errors
    assert errors[1] == "these could work from here:", errors
    assert all(line.startswith("  gorig ") for line in errors[2:]), errors


@NETWORK
def test_mirror_url_that_cannot_be_parsed_is_one_line(tmp_path, index):
    code, errors, _ = install(tmp_path / "home", index, "--source", "mirror:http://[::1")
    assert code == 1 and len(errors) == 1 and "is not a URL gorig can fetch" in errors[0], errors


@NETWORK
def test_hash_mismatch_says_how_many_bytes_arrived(tmp_path, index):
    index.fail(NAME, "flip")
    code, errors, _ = install(tmp_path / "home", index)
    size = official_archive(VERSION).stat().st_size
    assert code == 1 and len(errors) == 1, errors
    assert f"and {size} bytes, got " in errors[0] and f" and {size} bytes;" in errors[0]


@NETWORK
def test_index_size_larger_than_the_file_is_a_size_mismatch(tmp_path, index):
    """Not "connection closed" and five retries: the server's whole file is shorter."""
    listed = index.releases[VERSION]["files"][0]
    real = listed["size"]
    listed["size"] = real + 1000
    index.requests.clear()
    try:
        code, errors, _ = install(tmp_path / "home", index, GORIG_HTTP_RETRIES="4")
    finally:
        listed["size"] = real
    assert code == 1 and len(errors) == 1, errors
    assert f"is {real} bytes, but the index lists {real + 1000}" in errors[0]
    assert len(index.seen(NAME)) == 1


@NETWORK
def test_gzip_encoded_index_bomb_is_refused_in_bounded_memory(tmp_path, index, mirror):
    """An index answer of ~1 MB that ``Content-Encoding: gzip`` inflates to 1 GiB."""
    bomb = gzip_around_zeros(b"[", 1024, b"]")
    mirror.answers["/dl/"] = Answer(headers={"Content-Encoding": "gzip"}, body=bomb)
    home = tmp_path / "home"
    env = {
        **os.environ,
        **index.env(),
        "GORIG_HOME": str(home),
        "GORIG_CONFIG": str(tmp_path / "none.toml"),
        "GORIG_INDEX_URL": f"{mirror.url}/dl/",
        "GORIG_HTTP_RETRIES": "0",
    }
    done = run_measured([*GORIG, "install", VERSION], env, tmp_path / "logs")
    errors = done.stderr.strip().splitlines()
    assert done.returncode == 1 and "answered more than 64 MiB" in errors[0], done.stderr
    assert errors[1:2] == ["these could work from here:"], done.stderr  # then other sources
    assert done.peak_mb < 600


def _trusted_mirror(mirror: Mirror, sidecar: bytes) -> tuple[str, ...]:
    """A mirror serving the real archive and ``sidecar`` as its .sha256, with no index."""
    mirror.answers[f"/go/{NAME}"] = Answer(body=official_archive(VERSION))
    mirror.answers[f"/go/{NAME}.sha256"] = Answer(body=sidecar)
    return ("--source", f"mirror:{mirror.url}/go/", "--trust-mirror")


@NETWORK
def test_unsized_archive_past_any_toolchain_size_is_refused_from_its_headers(
    tmp_path, index, mirror
):
    """A trusted mirror's archive has no index size: 2 GiB is refused before a byte of it."""
    args = _trusted_mirror(mirror, f"{DIGEST}  {NAME}\n".encode())
    mirror.answers[f"/go/{NAME}"] = Answer(headers={"Content-Length": str(2 << 30)})
    code, errors, _ = install(tmp_path / "home", index, *args, GORIG_INDEX_URL=f"{mirror.url}/x")
    assert code == 1 and len(errors) == 1, errors
    assert f"is {2 << 30} bytes, more than any Go toolchain archive" in errors[0]
    assert not list((tmp_path / "home" / "downloads").glob("*"))


@NETWORK
def test_body_running_past_the_index_size_is_cut_off(tmp_path, index, mirror):
    """A server that gives no length and sends more than the index lists: refused at the
    first byte past it, not downloaded to the end."""
    listed = index.releases[VERSION]["files"][0]["size"]
    body = official_archive(VERSION).read_bytes() + bytes(64 << 20)
    mirror.answers[f"/go/{NAME}"] = Answer(body=body, sized=False)
    code, errors, _ = install(tmp_path / "home", index, "--source", f"mirror:{mirror.url}/go/")
    assert code == 1 and len(errors) == 1, errors
    assert f"is more than {listed} bytes, but the index lists {listed}" in errors[0]
    assert not list((tmp_path / "home" / "downloads").glob("*"))


@NETWORK
def test_bsd_style_sha256_with_bom_and_crlf_installs(tmp_path, index, mirror):
    digest = hashlib.sha256(official_archive(VERSION).read_bytes()).hexdigest().upper()
    sidecar = f"\ufeffSHA256 ({NAME}) = {digest}\r\n".encode()
    args = _trusted_mirror(mirror, sidecar)
    code, errors, _ = install(tmp_path / "home", index, *args, GORIG_INDEX_URL=f"{mirror.url}/x")
    assert code == 0, errors
    assert installed_go(tmp_path / "home") == f"go{VERSION}"


@NETWORK
def test_sha256_that_is_an_html_page_is_refused_before_the_download(tmp_path, index, mirror):
    args = _trusted_mirror(mirror, b"<!DOCTYPE html>\n<title>Mirror maintenance</title>\n")
    code, errors, _ = install(tmp_path / "home", index, *args, GORIG_INDEX_URL=f"{mirror.url}/x")
    assert code == 1 and len(errors) == 1 and "is not a SHA-256 file" in errors[0], errors
    assert f"/go/{NAME}" not in mirror.paths()  # the 65 MB archive was never asked for


@pytest.mark.parametrize(
    "published",
    [
        DIGEST,
        DIGEST + "\n",
        DIGEST.upper() + "\n",
        "\ufeff" + DIGEST + "\r\n",
        f"{DIGEST}  {NAME}\n",
        f"{DIGEST} *{NAME}\n",
        f"{DIGEST}  ./dist/{NAME}\n",
        f"SHA256 ({NAME}) = {DIGEST}\n",
        f"SHA256 ({NAME}) = {DIGEST.upper()}",
        f"{'cd' * 32}  go1.0.0.src.tar.gz\n{DIGEST}  {NAME}\n\n",
    ],
)
def test_published_sha256_forms_are_read(published):
    assert parse_sha256_file(published.encode(), NAME, "u") == DIGEST


@pytest.mark.parametrize(
    ("published", "message"),
    [
        (b"<html><body>404</body></html>", "is not a SHA-256 file"),
        (b"", "lists no digest"),
        (f"{DIGEST}  other.tar.gz\n".encode(), "lists no digest"),
        (f"{DIGEST}\n{'cd' * 32}\n".encode(), "lists different digests"),
        (DIGEST[:-1].encode(), "is not a SHA-256 file"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (f"MD5 ({NAME}) = {DIGEST}".encode(), "is not a SHA-256 file"),
    ],
)
def test_other_sha256_files_are_refused(published, message):
    with pytest.raises(DownloadError, match=message):
        parse_sha256_file(published, NAME, "u")


def _request_then_reset(port: int, request_line: bytes) -> None:
    """Send one request; when it is answered (and kept alive), drop the connection with a
    reset (SO_LINGER 0), as a cancelled download does. Return once the server's handler
    thread has ended."""
    before = set(threading.enumerate())
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(request_line + b"\r\nHost: 127.0.0.1\r\n\r\n")
        if client.recv(1 << 16):
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    for _ in range(1000):
        if not [t for t in set(threading.enumerate()) - before if "process_request" in t.name]:
            return
        threading.Event().wait(0.01)
    pytest.fail("the server's handler thread never ended")


def test_the_server_is_quiet_when_a_client_resets_and_only_then(capsys):
    """Before: every reset connection printed a ConnectionResetError traceback (benchmarks)."""
    with DownloadServer() as server:
        port = int(server.url.rsplit(":", 1)[1])
        _request_then_reset(port, b"GET /dl/?mode=json HTTP/1.1")
        assert capsys.readouterr().err == ""
        _request_then_reset(port, b"GET http://x HTTP/1.1")  # a proxy URL without a path
    assert "IndexError" in capsys.readouterr().err  # a fault of the server is still shown
