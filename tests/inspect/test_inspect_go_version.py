"""``gorig inspect -m`` against ``go version -m``, and ``--json``'s ``go`` objects against
``go version -m -json``, over the whole corpus in one invocation each."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys

import pytest

from conftest import run_gorig
from gorig.binfmt import read_executable
from support import corpus, gobin

pytestmark = pytest.mark.toolchain

GORIG = [sys.executable, "-m", "gorig", "inspect"]


@pytest.fixture(scope="module")
def root():
    return corpus.root()


def run_bytes(argv, cwd):
    return subprocess.run(argv, capture_output=True, cwd=cwd, check=False, timeout=600)


def go_version(*args, cwd):
    env = {**os.environ, "GOTOOLCHAIN": "local"}
    go = gobin.go_binary(gobin.GO_1_27)
    return subprocess.run(
        [go, "version", *args], capture_output=True, cwd=cwd, env=env, check=False
    )


def assert_same_run(args, cwd):
    go = go_version("-m", *args, cwd=cwd)
    mine = run_bytes([*GORIG, "-m", *args], cwd=cwd)
    assert mine.stdout == go.stdout
    assert mine.stderr == go.stderr
    assert mine.returncode == go.returncode


def test_whole_corpus_directory_is_byte_identical(root):
    go = go_version("-m", ".", cwd=root)
    assert go.stdout.count(b"\n\tpath\t") > 300  # the corpus really holds hundreds of Go files
    assert_same_run(["."], cwd=root)


def test_named_files_are_byte_identical(root):
    files = [str(p.relative_to(root)) for p in corpus.executables()]
    assert_same_run(files, cwd=root)


def test_directory_paths_are_cleaned_like_go(root):
    assert_same_run(["./built/", "wheels//" + f"{gobin.GO_1_27}-darwin-arm64/bin"], cwd=root)


def test_errors_for_named_non_go_files_match_go(root, tmp_path):
    script = tmp_path / "tool.so"  # Go reports a .so even without the executable bit
    script.write_text("not a library\n")
    link = tmp_path / "dirlink"
    link.symlink_to(root / "built", target_is_directory=True)
    names = [
        str(corpus.misc("notes.txt")),
        str(corpus.misc("script.sh")),
        str(corpus.misc("Hello.class")),
        str(corpus.misc("empty")),
        str(corpus.wasm("js")),
        str(corpus.built("notgo")),
        str(corpus.built("c-static-pie")),
        str(script),
        str(tmp_path / "missing"),
        str(link),
        str(corpus.built("go117")),
    ]
    go = go_version("-m", *names, cwd=root)
    assert go.returncode == 1 and b"not a Go executable" in go.stderr
    assert_same_run(names, cwd=root)


def test_json_go_objects_equal_go_version_json(root):
    go = go_version("-m", "-json", ".", cwd=root)
    assert go.returncode == 0
    text = go.stdout.decode()
    decoder = json.JSONDecoder()
    expected, at = [], 0
    while text[at:].strip():
        obj, at = decoder.raw_decode(text, at + len(text[at:]) - len(text[at:].lstrip()))
        expected.append(obj)
    mine = run_gorig("inspect", "--json", ".", cwd=root)
    assert mine.returncode == 0, mine.stderr
    found = json.loads(mine.stdout)
    assert [entry["go"] for entry in found if entry["go"] is not None] == expected
    assert len(expected) > 300


def test_walk_follows_file_links_only_like_go(tmp_path):
    tree = tmp_path / "tree"
    (tree / "b" / "deeper").mkdir(parents=True)
    (tree / "b" / "deeper" / "hello").write_bytes(corpus.built("hello-linux-riscv64").read_bytes())
    (tree / "a-link").symlink_to(corpus.built("hello-linux-ppc64"))
    (tree / "c-dir-link").symlink_to(corpus.root() / "built", target_is_directory=True)
    (tree / "d-broken").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tree / "e-fifo")
    (tree / "Z-upper").write_bytes(corpus.built("go117").read_bytes())
    (tree / os.fsdecode(b"caf\xe9-latin1")).write_bytes(
        corpus.built("hello-linux-mips").read_bytes()
    )
    go = go_version("-m", "tree", cwd=tmp_path)
    assert go.stdout.count(b"\n\tpath\t") == 4 and b"caf\xe9-latin1" in go.stdout
    assert_same_run(["tree", "tree/a-link", "tree/c-dir-link"], cwd=tmp_path)


def fat64(slices: list[bytes]) -> bytes:
    """A universal binary with the 64-bit header (``0xcafebabf``), slices aligned to 2^14."""
    align = 1 << 14
    header = struct.pack(">II", 0xCAFEBABF, len(slices))
    offset = align
    entries, body = b"", b""
    for data in slices:
        cputype, subtype = struct.unpack_from("<ii", data, 4)
        entries += struct.pack(">iiQQII", cputype, subtype, offset, len(data), 14, 0)
        padding = (-len(data)) % align
        body += data + bytes(padding)
        offset += len(data) + padding
    return (header + entries).ljust(align, b"\0") + body


def test_fat64_universal_is_read_by_gorig_and_reported_like_go_by_m(tmp_path):
    names = [corpus.port_name("darwin", arch) for arch in ("amd64", "arm64")]
    path = tmp_path / "hello-fat64"
    path.write_bytes(fat64([corpus.built(name).read_bytes() for name in names]))
    path.chmod(0o755)
    exe = read_executable(path)
    assert [s.goarch for s in exe.slices] == ["amd64", "arm64"]
    assert exe.go is not None and exe.go.setting("GOARCH") == "amd64"
    assert_same_run([path.name], cwd=tmp_path)  # Go 1.27 reads only 32-bit universal headers


def test_build_info_that_does_not_parse_gives_gos_error(tmp_path):
    data = corpus.built("hello-linux-amd64").read_bytes()
    broken = data.replace(b"dep\texample.com/greet\tv1.2.3", b"dep\texample.com/greet v1.2.3")
    assert broken != data
    path = tmp_path / "broken"
    path.write_bytes(broken)
    path.chmod(0o755)
    exe = read_executable(path)
    assert exe.go is None
    assert (
        exe.build_info_error
        == "could not parse Go build info: line 3: expected 2 or 3 columns; got 1"
    )
    assert_same_run(["broken"], cwd=tmp_path)
