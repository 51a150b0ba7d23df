"""The network: small fetches and resumable, hashed downloads over HTTPS.

httpx is imported inside the functions. Proxies come from the environment (``HTTPS_PROXY``,
``NO_PROXY``) through httpx's ``trust_env``. Certificates are checked against the system's
roots, certifi's, and the bundles the user already trusts for this (``SSL_CERT_FILE``,
pip's ``cert``), so a company proxy that pip works through works for gorig too.
Connection errors, timeouts and 5xx answers are retried with exponential backoff; a file
download resumes from its ``*.part`` with an HTTP Range request, and the bytes are hashed as
they arrive, so a verified file is never read twice and an unverified one never gets its
final name.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gorig import __version__
from gorig.errors import GorigError

if TYPE_CHECKING:
    import ssl

    import httpx

ProgressHook = Callable[[int, int | None], None]  # (bytes so far, total bytes or None)
CHUNK = 1 << 20


class DownloadError(GorigError):
    """A download failed after its retries (or could not start)."""


class DownloadNotFound(DownloadError):
    """The server answered 404: the file does not exist there."""


@dataclass(frozen=True)
class HttpSettings:
    """Timeout (seconds without data), retry count and the first backoff delay."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5
    ca_files: tuple[str, ...] = ()  # extra trusted CA bundles

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HttpSettings:
        """``GORIG_HTTP_TIMEOUT`` (else config.toml's ``[install] timeout``) and
        ``GORIG_HTTP_RETRIES`` override the defaults; a bad value is an error naming it."""
        from gorig.config import COUNT, SECONDS, env_value, install_config

        env = os.environ if env is None else env
        timeout = env_value(env, "GORIG_HTTP_TIMEOUT", SECONDS) or install_config(env).timeout
        retries = env_value(env, "GORIG_HTTP_RETRIES", COUNT)
        return cls(
            timeout=cls.timeout if timeout is None else timeout,
            retries=cls.retries if retries is None else retries,
            ca_files=_trusted_bundles(env),
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
            raise GorigError(f"cannot load the CA bundle {path}: {error}") from None
    return context


@contextmanager
def _client(settings: HttpSettings) -> Iterator[httpx.Client]:
    import httpx

    timeout = httpx.Timeout(settings.timeout, connect=min(settings.timeout, 15.0))
    headers = {"User-Agent": f"gorig/{__version__}"}
    with httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        trust_env=True,
        headers=headers,
        verify=_ssl_context(settings.ca_files),
    ) as client:
        yield client


def _untrusted_certificate(error: BaseException) -> str | None:
    """The verification failure behind a transport error, if that is what it was."""
    import ssl

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def _with_retries(url: str, settings: HttpSettings, attempt: Callable[[], Any]) -> Any:
    """Run ``attempt`` until it succeeds, retrying :class:`_Retry` and transport errors."""
    import httpx

    reason = ""
    for number in range(settings.retries + 1):
        if number:
            time.sleep(min(settings.backoff * 2 ** (number - 1), 8.0))
        try:
            return attempt()
        except _Retry as failure:
            reason = failure.reason
        except httpx.TimeoutException:
            reason = f"no data for {settings.timeout:g} s (timed out)"
        except httpx.TransportError as error:
            untrusted = _untrusted_certificate(error)
            if untrusted is not None:  # no retry makes a certificate trusted
                raise DownloadError(
                    f"{url}: the server's TLS certificate is not trusted ({untrusted}); if a "
                    "proxy or company CA signs it, set SSL_CERT_FILE (or pip's cert) to its "
                    "CA bundle"
                ) from None
            reason = str(error) or type(error).__name__
    raise DownloadError(
        f"{url}: {reason}; gave up after {settings.retries + 1} attempts "
        "(check the network or proxy, then run the command again)"
    )


def _check_status(response: httpx.Response, url: str) -> None:
    if response.status_code == 404:
        raise DownloadNotFound(f"{url} does not exist (HTTP 404)")
    if response.status_code >= 500:
        raise _Retry(f"server error HTTP {response.status_code}")
    if response.status_code >= 400:
        raise DownloadError(f"{url}: HTTP {response.status_code}; check the URL or source")


def fetch_bytes(
    url: str,
    *,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
    settings: HttpSettings | None = None,
) -> bytes:
    """GET a small resource with retries; :class:`DownloadNotFound` on 404."""
    settings = settings or HttpSettings(timeout=timeout)

    def attempt() -> bytes:
        with _client(settings) as client:
            response = client.get(url, headers=dict(headers or {}))
            _check_status(response, url)
            return response.content

    return _with_retries(url, settings, attempt)


def fetch_json(
    url: str, *, headers: Mapping[str, str] | None = None, settings: HttpSettings | None = None
) -> Any:
    """GET and parse JSON; a body that is not JSON is a clear error naming the URL."""
    import json

    body = fetch_bytes(url, headers=headers, settings=settings or HttpSettings())
    try:
        return json.loads(body)
    except ValueError:
        raise DownloadError(f"{url} did not answer JSON; check the index URL") from None


def _hash_file(path: Path) -> Any:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest


def sha256_of(path: Path) -> str:
    return str(_hash_file(path).hexdigest())


@dataclass
class _Partial:
    """The ``*.part`` file and the hash of the bytes already in it."""

    path: Path
    digest: Any
    size: int

    @classmethod
    def open(cls, path: Path) -> _Partial:
        if path.exists():
            return cls(path, _hash_file(path), path.stat().st_size)
        return cls(path, hashlib.sha256(), 0)

    def restart(self) -> None:
        self.path.unlink(missing_ok=True)
        self.digest, self.size = hashlib.sha256(), 0


def _stream_into(
    client: httpx.Client, url: str, part: _Partial, total: int | None, progress: ProgressHook | None
) -> int | None:
    """One GET (ranged when resuming) appended to ``part``; returns the expected total size."""
    headers = {"Range": f"bytes={part.size}-"} if part.size else {}
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 416:  # the part is already whole or larger: start over
            part.restart()
            raise _Retry("the partial download did not match the server's file")
        _check_status(response, url)
        if part.size and response.status_code != 206:
            part.restart()  # the server ignored Range: take the whole body
        length = response.headers.get("Content-Length")
        if total is None and length is not None:
            total = part.size + int(length)
        with part.path.open("ab") as file:
            for chunk in response.iter_bytes(CHUNK):
                file.write(chunk)
                part.digest.update(chunk)
                part.size += len(chunk)
                if progress:
                    progress(part.size, total)
    return total


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
    if dest.exists() and sha256 and sha256_of(dest) == sha256.lower():
        return sha256.lower()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = _Partial.open(dest.with_name(dest.name + ".part"))

    with _client(settings) as client:

        def attempt() -> int | None:
            total = _stream_into(client, url, part, size, progress)
            if total is not None and part.size < total:
                raise _Retry(f"connection closed after {part.size} of {total} bytes")
            return total

        _with_retries(url, settings, attempt)
    digest = part.digest.hexdigest()
    if (size is not None and part.size != size) or (sha256 and digest != sha256.lower()):
        part.restart()
        raise DownloadError(
            f"{dest.name} failed verification: expected SHA-256 {sha256} and {size} bytes, "
            f"got {digest} and {part.size}; the download was deleted and nothing was installed"
        )
    part.path.replace(dest)
    return str(digest)
