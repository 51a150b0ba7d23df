"""The command's HTTP settings reach the signature and checksum-database fetches: a server
on 127.0.0.1 that always fails records one attempt plus the configured retries."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gorig.errors import GorigError
from gorig.toolchains.download import DownloadError, HttpSettings
from gorig.toolchains.trust import signature, sumdb

MODULE_VERSION = "v0.0.1-go1.22.5.linux-amd64"


@contextlib.contextmanager
def failing_server() -> Iterator[tuple[str, list[str]]]:
    """Answers every GET with 503 and records the paths asked."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("retries", [0, 2])
def test_signature_fetch_makes_exactly_the_configured_attempts(retries: int):
    http = HttpSettings(timeout=5, retries=retries, backoff=0.0)
    with failing_server() as (url, seen), pytest.raises(DownloadError):
        signature.fetch_signature(f"{url}/dl/go1.22.5.linux-amd64.tar.gz", http)
    assert seen == ["/dl/go1.22.5.linux-amd64.tar.gz.asc"] * (retries + 1)


@pytest.mark.parametrize("retries", [0, 2])
def test_checksum_database_lookup_makes_exactly_the_configured_attempts(retries: int):
    http = HttpSettings(timeout=5, retries=retries, backoff=0.0)
    refused = pytest.raises(GorigError, match="cannot reach the checksum database")
    with failing_server() as (url, seen), refused:
        sumdb.recorded_hash(
            "golang.org/toolchain", MODULE_VERSION, env={}, http=http,
            gosumdb=f"sum.golang.org {url}",
        )  # fmt: skip
    assert seen == [f"/lookup/golang.org/toolchain@{MODULE_VERSION}"] * (retries + 1)
