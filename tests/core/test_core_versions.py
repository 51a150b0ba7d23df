"""Go version parsing and ordering follow Go's internal/gover rules."""

from __future__ import annotations

import pytest

from gorig.errors import GorigError
from gorig.versions import parse_version


def test_go_ordering():
    ordered = [
        "1.20",
        "1.20.1",
        "1.21",
        "1.21rc1",
        "1.21rc2",
        "1.21.0",
        "1.21.1",
        "1.22beta1",
        "1.22rc1",
        "1.22.0",
        "1.22.10",
        "1.23rc1",
    ]
    versions = [parse_version(text) for text in ordered]
    assert sorted(versions) == versions
    assert parse_version("1.22beta1") < parse_version("1.22rc1") < parse_version("1.22.0")


@pytest.mark.parametrize(
    ("text", "tag", "release_name"),
    [
        ("go1.22.5", "go1.22.5", "go1.22.5"),
        ("1.22.5", "go1.22.5", "go1.22.5"),
        ("1.23rc1", "go1.23rc1", "go1.23rc1"),
        ("1.20.0", "go1.20.0", "go1.20"),
        ("1.21.0", "go1.21.0", "go1.21.0"),
    ],
)
def test_names(text, tag, release_name):
    version = parse_version(text)
    assert version.tag == tag
    assert version.release_name == release_name


def test_language_version_means_dot_zero():
    assert parse_version("1.22").as_release() == parse_version("1.22.0")
    assert parse_version("1.22").is_language
    assert not parse_version("1.22rc1").is_language


@pytest.mark.parametrize("bad", ["", "1", "go", "1.x", "1.22.5.1", "v1.22", "1.22-rc1", "latest"])
def test_bad_versions_are_one_clear_error(bad):
    with pytest.raises(GorigError, match="not a Go version"):
        parse_version(bad)


def test_versions_are_values():
    version = parse_version("go1.22.5")
    assert version == parse_version("1.22.5") and version != parse_version("1.22.6")
    assert {version: "x"}[parse_version("1.22.5")] == "x"
    with pytest.raises(AttributeError, match="immutable"):
        version.patch = 6  # type: ignore[misc]
