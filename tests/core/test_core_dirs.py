"""gorig's data and config directories are where platformdirs puts them (it is the oracle),
on Linux and, through platformdirs' macOS rules, on macOS."""

from __future__ import annotations

import os

import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix

from gorig.host.dirs import user_dir

ENVS = [
    {"HOME": "/home/dev"},
    {"HOME": "/home/dev/"},
    {"HOME": "/"},
    {"HOME": "/Users/dev", "XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/conf/"},
    {"HOME": "/home/dev", "XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": ""},
    {"HOME": "/home/a space/dev", "XDG_CONFIG_HOME": "/x y"},
    {"HOME": "/home/dev", "XDG_CACHE_HOME": "/cache"},
    {"HOME": "/home/dev", "XDG_CACHE_HOME": "relative/cache"},
]


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize(("platform", "oracle"), [("linux", Unix), ("darwin", MacOS)])
def test_the_rule_is_platformdirs_rule(env, platform, oracle, monkeypatch):
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    dirs = oracle(appname="gorig")
    assert user_dir("data", os.environ, platform) == dirs.user_data_dir
    assert user_dir("config", os.environ, platform) == dirs.user_config_dir
    assert user_dir("cache", os.environ, platform) == dirs.user_cache_dir
