"""``gorig doctor --facts FILE`` on files that are not facts documents: one line, exit 2.

A facts file is untrusted input (a colleague's, an attachment): every malformed one is
refused with the path of the wrong field, hostile ones in bounded memory and time.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from conftest import GORIG, run_gorig
from gorig.context import from_process
from gorig.doctor.collect import collect
from gorig.doctor.document import MAX_BYTES
from gorig.doctor.facts import Facts
from gorig.doctor.probes import Site
from gorig.doctor.shape import check
from support.peak import run_measured

FACTS = Path(__file__).resolve().parent / "facts"
CLEAN = json.loads((FACTS / "darwin-clean.json").read_text())
PEAK_LIMIT_KB = 150 * 1024  # a normal doctor run peaks near 40 MB


def refused(path: Path | str, *words: str) -> str:
    """Run the real doctor on ``path``; it must refuse it with one line naming ``words``."""
    done = run_gorig("doctor", "--facts", path, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.startswith("gorig: error: facts file ") and done.stderr.count("\n") == 1
    for word in words:
        assert word in done.stderr
    return done.stderr


def written(tmp_path: Path, document: object, name: str = "facts.json") -> Path:
    target = tmp_path / name
    target.write_text(json.dumps(document))
    return target


def changed(path: list[str | int], value: object) -> dict:
    """The clean recorded document with the value at ``path`` replaced."""
    document = copy.deepcopy(CLEAN)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["env"], 1, "env: expected an object of strings, got 1"),
        (["env", "HOME"], None, "env/HOME: expected a string, got null"),
        (["host"], [], "host: expected an object, got a list"),
        (["gos", 0, "archs", 0], 64, "gos/0/archs/0: expected a string, got 64"),
        (["gos", 0, "bits"], "64", 'gos/0/bits: expected an integer, got "64"'),
        (["gos", 0, "bits"], True, "gos/0/bits: expected an integer, got true"),
        (["tools", "items"], {}, "tools/items: expected a list of objects, got an object"),
        (["cc"], "clang", 'cc: expected an object or null, got "clang"'),
        (["probes", "gos", "ok"], "yes", 'probes/gos/ok: expected true or false, got "yes"'),
        (["host", "sysctl", "hw.ncpu"], 10, "host/sysctl/hw.ncpu: expected a string, got 10"),
        (["schema"], "1", 'schema: expected an integer, got "1"'),
        (["env", "A\nB"], None, 'env/"A\\nB": expected a string, got null'),
        (["schema"], True, "schema: expected an integer, got true"),
    ],
)
def test_a_wrong_type_names_its_field(tmp_path: Path, path, value, message):
    refused(written(tmp_path, changed(path, value)), message)


def test_a_missing_field_is_named(tmp_path: Path):
    document = copy.deepcopy(CLEAN)
    del document["gos"][0]["path"]
    refused(written(tmp_path, document), "gos/0/path: missing (expected a string)")


def test_unknown_keys_are_ignored_and_absent_sections_allowed(tmp_path: Path):
    document = copy.deepcopy(CLEAN)
    document["future_section"] = {"anything": [1, 2]}
    for section in ("process", "homebrew", "tools", "cpu"):
        del document[section]
    document["xcode"] = None
    done = run_gorig("doctor", "--json", "--facts", written(tmp_path, document))
    assert done.returncode == 0, done.stderr


def test_other_schema_versions_say_which_gorig(tmp_path: Path):
    refused(written(tmp_path, changed(["schema"], 2)), "schema 2", "newer", "upgrade gorig")
    refused(written(tmp_path, changed(["schema"], 0)), "schema 0", "older", "--save")
    refused(written(tmp_path, {"name": "x"}), "not a gorig facts file")
    refused(written(tmp_path, [CLEAN]), "not a gorig facts file")


def test_not_json_not_utf8_and_constants(tmp_path: Path):
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    refused(text, "is not JSON")
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'{"schema": 1, "collected_by": "Jos\xe9"}')
    refused(latin1, "not UTF-8 text (invalid byte at offset 34)")
    nan = tmp_path / "nan.json"
    nan.write_text(json.dumps(changed(["probes", "gos", "seconds"], float("nan"))))
    refused(nan, "NaN is not a JSON number")
    surrogate = tmp_path / "surrogate.json"
    surrogate.write_text(json.dumps(CLEAN).replace('"/bin/zsh"', '"/bin/\\ud800"'))
    refused(surrogate, "env/SHELL: expected a string")


def _peak_kb(tmp_path: Path, *args: str | Path) -> tuple[float, str]:
    """Run the real doctor; (its peak resident memory in kB, its stderr)."""
    done = run_measured([*GORIG, "doctor", *map(str, args)], None, tmp_path / "logs")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    return done.peak_mb * 1024, done.stderr


def test_dev_zero_is_refused_in_bounded_memory(tmp_path: Path):
    peak, stderr = _peak_kb(tmp_path, "--facts", "/dev/zero")
    assert "is not a regular file" in stderr
    assert peak < PEAK_LIMIT_KB


def test_deep_nesting_is_refused_in_bounded_memory(tmp_path: Path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    peak, stderr = _peak_kb(tmp_path, "--facts", deep)
    assert "nested too deeply" in stderr
    assert peak < PEAK_LIMIT_KB
    objects = tmp_path / "objects.json"  # deep, but within the parser's limit
    nested = '{"a": ' * 500 + "1" + "}" * 500
    objects.write_text(json.dumps(changed(["host"], "NESTED")).replace('"NESTED"', nested))
    refused(objects, "host/os: missing")


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path):
    big = changed(["env", "PADDING"], "x" * MAX_BYTES)
    peak, stderr = _peak_kb(tmp_path, "--facts", written(tmp_path, big))
    assert "is larger than 2 MiB" in stderr
    assert peak < PEAK_LIMIT_KB


def test_a_fifo_is_refused_without_blocking(tmp_path: Path):
    fifo = tmp_path / "facts.fifo"
    os.mkfifo(fifo)
    refused(fifo, "is not a regular file")  # nobody writes: reading it would block forever


def test_a_directory_and_a_missing_file(tmp_path: Path):
    refused(tmp_path, "is not a regular file")
    done = run_gorig("doctor", "--facts", tmp_path / "missing.json")
    assert done.returncode == 2
    assert done.stderr == (
        f"gorig: error: cannot read facts file {tmp_path / 'missing.json'}: "
        "No such file or directory\n"
    )


def test_every_recorded_file_and_this_machine_fit_the_types():
    for recorded in sorted(FACTS.glob("*.json")):
        check(json.loads(recorded.read_text()), Facts)
    here = from_process()  # what the probes write here, in-process
    check(collect(host=here.facts, site=Site(here.environ, here.cwd)), Facts)


def test_control_characters_in_facts_never_reach_the_terminal(tmp_path: Path):
    document = json.loads((FACTS / "darwin-intel-go.json").read_text())
    document["gos"][0]["path"] = "/usr/local/go/bin/go\x1b]0;owned\x07\x9b2J"
    done = run_gorig("doctor", "--facts", written(tmp_path, document))
    assert done.returncode == 1
    assert not any(c in done.stdout for c in "\x1b\x07\x9b")
    assert "/usr/local/go/bin/go\\x1b]0;owned\\x07\\x9b2J" in done.stdout
