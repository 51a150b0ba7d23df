"""Toolchains from a module proxy on 127.0.0.1, verified by a test checksum database."""

from __future__ import annotations

import os
import zipfile

import pytest
from trust_support import (
    MODULE_VERSION,
    PREFIX,
    TOOLCHAIN_GOMOD,
    GoProxy,
    NoteKey,
    go_mod_download,
    http_server,
    sumdb_routes,
    tamper_note,
)

from conftest import run_gorig
from gorig.errors import GorigError
from gorig.toolchains.download import HttpSettings
from gorig.toolchains.extract import extract
from gorig.toolchains.index import parse_listing
from gorig.toolchains.sources import goproxy as proxy_source
from support import gobin

ZIP_PATH = f"/golang.org/toolchain/@v/{MODULE_VERSION}.zip"
LOOKUP = f"/lookup/golang.org/toolchain@{MODULE_VERSION}"
# Real files of a real GOROOT, enough for its go binary to find its GOROOT (pkg/tool)
# and run 'go version'.
MEMBERS = [
    "VERSION",
    "go.env",
    "bin/go",
    "bin/gofmt",
    "src/go.mod",
    "src/errors/errors.go",
    "pkg/tool/linux_amd64/pack",
]
HTTP = HttpSettings(timeout=10, retries=0)


@pytest.fixture(scope="module")
def toolchain_zip(tmp_path_factory):
    """(module zip, Go's h1 of it): distpack's names, no Unix modes, as a proxy might serve."""
    root = gobin.goroot(gobin.GO_1_22)
    tmp = tmp_path_factory.mktemp("goproxy")
    zip_file = tmp / "toolchain.zip"
    with zipfile.ZipFile(zip_file, "w", zipfile.ZIP_STORED) as out:
        for member in MEMBERS:
            name = member.replace("go.mod", "_go.mod")
            out.writestr(zipfile.ZipInfo(PREFIX + name), (root / member).read_bytes())
    proxy = GoProxy(tmp / "proxy")
    proxy.add("golang.org/toolchain", MODULE_VERSION, zip_file, TOOLCHAIN_GOMOD)
    sums = go_mod_download(proxy, f"golang.org/toolchain@{MODULE_VERSION}", tmp)
    return zip_file, sums["Sum"]


@pytest.fixture
def world(toolchain_zip):
    """A proxy and a checksum database on 127.0.0.1; returns (served, GOSUMDB value)."""
    zip_file, h1 = toolchain_zip
    key = NoteKey("sumdb.test")
    with http_server() as served:
        served.routes[ZIP_PATH] = zip_file.read_bytes()
        served.routes.update(sumdb_routes(key, [f"golang.org/toolchain {MODULE_VERSION} {h1}"]))
        yield served, f"{key.vkey} {served.url}"


@pytest.mark.toolchain
@pytest.mark.network
def test_verified_module_becomes_a_working_goroot(world, tmp_path):
    served, gosumdb = world
    downloads = tmp_path / "downloads"
    zip_file = proxy_source.fetch_verified(
        [served.url], MODULE_VERSION, downloads, gosumdb=gosumdb, env={}, http=HTTP
    )
    assert served.seen[:2] == [ZIP_PATH, LOOKUP]
    assert {path.split("/")[3] for path in served.seen[2:]} == {"0", "1"}  # tiles, 2 levels
    root = extract(zip_file, "module", tmp_path / "staging")
    assert (root / "src" / "go.mod").is_file() and not (root / "src" / "_go.mod").exists()
    assert oct((root / "src" / "go.mod").stat().st_mode & 0o777) == "0o644"
    clean = {"GOROOT": str(root), "GOTOOLCHAIN": "local", "PATH": "/usr/bin:/bin"}
    version = gobin.go_version_line(root / "bin" / "go", env=clean)
    assert version == f"go version go{gobin.GO_1_22} linux/amd64"


@pytest.mark.toolchain
@pytest.mark.network
def test_tampered_zip_is_refused_and_nothing_is_kept(world, tmp_path):
    served, gosumdb = world
    served.routes[ZIP_PATH] = _altered_zip(served.routes[ZIP_PATH], tmp_path)
    downloads = tmp_path / "downloads"
    with pytest.raises(GorigError, match="the proxy served altered bytes"):
        proxy_source.fetch_verified(
            [served.url], MODULE_VERSION, downloads, gosumdb=gosumdb, env={}, http=HTTP
        )
    assert list(downloads.iterdir()) == []


@pytest.mark.toolchain
@pytest.mark.network
def test_wrong_key_note_is_refused(world, tmp_path):
    served, gosumdb = world
    served.routes.update(sumdb_routes(NoteKey("sumdb.test"), ["anything"]))
    with pytest.raises(GorigError, match="no verifiable signatures"):
        proxy_source.fetch_verified(
            [served.url], MODULE_VERSION, tmp_path / "d", gosumdb=gosumdb, env={}, http=HTTP
        )
    assert list((tmp_path / "d").iterdir()) == []


@pytest.mark.toolchain
@pytest.mark.network
def test_next_proxy_is_tried_after_a_404(world, tmp_path):
    served, gosumdb = world
    bases = [served.url + "/empty", served.url]
    zip_file = proxy_source.fetch_verified(
        bases, MODULE_VERSION, tmp_path, gosumdb=gosumdb, env={}, http=HTTP
    )
    assert zip_file.name == f"{MODULE_VERSION}.zip"
    assert served.seen[0] == "/empty" + ZIP_PATH


def test_entry_climbing_out_is_refused(tmp_path):
    bad = tmp_path / f"{MODULE_VERSION}.zip"
    with zipfile.ZipFile(bad, "w") as out:
        out.writestr(PREFIX + "bin/go", b"x")
        out.writestr(PREFIX + "../../escape", b"x")
    with pytest.raises(GorigError, match="climbs out with"):
        extract(bad, "module", tmp_path / "staging")
    assert not (tmp_path / "escape").exists()


@pytest.mark.parametrize(
    ("url", "goproxy_env", "bases"),
    [
        (None, None, ["https://proxy.golang.org"]),
        (None, "https://goproxy.cn,direct", ["https://goproxy.cn"]),
        (
            None,
            "https://a.example|https://b.example/,off,https://c.example",
            ["https://a.example", "https://b.example"],
        ),
        ("https://goproxy.cn", "off", ["https://goproxy.cn"]),
    ],
)
def test_proxy_bases(url, goproxy_env, bases):
    env = {"GOENV": "off"} if goproxy_env is None else {"GOENV": "off", "GOPROXY": goproxy_env}
    assert proxy_source.proxy_bases(url, env) == bases


@pytest.mark.parametrize("value", ["off", "direct", "direct,off"])
def test_proxy_bases_refusals(value):
    with pytest.raises(GorigError, match="names no module proxy"):
        proxy_source.proxy_bases(None, {"GOENV": "off", "GOPROXY": value})


def test_listing_becomes_releases():
    listing = (
        "v0.0.1-go1.22.5.linux-amd64\nv0.0.1-go1.22.5.darwin-arm64\n"
        "v0.0.1-go1.23rc1.linux-amd64\nv0.0.1-go1.21.0.linux-arm\nnot-a-version\n"
    )
    releases = parse_listing(listing, "https://proxy.example")
    assert [(r.version.tag, r.stable) for r in releases] == [
        ("go1.23rc1", False),
        ("go1.22.5", True),
        ("go1.21.0", True),
    ]
    file = releases[1].file_for("darwin", "arm64")
    assert file is not None
    assert file.url == (
        "https://proxy.example/golang.org/toolchain/@v/v0.0.1-go1.22.5.darwin-arm64.zip"
    )
    assert file.sha256 is None


def _install(served, gosumdb, home):
    env = {**os.environ, "GORIG_HOME": str(home), "GOSUMDB": gosumdb, "NO_COLOR": "1"}
    return run_gorig(
        "install",
        "1.22",
        "--os",
        "linux",
        "--arch",
        "amd64",
        "--source",
        f"goproxy:{served.url}",
        env=env,
    )


@pytest.mark.toolchain
@pytest.mark.network
def test_gorig_install_from_goproxy(world, tmp_path):
    served, gosumdb = world
    served.routes["/golang.org/toolchain/@v/list"] = f"{MODULE_VERSION}\n".encode()
    done = _install(served, gosumdb, tmp_path / "home")
    assert done.returncode == 0, done.stderr
    go = tmp_path / "home" / "toolchains" / f"go{gobin.GO_1_22}.linux-amd64" / "bin" / "go"
    version = gobin.go_version_line(go, env={"GOTOOLCHAIN": "local", "PATH": "/usr/bin:/bin"})
    assert version == f"go version go{gobin.GO_1_22} linux/amd64"


def _altered_zip(data: bytes, tmp_path) -> bytes:
    """The zip with one file changed, re-written so it is well formed (valid CRCs)."""
    original, altered = tmp_path / "original.zip", tmp_path / "altered.zip"
    original.write_bytes(data)
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(altered, "w") as out:
        for info in src.infolist():
            out.writestr(info, src.read(info).replace(b"package errors", b"package errorz", 1))
    return altered.read_bytes()


@pytest.mark.toolchain
@pytest.mark.network
@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("tampered archive", "the proxy served altered bytes"),
        ("tampered note", "invalid signature for key sumdb.test"),
        ("wrong-key note", "not signed by sumdb.test's key (note has no verifiable signatures)"),
    ],
)
def test_gorig_install_refuses_and_installs_nothing(world, tmp_path, fault, message):
    served, gosumdb = world
    served.routes["/golang.org/toolchain/@v/list"] = f"{MODULE_VERSION}\n".encode()
    if fault == "tampered archive":
        served.routes[ZIP_PATH] = _altered_zip(served.routes[ZIP_PATH], tmp_path)
    elif fault == "tampered note":
        served.routes[LOOKUP] = tamper_note(served.routes[LOOKUP])
    else:
        served.routes.update(sumdb_routes(NoteKey("sumdb.test"), ["anything"]))
    done = _install(served, gosumdb, tmp_path / "home")
    assert done.returncode == 1
    assert message in done.stderr
    assert done.stderr.startswith("gorig: error: ") and "Traceback" not in done.stderr
    toolchains = tmp_path / "home" / "toolchains"
    assert not toolchains.exists() or list(toolchains.iterdir()) == []
    downloads = tmp_path / "home" / "downloads"
    assert not downloads.exists() or list(downloads.iterdir()) == []


@pytest.mark.toolchain
@pytest.mark.network
def test_gorig_install_from_a_file_goproxy(toolchain_zip, tmp_path):
    """GOPROXY=file://DIR works as with the go command (list, zip), checked by the database."""
    zip_file, h1 = toolchain_zip
    proxy = GoProxy(tmp_path / "proxy")
    proxy.add("golang.org/toolchain", MODULE_VERSION, zip_file, TOOLCHAIN_GOMOD)
    key = NoteKey("sumdb.test")
    with http_server() as served:
        served.routes.update(sumdb_routes(key, [f"golang.org/toolchain {MODULE_VERSION} {h1}"]))
        env = {
            **os.environ,
            "GORIG_HOME": str(tmp_path / "home"),
            "GOSUMDB": f"{key.vkey} {served.url}",
            "GOPROXY": f"https://127.0.0.1:9/unreachable,{proxy.root.as_uri()},direct",
            "GORIG_HTTP_RETRIES": "0",
        }
        done = run_gorig(
            "install", "1.22", "--os", "linux", "--arch", "amd64", "--source", "goproxy", env=env
        )
    assert done.returncode == 0, done.stderr
    assert (
        tmp_path / "home" / "toolchains" / f"go{gobin.GO_1_22}.linux-amd64" / "bin" / "go"
    ).is_file()
