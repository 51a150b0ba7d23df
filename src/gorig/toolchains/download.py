"""The network: small fetches and resumable, hashed downloads over HTTPS.

httpx is imported inside the functions. Proxies come from the environment (``HTTPS_PROXY``,
``NO_PROXY``) through httpx's ``trust_env``. Certificates are checked against the system's
roots, certifi's, and the bundles the user already trusts for this (``SSL_CERT_FILE``,
pip's ``cert``), so a company proxy that pip works through works for gorig too.

Failures are classified so time is spent only where it can help. A name that does not
resolve, a refused connection and a connection that cannot be made within the (short)
connect timeout are answered at once as :class:`Unreachable`: no retry against that host.
5xx answers, resets and time-outs once an answer has begun are retried with exponential
backoff; a file download resumes from its ``*.part`` with an HTTP Range request, and the
bytes are hashed as they arrive, so a verified file is never read twice and an unverified
one never gets its final name. A small fetch (an index, a listing) also has a deadline:
however its attempts go, it gives up when the deadline passes. ``GORIG_NET_TRACE`` names a
file that gets one JSON line per attempt (URL, start, end, outcome), for tests and bug
reports.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorig import __version__
from gorig.errors import GorigError, os_errors_at
from gorig.fs import sha256_file, sha256_running
from gorig.i18n import _, ngettext

if TYPE_CHECKING:
    import ssl

    import httpx

    from gorig.config import InstallConfig

ProgressHook = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)
CHUNK = 1 << 20
MAX_SMALL = 64 << 20  # bytes of an index page, a .sha256 or a checksum-database answer
MAX_DOWNLOAD = 1 << 30  # bytes of an archive no index sizes; Go's largest are ~200 MB
# One line of a published .sha256: a bare digest, sha256sum's "digest  name" (or " *name"),
# or BSD's "SHA256 (name) = digest".
_DIGEST_LINE = re.compile(
    r"(?P<digest>[0-9a-fA-F]{64})(?:[ \t]+\*?(?P<name>.+))?"
    r"|SHA256 ?\((?P<bsd_name>.+)\) ?= ?(?P<bsd_digest>[0-9a-fA-F]{64})"
)


class DownloadError(GorigError):
    """A download failed after its retries (or could not start).

    ``reason`` is the short cause a narration line shows (``HTTP 503``, ``no answer in 10 s``).
    """

    def __init__(self, message: str, *, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class DownloadNotFound(DownloadError):
    """The server answered 404: the file does not exist there."""


class Unreachable(DownloadError):
    """The host cannot be reached at all (no name, refused, no connection): not retried."""


class Cancelled(DownloadError):
    """Another fetch answered first; this one was abandoned."""


@dataclass(frozen=True)
class HttpSettings:
    """Time-outs, retries, trusted CAs, and who hears about slow steps.

    ``timeout``: seconds without data; ``connect_timeout``: seconds to open a connection;
    ``deadline``: seconds a small fetch (an index, a listing, a checksum) may take in all,
    retries included; ``retries`` and ``backoff``: the retry count and its first delay.
    """

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5
    ca_files: tuple[str, ...] = ()  # extra trusted CA bundles
    connect_timeout: float = 3.0
    deadline: float = 8.0
    trace: str | None = None  # GORIG_NET_TRACE: a file for one JSON line per attempt
    note: Callable[[str], Any] | None = field(default=None, compare=False)

    @classmethod
    def configured(cls, env: Mapping[str, str], config: InstallConfig) -> HttpSettings:
        """``GORIG_HTTP_TIMEOUT`` (else config.toml's ``[install] timeout``),
        ``GORIG_CONNECT_TIMEOUT``, ``GORIG_NET_DEADLINE`` (seconds) and ``GORIG_HTTP_RETRIES``
        override the defaults; a bad value is an error naming it. Built once per command by
        :class:`gorig.context.Context`."""
        from gorig.config import COUNT, SECONDS, env_value

        timeout = env_value(env, "GORIG_HTTP_TIMEOUT", SECONDS) or config.timeout
        retries = env_value(env, "GORIG_HTTP_RETRIES", COUNT)
        connect = env_value(env, "GORIG_CONNECT_TIMEOUT", SECONDS)
        deadline = env_value(env, "GORIG_NET_DEADLINE", SECONDS)
        return cls(
            timeout=cls.timeout if timeout is None else timeout,
            retries=cls.retries if retries is None else retries,
            ca_files=_trusted_bundles(env),
            connect_timeout=cls.connect_timeout if connect is None else connect,
            deadline=cls.deadline if deadline is None else deadline,
            trace=env.get("GORIG_NET_TRACE") or None,
        )


class _Retry(Exception):
    """A failure worth another attempt; ``reason`` is what the user will read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _trusted_bundles(env: Mapping[str, str]) -> tuple[str, ...]:
    """CA bundles the user configured: ``SSL_CERT_FILE`` and pip's ``cert`` setting."""
    from gorig.toolchains.pipconfig import configured_cert

    named = (env.get("SSL_CERT_FILE"), configured_cert(env))
    return tuple(dict.fromkeys(path for path in named if path))


@cache
def _ssl_context(ca_files: tuple[str, ...]) -> ssl.SSLContext:
    import ssl

    import certifi

    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()  # the system's roots as well
    for path in ca_files:
        try:
            context.load_verify_locations(cafile=path)
        except (OSError, ssl.SSLError) as error:
            raise GorigError(
                _("cannot load the CA bundle {path}: {error}").format(path=path, error=error)
            ) from None
    return context


@contextmanager
def _client(settings: HttpSettings, budget: float | None = None) -> Iterator[httpx.Client]:
    """A client whose time-outs never run past ``budget`` seconds (a fetch's deadline).

    Connections go through :class:`~gorig.toolchains.transport.Http11Transport`, which makes
    the TLS context only for an https URL, unless the environment names a proxy: httpx
    reads proxies from the environment only with its own transports (and those take the
    context up front).
    """
    from urllib.request import getproxies

    import httpx

    from gorig.toolchains.transport import Http11Transport

    read = settings.timeout if budget is None else max(min(settings.timeout, budget), 0.01)
    timeout = httpx.Timeout(read, connect=min(settings.connect_timeout, read))
    headers = {"User-Agent": f"gorig/{__version__}"}
    proxies = getproxies()  # what httpx's trust_env reads: these schemes name a proxy
    if any(proxies.get(scheme) for scheme in ("http", "https", "all")):
        connect: dict[str, Any] = {"verify": _ssl_context(settings.ca_files)}
    else:
        connect = {"transport": Http11Transport(partial(_ssl_context, settings.ca_files), CHUNK)}
    with httpx.Client(
        timeout=timeout, follow_redirects=True, trust_env=True, headers=headers, **connect
    ) as client:
        yield client


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        seen = seen.__cause__ or seen.__context__


def _untrusted_certificate(error: BaseException) -> str | None:
    """The verification failure behind a transport error, if that is what it was."""
    import ssl

    for cause in _causes(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return cause.verify_message or str(cause)
    return None


def _unreachable(error: BaseException, settings: HttpSettings) -> str | None:
    """Why no connection could be made, when that is what failed (no retry can help)."""
    import socket

    import httpx

    if isinstance(error, httpx.ConnectTimeout):
        return _("no connection within {seconds} s").format(seconds=f"{settings.connect_timeout:g}")
    if not isinstance(error, httpx.ConnectError):
        return None
    for cause in _causes(error):
        if isinstance(cause, socket.gaierror):
            return _("name not resolved")
        if isinstance(cause, ConnectionRefusedError):
            return _("connection refused")
    return _("cannot connect ({error})").format(error=error)


class _Trace:
    """``GORIG_NET_TRACE``: one JSON line per attempt, appended (threads share the file)."""

    lock = threading.Lock()

    def __init__(self, settings: HttpSettings, url: str) -> None:
        self.path, self.url, self.start = settings.trace, url, time.time()

    def done(self, outcome: str) -> None:
        if self.path is None:
            return
        line = {"url": self.url, "start": self.start, "end": time.time(), "outcome": outcome}
        with self.lock, open(self.path, "a", encoding="utf-8") as file:
            file.write(json.dumps(line) + "\n")


def _with_retries(
    url: str,
    settings: HttpSettings,
    attempt: Callable[[float | None], Any],
    *,
    deadline: float | None = None,
    cancel: threading.Event | None = None,
) -> Any:
    """Run ``attempt(budget)`` until it succeeds, retrying only what a retry can fix.

    ``deadline`` (a :func:`time.monotonic` value) bounds the whole: no attempt and no
    backoff runs past it, and each attempt gets the seconds left as its ``budget``.
    """
    import httpx

    if url.startswith("https:"):  # made once per process: not part of any attempt's time
        _ssl_context(settings.ca_files)
    reason = ""
    attempts = 0
    for number in range(settings.retries + 1):
        if number:
            delay = min(settings.backoff * 2 ** (number - 1), 8.0)
            if deadline is not None and time.monotonic() + delay >= deadline:
                break
            retrying = _("{host}: {reason}; retrying in {seconds} s")
            _narrate(
                settings, retrying.format(host=_host(url), reason=reason, seconds=f"{delay:g}")
            )
            time.sleep(delay)
        if cancel is not None and cancel.is_set():
            raise Cancelled(_("{url}: abandoned").format(url=url), reason=_("abandoned"))
        budget = None if deadline is None else deadline - time.monotonic()
        if budget is not None and budget <= 0:
            break
        trace = _Trace(settings, url)
        attempts += 1
        try:
            result = attempt(budget)
        except _Retry as failure:
            reason = failure.reason
        except httpx.TimeoutException as error:
            unreachable = _unreachable(error, settings)
            if unreachable is not None:
                trace.done(f"unreachable ({unreachable})")
                raise _unreachable_error(url, unreachable) from None
            waited = settings.timeout if budget is None else min(settings.timeout, budget)
            reason = _("no data for {seconds} s (timed out)").format(seconds=f"{waited:.3g}")
        except httpx.TooManyRedirects:  # no retry ends a loop
            trace.done("too many redirects")
            raise DownloadError(
                _(
                    "{url}: too many redirects (a redirect loop?); check the URL, mirror or proxy"
                ).format(url=url),
                reason=_("too many redirects"),
            ) from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            trace.done("not a URL")
            raise DownloadError(
                _(
                    "{url} is not a URL gorig can fetch ({error}); check the source or mirror"
                ).format(url=url, error=error),
                reason=_("not a URL gorig can fetch"),
            ) from None
        except httpx.TransportError as error:
            untrusted = _untrusted_certificate(error)
            if untrusted is not None:  # no retry makes a certificate trusted
                trace.done("untrusted certificate")
                why = _(
                    "the server's TLS certificate is not trusted ({why}); if a proxy or "
                    "company CA signs it, set SSL_CERT_FILE (or pip's cert) to its CA bundle"
                ).format(why=untrusted)
                raise DownloadError(f"{url}: {why}", reason=why) from None
            unreachable = _unreachable(error, settings)
            if unreachable is not None:
                trace.done(f"unreachable ({unreachable})")
                raise _unreachable_error(url, unreachable) from None
            reason = str(error) or type(error).__name__
        except DownloadError as error:
            trace.done(error.reason)
            raise
        else:
            trace.done("ok")
            return result
        trace.done(reason)
    if deadline is None:
        gave_up = ngettext(
            "{url}: {reason}; gave up after {attempts} attempt "
            "(check the network or proxy, then run the command again)",
            "{url}: {reason}; gave up after {attempts} attempts "
            "(check the network or proxy, then run the command again)",
            attempts,
        )
    else:
        gave_up = ngettext(
            "{url}: {reason}; gave up after {attempts} attempt within {seconds} s "
            "(check the network or proxy, then run the command again)",
            "{url}: {reason}; gave up after {attempts} attempts within {seconds} s "
            "(check the network or proxy, then run the command again)",
            attempts,
        )
    seconds = f"{settings.deadline:g}"
    raise DownloadError(
        gave_up.format(url=url, reason=reason, attempts=attempts, seconds=seconds), reason=reason
    )


def _unreachable_error(url: str, why: str) -> Unreachable:
    reason = _("unreachable ({why})").format(why=why)
    return Unreachable(f"{url}: {reason}", reason=reason)


def _host(url: str) -> str:
    """The host (and port) of a URL, as narration names it."""
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def _narrate(settings: HttpSettings, line: str) -> None:
    if settings.note is not None:
        settings.note(line)


def _check_status(response: httpx.Response, url: str) -> None:
    if response.status_code == 404:
        raise DownloadNotFound(
            _("{url} does not exist (HTTP 404)").format(url=url), reason="HTTP 404"
        )
    if response.status_code >= 500:
        raise _Retry(_("server error HTTP {status}").format(status=response.status_code))
    if response.status_code >= 400:
        raise DownloadError(
            _("{url}: HTTP {status}; check the URL or source").format(
                url=url, status=response.status_code
            ),
            reason=f"HTTP {response.status_code}",
        )


@dataclass(frozen=True)
class Fetched:
    """A small resource: the status (200, or 304 to a conditional request), body, headers."""

    status: int
    body: bytes
    headers: dict[str, str]


def fetch(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    settings: HttpSettings | None = None,
    cancel: threading.Event | None = None,
) -> Fetched:
    """GET a small resource within the settings' deadline; :class:`DownloadNotFound` on 404.

    ``cancel`` abandons the fetch (:class:`Cancelled`) at its next chunk or attempt.
    """
    settings = settings or HttpSettings()
    deadline = time.monotonic() + settings.deadline

    def attempt(budget: float | None) -> Fetched:
        with _client(settings, budget) as client:
            response = _answer(client, url, headers or {}, settings, budget)
            try:
                if response.status_code == 304:
                    return Fetched(304, b"", dict(response.headers))
                _check_status(response, url)
                body = bytearray()
                for chunk in response.iter_bytes(CHUNK):
                    body += chunk
                    if len(body) > MAX_SMALL:  # gzip can inflate a thousand-fold
                        raise DownloadError(
                            _(
                                "{url} answered more than {mib} MiB, far more than any index, "
                                "listing or checksum file; check the URL"
                            ).format(url=url, mib=MAX_SMALL >> 20),
                            reason=_("answered more than {mib} MiB").format(mib=MAX_SMALL >> 20),
                        )
                    if cancel is not None and cancel.is_set():
                        raise Cancelled(
                            _("{url}: abandoned").format(url=url), reason=_("abandoned")
                        )
                    if time.monotonic() > deadline:
                        still = _("still sending after {seconds} s")
                        raise _Retry(still.format(seconds=f"{settings.deadline:g}"))
                return Fetched(response.status_code, bytes(body), dict(response.headers))
            finally:
                response.close()

    return _with_retries(url, settings, attempt, deadline=deadline, cancel=cancel)


def _answer(
    client: httpx.Client,
    url: str,
    headers: Mapping[str, str],
    settings: HttpSettings,
    budget: float | None,
) -> httpx.Response:
    """Send a GET and wait for the answer's head; a host that never answers is unreachable
    (retrying it only waits again), unlike a time-out once an answer has begun."""
    import httpx

    try:
        return client.send(client.build_request("GET", url, headers=dict(headers)), stream=True)
    except httpx.ReadTimeout:
        waited = settings.timeout if budget is None else min(settings.timeout, budget)
        no_answer = _("no answer in {seconds} s").format(seconds=f"{waited:.2g}")
        raise _unreachable_error(url, no_answer) from None


def fetch_bytes(
    url: str,
    *,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
    settings: HttpSettings | None = None,
) -> bytes:
    """GET a small resource with retries; :class:`DownloadNotFound` on 404."""
    return fetch(url, headers=headers, settings=settings or HttpSettings(timeout=timeout)).body


def fetch_json(
    url: str, *, headers: Mapping[str, str] | None = None, settings: HttpSettings | None = None
) -> Any:
    """GET and parse JSON; a body that is not JSON is a clear error naming the URL."""
    body = fetch_bytes(url, headers=headers, settings=settings or HttpSettings())
    return parse_json(body, url)


def parse_json(body: bytes, url: str) -> Any:
    """A fetched body as JSON; a body that is not JSON is a clear error naming the URL."""
    try:
        return json.loads(body)
    except ValueError:
        raise DownloadError(
            _("{url} did not answer JSON; check the index URL").format(url=url)
        ) from None


def parse_sha256_file(body: bytes, filename: str, url: str) -> str:
    """The SHA-256 of ``filename`` from a published ``.sha256`` file, lower-case.

    The forms people publish are accepted: a bare digest, ``digest  name`` (sha256sum, with
    ``*name`` in binary mode), BSD's ``SHA256 (name) = digest``, in either case, with a BOM,
    CRLF or blank lines; lines naming other files are skipped. Anything else (an HTML error
    page, say) is refused here, before the archive is downloaded.
    """
    try:
        lines = [line.strip() for line in body.decode("utf-8-sig").splitlines()]
    except UnicodeDecodeError:
        raise _not_a_digest_file(url, _("bytes that are not UTF-8 text")) from None
    found: set[str] = set()
    for line in filter(None, lines):
        match = _DIGEST_LINE.fullmatch(line)
        if match is None:
            raise _not_a_digest_file(url, repr(line[:60]))
        name = (match["name"] or match["bsd_name"] or filename).strip()
        if name.removeprefix("*").rsplit("/", 1)[-1] == filename:
            found.add((match["digest"] or match["bsd_digest"]).lower())
    if len(found) != 1:
        why = (
            _("{url} lists no digest for {filename}")
            if not found
            else _("{url} lists different digests for {filename}")
        )
        raise DownloadError(why.format(url=url, filename=filename))
    return found.pop()


def _not_a_digest_file(url: str, holds: str) -> DownloadError:
    return DownloadError(
        _(
            "{url} is not a SHA-256 file (it holds {holds}); expected a 64-digit hex digest, "
            "'digest  name' or 'SHA256 (name) = digest'"
        ).format(url=url, holds=holds)
    )


@dataclass
class _Partial:
    """The ``*.part`` file and the hash of the bytes already in it."""

    path: Path
    digest: Any
    size: int

    @classmethod
    def open(cls, path: Path) -> _Partial:
        if path.exists():
            return cls(path, sha256_running(path), path.stat().st_size)
        return cls(path, hashlib.sha256(), 0)

    def restart(self) -> None:
        self.path.unlink(missing_ok=True)
        self.digest, self.size = hashlib.sha256(), 0


def _stream_into(
    client: httpx.Client,
    url: str,
    part: _Partial,
    expected: int | None,
    progress: ProgressHook | None,
    settings: HttpSettings,
) -> int | None:
    """One GET (ranged when resuming) appended to ``part``; returns the file's size as the
    server gives it (None if it does not say).

    The bytes are stored as sent (``iter_raw``, identity asked for): a server that labels a
    .tar.gz ``Content-Encoding: gzip`` must not have it inflated, since the published
    checksum is over the archive itself. A file whose size differs from ``expected`` (the
    index's), or passes ``MAX_DOWNLOAD`` when no index gives a size, is refused as soon as
    that shows, never downloaded without end.
    """
    headers = {"Accept-Encoding": "identity"}
    if part.size:
        headers["Range"] = f"bytes={part.size}-"
    with closing(_answer(client, url, headers, settings, None)) as response:
        if response.status_code == 416:  # the part is already whole or larger: start over
            part.restart()
            raise _Retry(_("the partial download did not match the server's file"))
        _check_status(response, url)
        if part.size and response.status_code != 206:
            part.restart()  # the server ignored Range: take the whole body
        served = _served_size(response, part.size)
        limit = MAX_DOWNLOAD if expected is None else expected
        if served is not None and (served > limit or expected not in (None, served)):
            part.restart()
            raise _size_differs(url, served, expected)
        with part.path.open("ab") as file:
            for chunk in response.iter_raw():  # as read: re-chunking copies every byte
                file.write(chunk)
                part.digest.update(chunk)
                part.size += len(chunk)
                if part.size > limit:
                    part.restart()
                    raise _size_differs(url, _("more than {limit}").format(limit=limit), expected)
                if progress:
                    progress(part.size, expected or served)
    return served


def _served_size(response: httpx.Response, offset: int) -> int | None:
    """The whole file's size by the answer's Content-Range or Content-Length."""
    whole = response.headers.get("Content-Range", "").rpartition("/")[2]
    if response.status_code == 206 and whole.isdigit():
        return int(whole)
    length = response.headers.get("Content-Length", "")
    return offset + int(length) if length.isdigit() else None


def _size_differs(url: str, served: int | str, expected: int | None) -> DownloadError:
    if expected is None:
        return DownloadError(
            _(
                "{url} is {served} bytes, more than any Go toolchain archive "
                "({mib} MiB at most); nothing was installed"
            ).format(url=url, served=served, mib=MAX_DOWNLOAD >> 20)
        )
    return DownloadError(
        _(
            "{url} is {served} bytes, but the index lists {expected}; the server or the index "
            "is wrong, and nothing was installed"
        ).format(url=url, served=served, expected=expected)
    )


def download(
    url: str,
    dest: Path,
    *,
    sha256: str | None,
    size: int | None = None,
    settings: HttpSettings | None = None,
    progress: ProgressHook | None = None,
) -> str:
    """Download ``url`` to ``dest`` through ``dest.part``; return the SHA-256 hex digest.

    When ``sha256`` is given the file only gets its final name if it matches; a mismatch
    deletes the partial file (its bytes cannot be trusted for a resume) and raises.
    """
    settings = settings or HttpSettings()
    if dest.exists() and sha256 and sha256_file(dest) == sha256.lower():
        return sha256.lower()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = _Partial.open(dest.with_name(dest.name + ".part"))

    with _client(settings) as client:

        def attempt(_budget: float | None) -> None:
            served = _stream_into(client, url, part, size, progress, settings)
            total = size if size is not None else served
            if total is not None and part.size < total:
                ended = _("the answer ended after {got} of {total} bytes")
                raise _Retry(ended.format(got=part.size, total=total))

        try:
            with os_errors_at(part.path):
                _with_retries(url, settings, attempt)
        except OSError as error:
            if error.errno == errno.ENOSPC:  # it filled the disk, and prune keeps a fresh one
                part.restart()
            raise
    digest, got = part.digest.hexdigest(), part.size
    if (size is not None and got != size) or (sha256 and digest != sha256.lower()):
        part.restart()
        failed = (
            _(
                "{file} failed verification: expected SHA-256 {sha256}, got {digest} and "
                "{got} bytes; the download was deleted and nothing was installed"
            )
            if size is None
            else _(
                "{file} failed verification: expected SHA-256 {sha256} and {size} bytes, got "
                "{digest} and {got} bytes; the download was deleted and nothing was installed"
            )
        )
        raise DownloadError(
            failed.format(file=dest.name, sha256=sha256, size=size, digest=digest, got=got)
        )
    part.path.replace(dest)
    return str(digest)
