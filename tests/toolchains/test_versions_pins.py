"""Pin resolution: GORIG_GO_VERSION, .go-version, go.work and go.mod, nested directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorig.errors import GorigError
from gorig.versions.pins import parse_module_file, resolve


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


CASES = [
    # (files, directory, env, expected version tag or None, source, pin file)
    ({}, ".", {}, None, "default", None),
    ({}, ".", {"GORIG_GO_VERSION": "1.22.5"}, "go1.22.5", "GORIG_GO_VERSION", None),
    (
        {".go-version": "1.21.3\n"},
        ".",
        {"GORIG_GO_VERSION": "go1.22.5"},
        "go1.22.5",
        "GORIG_GO_VERSION",
        None,
    ),
    ({".go-version": "# team pin\ngo1.21.3\n"}, ".", {}, "go1.21.3", ".go-version", ".go-version"),
    ({".go-version": "1.21\n"}, ".", {}, "go1.21", ".go-version", ".go-version"),
    ({"go.mod": "module m\n\ngo 1.22\n"}, ".", {}, "go1.22.0", "go.mod go", "go.mod"),
    (
        {"go.mod": "module m\ngo 1.22.1\ntoolchain go1.23.4\n"},
        ".",
        {},
        "go1.23.4",
        "go.mod toolchain",
        "go.mod",
    ),
    # A toolchain line older than the go line does not count (Go's rule).
    (
        {"go.mod": "module m\ngo 1.23.0\ntoolchain go1.22.9\n"},
        ".",
        {},
        "go1.23.0",
        "go.mod go",
        "go.mod",
    ),
    (
        {"go.mod": "module m\ngo 1.22\ntoolchain default\n"},
        ".",
        {},
        "go1.22.0",
        "go.mod go",
        "go.mod",
    ),
    # A go.work above a go.mod: Go runs in workspace mode and the go.work chooses.
    (
        {"go.work": "go 1.23.1\n\nuse ./a\n", "a/go.mod": "module a\ngo 1.21\n"},
        "a",
        {},
        "go1.23.1",
        "go.work go",
        "go.work",
    ),
    (
        {"go.work": "go 1.23.1\n\nuse ./a\n", "a/go.mod": "module a\ngo 1.21\n"},
        "a",
        {"GOWORK": "off"},
        "go1.21.0",
        "go.mod go",
        "a/go.mod",
    ),
    (
        {"go.work": "go 1.23.1\n", "a/go.mod": "module a\ngo 1.21\n", "b/w.work": "go 1.24.2\n"},
        "a",
        {"GOWORK": "b/w.work"},
        "go1.24.2",
        "w.work go",
        "b/w.work",
    ),
    (
        {
            "go.work": "go 1.23.1\n",
            "b/.go-version": "1.20.1\n",
            "b/a/go.mod": "module a\ngo 1.21\n",
        },
        "b/a",
        {},
        "go1.23.1",
        "go.work go",
        "go.work",
    ),
    (
        {"go.work": "go 1.23.1\ntoolchain go1.23.2\nuse ./a\n", "a/x/keep": ""},
        "a/x",
        {},
        "go1.23.2",
        "go.work toolchain",
        "go.work",
    ),
    (
        {"go.work": "go 1.23.1\n", "go.mod": "module m\ngo 1.21\n"},
        ".",
        {},
        "go1.23.1",
        "go.work go",
        "go.work",
    ),
    (
        {"go.work": "go 1.23.1\n", "go.mod": "module m\ngo 1.21\n"},
        ".",
        {"GOWORK": "off"},
        "go1.21.0",
        "go.mod go",
        "go.mod",
    ),
    # Nested: the nearest file wins, whatever its kind.
    (
        {".go-version": "1.20.5\n", "svc/go.mod": "module s\ngo 1.22.3\n", "svc/cmd/x/k": ""},
        "svc/cmd/x",
        {},
        "go1.22.3",
        "go.mod go",
        "svc/go.mod",
    ),
    (
        {"go.mod": "module m\ngo 1.22.3\n", "tools/.go-version": "1.21.9", "tools/a/k": ""},
        "tools/a",
        {},
        "go1.21.9",
        ".go-version",
        "tools/.go-version",
    ),
    (
        {".go-version": "1.21.9\n", "go.mod": "module m\ngo 1.22.3\n"},
        ".",
        {},
        "go1.21.9",
        ".go-version",
        ".go-version",
    ),
]


@pytest.mark.parametrize(("files", "where", "env", "tag", "source", "pin_file"), CASES)
def test_resolve(tmp_path, files, where, env, tag, source, pin_file):
    _tree(tmp_path, files)
    (tmp_path / where).mkdir(parents=True, exist_ok=True)
    if env.get("GOWORK", "off") != "off":
        env = {**env, "GOWORK": str(tmp_path / env["GOWORK"])}
    pin = resolve(tmp_path / where, env)
    assert (pin.version.tag if pin.version else None) == tag
    assert pin.source == source
    assert pin.file == (tmp_path / pin_file if pin_file else None)


def test_module_file_comments_and_blocks():
    text = "module m // x\n\ngo 1.22 // lang\n\nrequire (\n\tgo.uber.org/zap v1.27.0\n)\n"
    go, toolchain = parse_module_file(text)
    assert go is not None and (go.tag, toolchain) == ("go1.22.0", None)


def test_series_pin_matches_newest_patch_only_in_series(tmp_path):
    _tree(tmp_path, {".go-version": "1.22\n"})
    pin = resolve(tmp_path, {})
    from gorig.versions import parse_version

    assert pin.matches(parse_version("1.22.7"))
    assert not pin.matches(parse_version("1.23.0"))
    assert not pin.matches(parse_version("1.22rc1"))


def test_broken_pin_file_names_the_file(tmp_path):
    _tree(tmp_path, {".go-version": "banana\n"})
    with pytest.raises(GorigError, match=r"\.go-version: 'banana' is not a Go version"):
        resolve(tmp_path, {})
