"""Binaries built here are what they were built as: port, linkage, libraries, build info."""

# Build info and modules are optional in the API; here every file read has them.
# mypy: disable-error-code="union-attr"

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from gorig.binfmt import NotExecutable, read_executable, read_executable_bytes
from gorig.binfmt.block import MAGIC
from support import corpus, gobin

pytestmark = pytest.mark.toolchain


@pytest.fixture(scope="module", autouse=True)
def built():
    return corpus.root()


@pytest.mark.parametrize("name", sorted(corpus.EXPECTED))
def test_built_files_are_what_they_were_built_as(name):
    exe = read_executable(corpus.built(name))
    for key, want in corpus.EXPECTED[name].items():
        assert getattr(exe, key) == want, (name, key)


@pytest.mark.parametrize(("goos", "goarch", "extra"), corpus.PORTS)
def test_every_port_carries_its_build_settings(goos, goarch, extra):
    exe = read_executable(corpus.built(corpus.port_name(goos, goarch)))
    info = exe.go
    assert info is not None and info.go_version == f"go{gobin.GO_1_27}"
    assert (info.setting("GOOS"), info.setting("GOARCH"), info.setting("CGO_ENABLED")) == (
        goos,
        goarch,
        "0",
    )
    for key, value in extra.items():
        assert info.setting(key) == value
    assert info.path == "example.com/hello" and info.main.path == "example.com/hello"
    (dep,) = info.deps
    assert (dep.path, dep.version, dep.replace.path) == ("example.com/greet", "v1.2.3", "./greet")


def test_cgo_binary_needs_libc_and_its_loader():
    exe = read_executable(corpus.built("hello-cgo"))
    assert "libc.so.6" in exe.libraries
    assert exe.interpreter.endswith("ld-linux-x86-64.so.2")
    assert exe.go.setting("CGO_ENABLED") == "1"


def test_ldflags_with_tabs_come_back_verbatim():
    info = read_executable(corpus.built("hello-ldflags")).go
    assert info.setting("-ldflags") == corpus.TAB_LDFLAGS
    assert info.setting("-gcflags") == "all=-N -l"
    assert info.setting("-tags") == "netgo,osusergo"


def test_trimpath_hides_ldflags():
    info = read_executable(corpus.built("hello-trimpath")).go
    assert info.setting("-trimpath") == "true"
    assert info.setting("-ldflags") is None


def test_universal_binary_reports_every_slice():
    exe = read_executable(corpus.built("hello-universal"))
    assert [(s.format, s.goos, s.goarch, s.path) for s in exe.slices] == [
        ("macho", "darwin", "amd64", None),
        ("macho", "darwin", "arm64", None),
    ]
    assert [s.go.setting("GOARCH") for s in exe.slices] == ["amd64", "arm64"]
    assert exe.goarch == "universal"
    assert exe.go.to_go_json() == exe.slices[0].go.to_go_json()  # Go reads the first slice
    listed = exe.to_dict()["slices"]
    assert isinstance(listed, list)
    assert [s["goarch"] for s in listed] == ["amd64", "arm64"] and "path" not in listed[0]


def test_go117_pointer_format():
    info = read_executable(corpus.built("go117")).go
    assert info.go_version.startswith("go1.17")
    assert info.setting("-trimpath") is None  # Go 1.17 wrote no build settings


def test_pre_118_pie_before_relocation_says_so(tmp_path):
    """Internally linked PIEs before Go 1.18 hold zero pointers on disk until relocated."""
    data = bytearray(corpus.built("go117").read_bytes())
    at = data.find(MAGIC)
    assert at > 0 and data[at + 15] & 2 == 0  # the pointer format
    data[at + 16 : at + 32] = bytes(16)
    exe = read_executable_bytes(bytes(data))
    assert exe.go is None
    assert exe.build_info_error == "build info needs relocation"
    unrelocated = tmp_path / "go117-pie"
    unrelocated.write_bytes(bytes(data))
    unrelocated.chmod(0o755)
    go_env = {**os.environ, "GOTOOLCHAIN": "local"}
    go = subprocess.run(
        [gobin.go_binary(gobin.GO_1_27), "version", "-m", unrelocated],
        capture_output=True, text=True, env=go_env, check=False,
    )  # fmt: skip
    assert go.stderr.endswith(f"{exe.go_error}\n")


def test_non_go_c_program_has_no_build_info():
    exe = read_executable(corpus.built("notgo"))
    assert exe.format == "elf" and exe.go is None and exe.build_info_error is None
    assert exe.go_error == "not a Go executable"


def test_java_class_is_not_a_universal_binary():
    path = corpus.misc("Hello.class")
    if shutil.which("file") is None:
        pytest.skip("the file command is missing: scripts/test installs it")
    described = subprocess.run(["file", "-b", path], capture_output=True, text=True, check=True)
    assert "Java class" in described.stdout  # libmagic agrees it is a real class file
    with pytest.raises(NotExecutable, match="Java class"):
        read_executable(path)


@pytest.mark.parametrize("goos", corpus.WASM_GOOS)
def test_wasm_is_not_an_executable_format(goos):
    with pytest.raises(NotExecutable, match=r"WebAssembly.*not an executable format"):
        read_executable(corpus.wasm(goos))


@pytest.mark.parametrize("name", ["notes.txt", "script.sh", "empty"])
def test_text_files_are_not_executables(name):
    with pytest.raises(NotExecutable, match="not an executable"):
        read_executable(corpus.misc(name))


@pytest.mark.parametrize(("goos", "goarch", "extra"), corpus.PORTS)
def test_port_is_known_from_headers_alone(goos, goarch, extra):
    """With its build info wiped (as garble or a packer leaves it), a file still tells its
    OS and architecture from its headers."""
    data = (
        corpus.built(corpus.port_name(goos, goarch)).read_bytes().replace(MAGIC, b"\0" * len(MAGIC))
    )
    exe = read_executable_bytes(data)
    assert exe.go is None
    assert (exe.goos, exe.goarch) == (goos, goarch)


def test_corpus_covers_every_linux_goarch_go_knows():
    go = gobin.go_binary(gobin.GO_1_27)
    listed = subprocess.run(
        [go, "tool", "dist", "list"], capture_output=True, text=True, check=True
    )
    linux = {line.split("/")[1] for line in listed.stdout.split() if line.startswith("linux/")}
    built_ports = {goarch for goos, goarch, _ in corpus.PORTS if goos == "linux"}
    assert linux == built_ports
