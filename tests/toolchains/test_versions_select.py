"""Version selection from a release list: latest, series, exact, and nearest-real errors."""

from __future__ import annotations

import pytest

from gorig.errors import GorigError
from gorig.versions import parse_version
from gorig.versions.select import nearest, parse_request, select

RELEASES = [
    parse_version(text)
    for text in [
        "1.20.0",
        "1.20.14",
        "1.21rc2",
        "1.21.0",
        "1.21.13",
        "1.22rc1",
        "1.22.0",
        "1.22.5",
        "1.22.10",
        "1.23rc1",
    ]
]


@pytest.mark.parametrize(
    ("request_text", "expected"),
    [
        ("latest", "1.22.10"),
        ("stable", "1.22.10"),
        ("", "1.22.10"),
        ("1.22", "1.22.10"),
        ("1.21", "1.21.13"),
        ("1.20", "1.20.14"),
        ("1.22.5", "1.22.5"),
        ("go1.22.5", "1.22.5"),
        ("1.22.0", "1.22.0"),
        ("1.23rc1", "1.23rc1"),
        ("go1.21rc2", "1.21rc2"),
    ],
)
def test_select_picks_the_named_release(request_text, expected):
    assert str(select(parse_request(request_text), RELEASES)) == expected


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ("1.22.55", "nearest real ones are 1.22.5, 1.22.10, 1.23rc1"),
        ("1.19.3", "nearest real ones are 1.20.0, 1.20.14, 1.21rc2"),
        (
            "1.30",
            "Go 1.30 is not a known release; the nearest real ones are 1.22.0, 1.22.5, 1.22.10",
        ),
        ("1.23", "Go 1.23 has no stable release yet; pre-releases: 1.23rc1"),
        ("1.24rc9", "nearest real ones are 1.22.5, 1.22.10, 1.23rc1"),
    ],
)
def test_unknown_versions_name_the_nearest_real_ones(request_text, message):
    with pytest.raises(GorigError) as caught:
        select(parse_request(request_text), RELEASES)
    assert message in str(caught.value)


def test_unstable_flag_from_the_index_is_honoured():
    unstable = {parse_version("1.22.10")}
    assert str(select(None, RELEASES, unstable=unstable)) == "1.22.5"


def test_nearest_is_symmetric_around_the_gap():
    around = nearest(parse_version("1.21.5"), RELEASES, count=2)
    assert [str(v) for v in around] == ["1.21.0", "1.21.13"]


def test_bad_request_is_one_clear_error():
    with pytest.raises(GorigError, match="not a Go version"):
        parse_request("one.two")
