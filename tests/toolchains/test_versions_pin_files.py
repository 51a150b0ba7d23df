"""One reader of pin files: the resolver (`gorig which`) and the doctor's project probe read
`.go-version`, go.mod and go.work with the same rules, so the doctor never names a pin the
resolver would not use."""

from __future__ import annotations

from pathlib import Path

import pytest

from gorig.doctor.probes import Site, probe_project
from gorig.versions.pins import find_up, folders_up, go_version_word, module_directives, resolve


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("# pinned for CI\n1.22.5\n", "1.22.5"),
        ("  go1.23  # the series\n", "go1.23"),
        ("\n\n# nothing\n", None),
    ],
)
def test_go_version_word_skips_comments(text: str, word: str | None):
    assert go_version_word(text) == word


@pytest.mark.parametrize(
    ("text", "directives"),
    [
        ("module m\n\ngo 1.22 // lang\n\ntoolchain go1.23.1\n", ("1.22", "go1.23.1")),
        ("module m\n// go 1.99\ngo 1.21\n", ("1.21", None)),
        ("module m\ngo 1.21 junk\n", (None, None)),  # not a directive Go would accept
        ("go 1.20\ngo 1.21\ntoolchain default\n", ("1.21", "default")),
    ],
)
def test_module_directives_are_read_as_written(text: str, directives: tuple[str | None, ...]):
    assert module_directives(text) == directives


def test_the_doctor_names_the_pin_the_resolver_uses(tmp_path: Path):
    project = tmp_path / "repo" / "cmd"
    project.mkdir(parents=True)
    (tmp_path / "repo" / ".go-version").write_text("# CI pins this\n1.22.5\n")
    (tmp_path / "repo" / "go.mod").write_text("module m\n// go 1.99\ngo 1.21 // minimum\n")
    facts = probe_project({"env": {}}, Site({}, str(project)))["project"]  # type: ignore[typeddict-item]
    assert facts is not None and facts["go_mod"] is not None
    pin = resolve(project, {})
    assert pin.file == tmp_path / "repo" / ".go-version" and str(pin.version) == "1.22.5"
    assert facts["go_version_file"] == {"path": str(pin.file), "version": "1.22.5"}
    assert facts["go_mod"]["go"] == "1.21"


def test_the_walk_goes_up_to_the_root_nearest_first(tmp_path: Path):
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    (tmp_path / "go.work").write_text("go 1.22\n")
    walked = list(folders_up(str(deep)))
    assert walked[:3] == [str(deep), str(tmp_path / "a"), str(tmp_path)] and walked[-1] == "/"
    assert find_up(str(deep), "go.work") == str(tmp_path / "go.work")
    assert find_up(str(deep), "go.mod") is None or not str(find_up(str(deep), "go.mod")).startswith(
        str(tmp_path)
    )
