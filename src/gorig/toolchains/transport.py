"""HTTP/1.1 for httpx over the standard library's ``http.client``: the bytes, not the rules.

httpx keeps the client's work: redirects, headers, time-outs, content decoding (when the
environment names a proxy, httpx's own transports do all of it). This transport only
opens the connection, sends the request and reads the answer, for two reasons measured on
archive downloads. Its body reads are one ``recv`` into a large buffer per piece the caller
asks for (httpcore runs h11's parser in Python for every 64 KiB and copies each piece
several times, which cost more CPU than hashing the archive). And the TLS context, whose
CA bundles take tens of milliseconds to load, is made only when an ``https`` URL is asked.

Socket errors become the httpx exceptions httpcore raises for them, with the ``OSError``
as the cause, so :mod:`gorig.toolchains.download` classifies both transports alike.
"""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from gorig.i18n import _

# Bytes per read of a compressed body, which httpx inflates a read at a time: gzip can
# inflate a thousand-fold, so a small read keeps a hostile answer's memory bounded.
ENCODED_CHUNK = 64 << 10


class Http11Transport(httpx.BaseTransport):
    """One connection per request, closed with the response (downloads are long, and
    a mirror sync fetches each file on its own thread)."""

    def __init__(self, tls_context: Callable[[], ssl.SSLContext], chunk: int) -> None:
        """``chunk``: bytes per read of a body sent as it is (the caller's piece size)."""
        self._tls_context = tls_context
        self._chunk = chunk

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        if url.scheme not in ("http", "https") or not url.host:
            raise httpx.UnsupportedProtocol(f"cannot fetch {url}: expected an http(s) URL")
        timeouts = request.extensions.get("timeout", {})
        connection = self._connect(url, timeouts.get("connect"), request)
        try:
            with _mapped(request, httpx.WriteError, httpx.WriteTimeout):
                connection.sock.settimeout(timeouts.get("read"))
                connection.putrequest(request.method, url.raw_path.decode("ascii"),
                                      skip_host=True, skip_accept_encoding=True)  # fmt: skip
                for name, value in request.headers.raw:  # httpx's, Host included
                    connection.putheader(name, value)
                connection.endheaders(request.read() or None)
            with _mapped(request, httpx.ReadError, httpx.ReadTimeout):
                answer = connection.getresponse()
        except BaseException:
            connection.close()
            raise
        return httpx.Response(
            answer.status,
            headers=answer.getheaders(),
            stream=_Body(request, connection, answer, self._chunk),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": answer.reason.encode()},
        )

    def _connect(
        self, url: httpx.URL, timeout: float | None, request: httpx.Request
    ) -> http.client.HTTPConnection:
        host = url.raw_host.decode("ascii")  # an international name in its IDNA form
        connection: http.client.HTTPConnection
        if url.scheme == "https":
            context = self._tls_context()
            connection = http.client.HTTPSConnection(host, url.port, timeout=timeout,
                                                     context=context)  # fmt: skip
        else:
            connection = http.client.HTTPConnection(host, url.port, timeout=timeout)
        with _mapped(request, httpx.ConnectError, httpx.ConnectTimeout):
            connection.connect()
        return connection


class _Body(httpx.SyncByteStream):
    def __init__(
        self,
        request: httpx.Request,
        connection: http.client.HTTPConnection,
        answer: http.client.HTTPResponse,
        chunk: int,
    ) -> None:
        self._request, self._connection, self._answer = request, connection, answer
        self._chunk = chunk

    def __iter__(self) -> Iterator[bytes]:
        encoded = self._answer.getheader("Content-Encoding", "identity").strip() != "identity"
        size = ENCODED_CHUNK if encoded else self._chunk
        with _mapped(self._request, httpx.ReadError, httpx.ReadTimeout):
            while chunk := self._answer.read(size):
                yield chunk
        if self._answer.length:  # http.client ends a short body quietly; httpcore does not
            raise httpx.RemoteProtocolError(
                _("the connection closed {count} bytes before the end of the answer").format(
                    count=self._answer.length
                ),
                request=self._request,
            )

    def close(self) -> None:
        self._answer.close()
        self._connection.close()


@contextmanager
def _mapped(
    request: httpx.Request,
    failed: type[httpx.TransportError],
    timed_out: type[httpx.TimeoutException],
) -> Iterator[None]:
    """Socket and protocol errors as the httpx exception of this step, the cause kept."""
    try:
        yield
    except TimeoutError as error:
        raise timed_out(str(error) or "timed out", request=request) from error
    except http.client.HTTPException as error:  # a malformed or cut-short answer
        why = str(error) or type(error).__name__
        raise httpx.RemoteProtocolError(why, request=request) from error
    except OSError as error:  # ssl.SSLError included: a certificate is checked on connect
        raise failed(str(error) or type(error).__name__, request=request) from error
