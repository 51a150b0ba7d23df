"""No English left in gorig's human output under LANG=zh_CN.UTF-8 (issue 15's acceptance).

The commands are walked over real scenarios: an empty store and one filled by `gorig install`
(configure_store), a project with a main package, real Go binaries, recorded darwin facts
(one machine, and a fleet report), a GoLand install, a small mirror directory, installs from
a 127.0.0.1 server (a success and failures), a bad build target and bad config files; the
.vmoptions file and the Dockerfile gorig writes too (their comments).
A line that is English prose (tests/support/chinese.py: no Chinese, two or more English
words that are not a command, option, path, id or version) fails the test, named with its
scenario.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from configure_store import DEFAULT, Store, goland_install, store  # noqa: F401

from conftest import run_gorig
from support import gobin
from support.chinese import untranslated
from support.dlserver import DownloadServer, archive_name

pytestmark = [pytest.mark.network]

FACTS = Path(__file__).parents[1] / "doctor" / "facts" / "darwin-intel-brew-go.json"
# Bare ids in tables: GOARM-style sub-variable values, ELF/Mach-O words inspect prints.
IDS = frozenset(
    ["hardfloat", "softfloat", "satconv", "signext", "elf", "macho", "static", "dynamic"]
)


BROKEN = b"<html>not an archive</html>\n"  # what a captive portal sends instead
BROKEN_SHA256 = hashlib.sha256(BROKEN).hexdigest()


@pytest.fixture(scope="module")
def server() -> Iterator[DownloadServer]:
    with DownloadServer() as running:
        running.add_archive(DEFAULT)
        running.add_release("1.99rc1", stable=False)  # no build: list --remote --all says so
        yield running


@pytest.fixture
def world(tmp_path: Path, store: Store, server: DownloadServer) -> dict[str, Path]:  # noqa: F811
    """A home, a project with a main package, a small mirror directory, bad config files."""
    project = tmp_path / "project"
    (project / "cmd" / "hello").mkdir(parents=True)
    (project / "go.mod").write_text(f"module example.com/p\n\ngo 1.21\ntoolchain go{DEFAULT}\n")
    (project / "cmd" / "hello" / "main.go").write_text("package main\n\nfunc main() {}\n")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    name = archive_name(DEFAULT, gobin.HOST_PLATFORM)
    (mirror / name).write_bytes(b"not the archive")
    entry = {"filename": name, "os": "linux", "arch": "amd64", "version": f"go{DEFAULT}",
             "sha256": "0" * 64, "size": 15, "kind": "archive"}  # fmt: skip
    (mirror / "index.json").write_text(json.dumps([{"version": f"go{DEFAULT}", "files": [entry]}]))
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    for facts in (FACTS, FACTS.with_name("darwin-clean.json")):
        (fleet / facts.name).write_bytes(facts.read_bytes())
    (fleet / "broken.json").write_text("{}")
    broken = tmp_path / f"go{gobin.GO_1_26}.{gobin.HOST_PLATFORM}.tar.gz"
    broken.write_bytes(BROKEN)
    broken_home = tmp_path / "broken-home"
    broken_home.mkdir()
    (broken_home / ".bashrc").write_text("# >>> gorig >>>\nexport A=1\n")
    broken_pin = tmp_path / "broken-pin"
    broken_pin.mkdir()
    (broken_pin / ".go-version").write_bytes(b"1.22\xff\n")
    bad_config = tmp_path / "bad.toml"
    bad_config.write_text("[install]\nsource = 3\n")
    bad_key = tmp_path / "bad-key.toml"
    bad_key.write_text('[install]\nsourc = "official"\n')
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("alias ll='ls -l'\n")
    goland_install(home / "GoLand-2024.1.4", "2024.1.4", "21.0.3")
    return {"tmp": tmp_path, "home": home, "project": project, "mirror": mirror, "fleet": fleet,
            "broken": broken, "broken_pin": broken_pin, "broken_home": broken_home,
            "bad_config": bad_config, "bad_key": bad_key, "store": store.home}  # fmt: skip


def chinese(world: dict[str, Path], server: DownloadServer, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(world["home"]),
        "SHELL": "/bin/bash",
        "LANG": "zh_CN.UTF-8",
        "GORIG_HOME": str(world["store"]),
        "GORIG_CONFIG": str(world["tmp"] / "none.toml"),
        "XDG_CACHE_HOME": str(world["tmp"] / "cache"),
        "COLUMNS": "100",
        **server.env(),
        **extra,
    }


def scenarios(world: dict[str, Path]) -> list[tuple[str, list[str], dict[str, str], Path]]:
    """(name, arguments, extra environment, directory) of each walk."""
    home, project, tmp = world["store"], world["project"], world["tmp"]
    empty = {"GORIG_HOME": str(tmp / "empty")}
    fresh = {"GORIG_HOME": str(tmp / "fresh")}
    gofmt = home / "toolchains" / f"go{DEFAULT}.{gobin.HOST_PLATFORM}" / "bin" / "gofmt"
    return [
        ("list on an empty store", ["list"], empty, tmp),
        ("list", ["list"], {}, project),
        ("which", ["which"], {}, project),
        ("which --explain", ["which", "--explain"], {}, project / "cmd"),
        ("which --explain, no pin", ["which", "--explain"], {}, tmp),
        ("home", ["home"], {}, tmp),
        ("targets", ["targets"], {}, project),
        ("targets check", ["targets", "check", "linux/arm/7"], {}, project),
        ("targets check, bad", ["targets", "check", "linux/bogus"], {}, project),
        ("targets check --env", ["targets", "check", "--env"], {"GOARM": "9"}, project),
        ("inspect", ["inspect", str(gofmt)], {}, tmp),
        ("inspect a directory", ["inspect", str(gofmt.parent)], {}, tmp),
        ("inspect, not executables", ["inspect", str(world["broken"]), str(tmp)], {}, tmp),
        ("doctor on recorded facts", ["doctor", "--facts", str(FACTS)], {}, tmp),
        ("doctor --report", ["doctor", "--facts", str(world["fleet"]), "--report"], {}, tmp),
        ("doctor --report, no documents", ["doctor", "--facts", str(tmp / "project"), "--report"],
         {}, tmp),
        ("proxy show", ["proxy", "show"], {}, project),
        ("proxy set, sumdb off", ["proxy", "set", "cn", "--sumdb", "off"], {}, project),
        ("proxy set, bad list", ["proxy", "set", "not a url"], {}, project),
        ("shell setup", ["shell", "setup", "--shell", "bash"], {}, tmp),
        ("shell setup, a broken block", ["shell", "setup", "--shell", "bash"],
         {"HOME": str(world["broken_home"])}, tmp),
        ("shell setup, unknown shell", ["shell", "setup"], {"SHELL": "/bin/tcsh"}, tmp),
        ("which, a broken pin", ["which"], {}, world["broken_pin"]),
        ("ide goland", ["ide", "goland"], {}, tmp),
        ("ide goland --write", ["ide", "goland", "--write"], {}, tmp),
        ("ide vscode", ["ide", "vscode"], {}, project),
        ("ide vscode, a second time", ["ide", "vscode"], {}, project),
        ("dockerfile --write", ["dockerfile", "--write"], {"GOPRIVATE": "git.corp/*"}, project),
        ("dockerfile, no go.mod", ["dockerfile"], {}, tmp),
        ("mirror verify", ["mirror", "verify", str(world["mirror"])], {}, tmp),
        ("mirror verify, not a mirror", ["mirror", "verify", str(tmp)], {}, tmp),
        ("mirror sync, bad platform", ["mirror", "sync", str(tmp / "new"), "--platforms", "x"],
         {}, tmp),
        ("install", ["install", DEFAULT], fresh, tmp),
        ("list --remote --all", ["list", "--remote", "--all"], fresh, tmp),
        ("doctor, GOPROXY=off", ["doctor"], {"GOPROXY": "off"}, project),
        ("install, unknown version", ["install", "1.99"], fresh, tmp),
        ("install, refused connection",
         ["install", "1.26"], {**fresh, "GORIG_INDEX_URL": "http://127.0.0.1:9/dl/",
                               "GORIG_HTTP_RETRIES": "0"}, tmp),
        ("install from a refusing mirror",
         ["install", "1.26", "--source", "mirror:http://127.0.0.1:9/"],
         {**fresh, "GORIG_HTTP_RETRIES": "0"}, tmp),
        ("install from a missing file", ["install", "1.26", "--source", f"file:{tmp}/none.tgz"],
         fresh, tmp),
        ("install a broken archive",
         ["install", "1.26", "--source", f"file:{world['broken']}", "--sha256", BROKEN_SHA256],
         fresh, tmp),
        ("verify", ["verify", str(world["broken"])], {}, tmp),
        ("verify, wrong checksum", ["verify", str(world["broken"]), "--sha256", "0" * 64], {}, tmp),
        ("install --verify-sumdb, GOSUMDB=off", ["install", DEFAULT, "--verify-sumdb"],
         {**fresh, "GOSUMDB": "off"}, tmp),
        ("install --verify-sumdb, a refusing database", ["install", DEFAULT, "--verify-sumdb"],
         {**fresh, "GOSUMDB": "sum.golang.org http://127.0.0.1:9", "GORIG_HTTP_RETRIES": "0"},
         tmp),
        ("build, no toolchain", ["build"],
         {"GORIG_HOME": str(tmp / "empty"), "PATH": "/usr/bin:/bin"}, project),
        ("build, bad target", ["build", "--targets", "linux/bogus"], {}, project),
        ("build", ["build", "./cmd/hello", "--targets", "host,linux/arm64"],
         {"GOCACHE": str(gobin.GOCACHE), "GOARM64": "v8.2"}, project),
        ("bench", ["bench", "--workloads", "bigmath", "--runs", "1", "--scale", "1"],
         {"GOCACHE": str(gobin.GOCACHE)}, tmp),
        ("bench, unknown workload", ["bench", "--workloads", "nosuch"], {}, tmp),
        ("config errors", ["install", "1.26"], {"GORIG_CONFIG": str(world["bad_config"])}, tmp),
        ("unknown config key", ["install", "1.26"], {"GORIG_CONFIG": str(world["bad_key"])}, tmp),
        ("bad environment", ["install", "1.26"], {"GORIG_HTTP_RETRIES": "x"}, tmp),
    ]  # fmt: skip


def test_no_english_line_in_chinese_output(world, server):
    left = []
    for name, args, extra, cwd in scenarios(world):
        done = run_gorig(*args, env=chinese(world, server, **extra), cwd=cwd)
        output = (done.stdout + done.stderr).splitlines()
        left += [f"{name}: {line}" for line in output if untranslated(line, ids=IDS)]
    vmoptions = world["home"] / ".config/JetBrains/GoLand2024.1/goland64.vmoptions"
    for written in (vmoptions, world["project"] / "Dockerfile"):
        comments = [line for line in written.read_text().splitlines() if line.startswith("#")]
        left += [f"{written.name}: {line}" for line in comments if untranslated(line, ids=IDS)]
    if left:
        pytest.fail("English left in Chinese output:\n" + "\n".join(left))


def test_the_finder_sees_english_and_leaves_commands_paths_and_ids():
    assert untranslated("port   cgo  first class  broken")
    assert untranslated(
        "gorig: error: m has no index.json; is it a directory 'gorig mirror sync' made?"
    )
    assert untranslated("  --explain   Say why the toolchain was chosen.")
    assert untranslated(
        "gorig: error: no Go toolchain here: run 'gorig install', or put go on PATH"
    )
    assert untranslated("another gorig is changing go1.22.5")
    assert not untranslated("#   docker buildx build --platform linux/amd64 -t hello .")
    assert not untranslated("  --explain   说明原因。")
    assert not untranslated("        gorig completion bash > ~/.local/share/bash-completion/x")
    assert not untranslated(
        "  GOTOOLCHAIN=local /opt/go home/bin/go install golang.org/x/tools/gopls@latest"
    )
    assert not untranslated("GOMIPS  mips, mipsle  hardfloat, softfloat", ids=IDS)
    assert not untranslated("*> go1.27.3  linux/amd64  /gorig home/toolchains/go1.27.3.linux-amd64")
