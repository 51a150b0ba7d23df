"""gorig proxy: presets through the real `go env -w`, sources shown, GOSUMDB=off refused."""

# ruff: noqa: F811  (the store fixtures are imported by name and requested as arguments)

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from configure_store import Store, clean_env, goenv_file, store  # noqa: F401

from conftest import run_gorig
from gorig.configure import proxy
from gorig.errors import GorigError


@pytest.fixture
def go_env(clean_env, store: Store) -> dict[str, str]:
    """The clean environment with gorig's bin (the real go) on PATH."""
    return {**clean_env, "PATH": f"{store.home / 'bin'}:{clean_env['PATH']}"}


def _go(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["go", *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("official", {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org"}),
        ("cn", {"GOPROXY": "https://goproxy.cn,direct"}),
        ("io", {"GOPROXY": "https://goproxy.io,direct"}),
        ("aliyun", {"GOPROXY": "https://mirrors.aliyun.com/goproxy/,direct"}),
        ("https://athens.corp.example|direct", {"GOPROXY": "https://athens.corp.example|direct"}),
        ("GOPROXY=off", {"GOPROXY": "off"}),
    ],
)
def test_presets_and_urls(target, expected):
    assert proxy.plan(target) == expected


@pytest.mark.parametrize(
    ("target", "private", "sumdb"),
    [(None, None, "off"), ("GOSUMDB=off", None, None), ("cn", None, " OFF "), (None, "*", None)],
)
def test_checksum_database_is_never_turned_off(target, private, sumdb):
    with pytest.raises(GorigError) as error:
        proxy.plan(target, private, sumdb)
    assert "GOPRIVATE" in str(error.value) and "GONOSUMDB" in str(error.value)


def test_refusal_reaches_the_user_as_one_line(go_env):
    done = run_gorig("proxy", "set", "official", "--sumdb", "off", env=go_env)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("gorig: error: gorig never turns the checksum database off")
    assert not goenv_file(go_env).exists()  # nothing was written


def test_bad_proxy_url_is_one_line(go_env):
    done = run_gorig("proxy", "set", "ftp://mirror.example", env=go_env)
    assert done.returncode == 1 and "is not a proxy list" in done.stderr
    assert "Traceback" not in done.stderr


def test_set_writes_through_go_env_and_go_reads_it(go_env):
    done = run_gorig("proxy", "set", "cn", "--private", "git.corp.example/*", env=go_env)
    assert done.returncode == 0, done.stderr
    assert _go(go_env, "env", "GOPROXY") == "https://goproxy.cn,direct"
    assert _go(go_env, "env", "GOPRIVATE") == "git.corp.example/*"
    assert _go(go_env, "env", "GONOSUMDB") == "git.corp.example/*"  # Go derives it


def test_show_says_where_each_value_comes_from(go_env):
    assert run_gorig("proxy", "set", "io", env=go_env).returncode == 0
    env = {**go_env, "GOPRIVATE": "example.com/private"}
    done = run_gorig("proxy", "show", "--json", env=env)
    assert done.returncode == 0, done.stderr
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert rows["GOPROXY"] == {
        "name": "GOPROXY",
        "value": "https://goproxy.io,direct",
        "source": "go env -w file",
        "file": str(goenv_file(go_env)),
    }
    goroot = _go(go_env, "env", "GOROOT")
    assert rows["GOSUMDB"]["source"] == "$GOROOT/go.env"
    assert rows["GOSUMDB"]["file"] == str(Path(goroot) / "go.env")
    assert rows["GOSUMDB"]["value"] == _go(go_env, "env", "GOSUMDB")
    assert rows["GOPRIVATE"]["source"] == "environment"
    assert rows["GONOPROXY"]["source"] == "GOPRIVATE"
    assert rows["GOINSECURE"] == {
        "name": "GOINSECURE",
        "value": "",
        "source": "default",
        "file": None,
    }
    plain = run_gorig("proxy", env=env)  # no subcommand shows the table
    assert plain.returncode == 0 and "go env -w" in plain.stdout


def test_environment_override_is_warned_about(go_env):
    done = run_gorig("proxy", "set", "official", env={**go_env, "GOPROXY": "off"})
    assert done.returncode == 0
    assert "GOPROXY is also set in your environment" in done.stderr


def test_no_go_anywhere_is_one_line(clean_env, tmp_path):
    env = {**clean_env, "GORIG_HOME": str(tmp_path / "empty")}
    done = run_gorig("proxy", "show", env=env)
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == "gorig: error: no Go toolchain here: run 'gorig install', or put go on PATH"
    )
