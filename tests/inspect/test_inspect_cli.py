"""``gorig inspect`` as a user runs it: JSON shape, table, walks, errors, start-up imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import run_gorig
from support import corpus, gobin

FIELDS = {"path", "format", "goos", "goarch", "bits", "endian", "linkage", "interpreter",
          "libraries", "stripped", "go"}  # fmt: skip


@pytest.fixture(scope="module")
def built():
    return corpus.root() / "built"


@pytest.mark.toolchain
def test_json_has_one_object_per_file_with_the_documented_fields(built):
    done = run_gorig("inspect", "--json", built)
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    assert done.stdout == json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    files = sorted(p for p in built.iterdir())
    assert [e["path"] for e in entries] == [str(p) for p in files]
    for entry in entries:
        assert entry.keys() >= FIELDS
        assert ("slices" in entry) == (entry["format"] == "macho-universal")
    (universal,) = [e for e in entries if e["format"] == "macho-universal"]
    assert [s["goarch"] for s in universal["slices"]] == ["amd64", "arm64"]
    assert all(FIELDS - {"path"} <= s.keys() and "path" not in s for s in universal["slices"])
    assert universal["go"] == universal["slices"][0]["go"]
    cgo = next(e for e in entries if e["path"].endswith("hello-cgo"))
    assert cgo["linkage"] == "dynamic" and "libc.so.6" in cgo["libraries"]
    assert cgo["go"]["Path"] == "example.com/hello/cgo"


@pytest.mark.toolchain
def test_table_shows_one_row_per_file_or_slice():
    done = run_gorig("inspect", corpus.built("hello-universal"), corpus.built("hello-linux-mips"))
    assert done.returncode == 0, done.stderr
    for text in ("darwin/amd64", "darwin/arm64", "linux/mips", f"go{gobin.GO_1_27}", "static"):
        assert text in done.stdout
    assert done.stdout.count("hello-universal") == 2


@pytest.mark.toolchain
def test_walk_skips_files_that_are_not_executables():
    dirs = [corpus.root() / "misc", corpus.root() / "wasm"]
    done = run_gorig("inspect", "--json", *dirs)
    assert (done.returncode, done.stderr, json.loads(done.stdout)) == (0, "", [])
    table = run_gorig("inspect", *dirs)
    assert (table.returncode, table.stdout) == (0, "")
    assert table.stderr == "gorig: warning: no executables found (ELF, Mach-O or PE)\n"


@pytest.mark.toolchain
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.txt", "not an executable"),
        ("Hello.class", "a Java class file, not a universal Mach-O binary"),
        ("../wasm/hello-js.wasm", "wasm is not an executable format"),
    ],
)
def test_named_non_executable_is_one_clear_error(name, message):
    done = run_gorig("inspect", corpus.misc(name))
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("gorig: error: ") and message in line


@pytest.mark.toolchain
def test_damaged_file_in_a_walk_is_reported_and_the_walk_goes_on(tmp_path):
    good = corpus.built("hello-linux-arm64").read_bytes()
    (tmp_path / "a-cut").write_bytes(good[:200])  # the ELF header points past the end
    (tmp_path / "b-good").write_bytes(good)
    done = run_gorig("inspect", tmp_path)
    assert done.returncode == 1
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"gorig: error: {tmp_path / 'a-cut'}: ")
    assert str(tmp_path / "b-good") in done.stdout
    as_json = run_gorig("inspect", "--json", tmp_path)
    assert (as_json.returncode, as_json.stderr) == (1, "")
    cut, good = json.loads(as_json.stdout)
    assert cut["path"] == str(tmp_path / "a-cut") and cut["error"]["kind"] == "failed"
    assert cut["error"]["message"].startswith(f"{tmp_path / 'a-cut'}: ")
    assert (good["path"], good["goarch"]) == (str(tmp_path / "b-good"), "arm64")


@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--help"], 0, "usage: gorig inspect"),
        ([], 2, "name at least one file"),
        (["--frobnicate", "x"], 2, "unrecognized arguments: --frobnicate"),
        (["-m", "--json", "x"], 2, "not allowed with argument"),
        (["/nonexistent/file"], 1, "no such file or directory"),
    ],
)
def test_usage_errors(args, code, text):
    done = run_gorig("inspect", *args)
    assert done.returncode == code
    assert text in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.toolchain
def test_json_mode_imports_neither_rich_nor_typer():
    probe = (
        "import sys\nfrom gorig.cli import main\n"
        f"main(['inspect', '--json', {str(corpus.built('hello-linux-amd64'))!r}])\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'rich', 'typer', 'click'}), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip() == "[]"
    assert json.loads(done.stdout)[0]["goarch"] == "amd64"


@pytest.mark.toolchain
def test_json_stays_valid_for_file_names_that_are_not_utf8(tmp_path):
    name = os.fsdecode(b"caf\xe9")
    (tmp_path / name).write_bytes(corpus.built("hello-linux-arm64").read_bytes())
    done = subprocess.run([sys.executable, "-m", "gorig", "inspect", "--json", tmp_path],
                          capture_output=True, check=False)  # fmt: skip
    assert done.returncode == 0
    (entry,) = json.loads(done.stdout.decode("utf-8"))  # strict UTF-8: the JSON is valid
    assert os.fsencode(entry["path"]) == os.fsencode(tmp_path / name)


def test_a_named_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = run_gorig("inspect", fifo, timeout=120)
    assert done.returncode == 1
    assert done.stderr == f"gorig: error: {fifo}: not a regular file\n"
