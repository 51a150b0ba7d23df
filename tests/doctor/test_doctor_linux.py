"""Real Linux scenarios: real go toolchains, real files and PATHs, the real ``gorig doctor``.

Each test builds one broken (or clean) set-up in a temporary home and expects exactly its
check id. ``linux.binfmt`` (info) depends on this machine's qemu registrations, so it is
left out of the exact comparison and checked on its own against /proc.
"""

from __future__ import annotations

import copy
import json
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import GORIG, run_gorig
from gorig.doctor import diagnose
from gorig.doctor.early import GO_ENV_NAMES
from gorig.doctor.settings import lookup
from support import gobin

pytestmark = pytest.mark.toolchain

HOST_GOARCH = "amd64"
MACHINE_DEPENDENT = {"linux.binfmt"}

TOOL_SOURCE = 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("tool") }\n'


def _build(go: Path, out: Path, goarch: str, cache: Path) -> Path:
    """Build a tiny Go program with the real host go for ``goarch``."""
    source = out.parent / f"src-{out.name}-{goarch}"
    source.mkdir(parents=True, exist_ok=True)
    (source / "go.mod").write_text(f"module example.com/{out.name}\n\ngo 1.21\n")
    (source / "main.go").write_text(TOOL_SOURCE)
    env = {
        "PATH": str(go.parent),
        "HOME": str(out.parent),
        "GOCACHE": str(cache),
        "GOOS": "linux",
        "GOARCH": goarch,
        "CGO_ENABLED": "0",
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-trimpath",
        "GOPROXY": "off",
    }
    subprocess.run([str(go), "build", "-o", str(out)], cwd=source, env=env, check=True)
    return out


@dataclass
class Toolset:
    go127: Path
    go121: Path
    go_arm64: Path
    go_darwin: Path
    native_tool: Path  # a linux/amd64 Go program
    arm64_dlv: Path  # a linux/arm64 Go program named dlv
    cc_dir: Path  # a directory holding only a `gcc` link to the real compiler


@pytest.fixture(scope="session")
def toolset(tmp_path_factory: pytest.TempPathFactory) -> Toolset:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed (scripts/test installs it); the clean set-up needs it")
    base = tmp_path_factory.mktemp("doctor-tools")
    cache = gobin.GOCACHE
    go127 = gobin.go_binary(gobin.GO_1_27)
    cc_dir = base / "cc"
    cc_dir.mkdir()
    (cc_dir / "gcc").symlink_to(gcc)
    (base / "arm64").mkdir()
    return Toolset(
        go127=go127,
        go121=gobin.go_binary(gobin.GO_1_21),
        go_arm64=gobin.go_binary(gobin.GO_1_27, "linux-arm64"),
        go_darwin=gobin.go_binary(gobin.GO_1_27, "darwin-arm64"),
        native_tool=_build(go127, base / "hello", HOST_GOARCH, cache),
        arm64_dlv=_build(go127, base / "arm64" / "dlv", "arm64", cache),
        cc_dir=cc_dir,
    )


@dataclass
class Setup:
    """One user's machine: a home, a PATH, exported variables and a working directory."""

    root: Path
    path: list[Path] = field(default_factory=list)
    exported: dict[str, str] = field(default_factory=dict)

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def cwd(self) -> Path:
        return self.root / "work"

    def env(self) -> dict[str, str]:
        return {
            "HOME": str(self.home),
            "PATH": os.pathsep.join(map(str, self.path)),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            **self.exported,
        }

    def install_tool(self, tool: Path, directory: Path, name: str | None = None) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / (name or tool.name)
        shutil.copy2(tool, target)
        return target

    def doctor(self, *args: str) -> tuple[dict, subprocess.CompletedProcess[str]]:
        done = run_gorig("doctor", "--json", *args, env=self.env(), cwd=self.cwd)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
        return json.loads(done.stdout), done


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    made = Setup(tmp_path)
    made.home.mkdir()
    made.cwd.mkdir()
    return made


def finding_ids(report: dict) -> set[str]:
    return {f["id"] for f in report["findings"]} - MACHINE_DEPENDENT


def by_id(report: dict, check_id: str) -> list[dict]:
    return [f for f in report["findings"] if f["id"] == check_id]


def clean_path(setup: Setup, tools: Toolset) -> list[Path]:
    return [tools.go127.parent, setup.home / "go" / "bin", tools.cc_dir]


def test_clean_setup_has_no_warnings_or_errors(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    setup.install_tool(toolset.native_tool, setup.home / "go" / "bin")
    (setup.cwd / "go.mod").write_text("module example.com/app\n\ngo 1.22.0\n")
    report, done = setup.doctor()
    severe = [f for f in report["findings"] if f["severity"] in ("error", "warning")]
    assert severe == []
    assert done.returncode == 0
    summary = report["facts_summary"]
    assert summary["go"]["version"] == f"go{gobin.GO_1_27}"
    assert summary["c_compiler"] == str(toolset.cc_dir / "gcc")
    assert summary["failed_probes"] == []


def test_older_go_first_on_path(setup: Setup, toolset: Toolset):
    setup.path = [toolset.go121.parent, toolset.go127.parent, toolset.cc_dir]
    report, done = setup.doctor()
    assert finding_ids(report) == {"path.go-shadowed"}
    [finding] = by_id(report, "path.go-shadowed")
    assert finding["severity"] == "warning"
    assert f"go{gobin.GO_1_21}" in finding["title"] and f"go{gobin.GO_1_27}" in finding["title"]
    assert finding["fix"].startswith(f'export PATH="{toolset.go127.parent}:')
    assert done.returncode == 0  # warnings only


def test_linux_arm64_go_first_on_path(setup: Setup, toolset: Toolset):
    setup.path = [
        toolset.go_arm64.parent,
        toolset.go121.parent,
        toolset.go127.parent,
        toolset.cc_dir,
    ]
    report, done = setup.doctor("-v")
    assert finding_ids(report) == {"go.arch", "path.go-shadowed"}
    [finding] = by_id(report, "go.arch")
    assert finding["severity"] == "error" and "linux/arm64" in finding["title"]
    [shadowed] = by_id(report, "path.go-shadowed")  # points at the newest native go
    assert shadowed["fix"].startswith(f'export PATH="{toolset.go127.parent}:')
    assert report["facts"]["go_env"]["ran"] is False  # a foreign go is never run
    assert done.returncode == 1


def test_darwin_macho_named_go_first_on_path(setup: Setup, toolset: Toolset):
    setup.path = [toolset.go_darwin.parent, toolset.cc_dir]
    report, done = setup.doctor("-v")
    assert finding_ids(report) == {"go.arch"}
    [finding] = by_id(report, "go.arch")
    assert "darwin/arm64" in finding["title"] and "Mach-O" in finding["detail"]
    assert done.returncode == 1


def test_goarch_exported(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOARCH": "arm64"}
    report, _ = setup.doctor()
    assert finding_ids(report) == {"env.overrides"}
    [finding] = by_id(report, "env.overrides")
    assert "GOARCH=arm64" in finding["title"] and "environment" in finding["title"]
    assert finding["fix"].startswith("unset GOARCH")


def test_go_env_is_asked_only_what_the_checks_read(setup: Setup, toolset: Toolset):
    """``go env`` is asked by name (it then skips its costly cgo variables): the checks find
    over those values what they find over its whole output, and reading another fails."""
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOARCH": "arm64", "GOARM": "7", "GOSUMDB": "off"}
    report, _ = setup.doctor("-v")
    facts = report["facts"]
    assert sorted(facts["go_env"]["values"]) == sorted(GO_ENV_NAMES)
    whole = subprocess.run(
        [str(toolset.go127), "env", "-json"],
        env={**setup.env(), "GOTOOLCHAIN": "local"},
        cwd=setup.cwd,
        capture_output=True,
        check=True,
    )
    everything = copy.deepcopy(facts)
    everything["go_env"]["values"] = json.loads(whole.stdout)
    assert len(everything["go_env"]["values"]) > len(GO_ENV_NAMES)
    found = [(f.id, f.title, f.fix) for f in diagnose(facts)]
    assert found == [(f.id, f.title, f.fix) for f in diagnose(everything)]
    assert {finding[0] for finding in found} >= {"env.overrides", "modules.sumdb-off"}
    with pytest.raises(LookupError, match="GOCACHE is not asked of go env"):
        lookup(facts, "GOCACHE")


def test_a_go_env_value_with_a_line_break_is_read_whole(setup: Setup, toolset: Toolset):
    """``go env NAME...`` prints a value per line: a value holding a line break is read
    again as JSON, never shifted onto its neighbours."""
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOPRIVATE": "a.example\nb.example"}
    report, _ = setup.doctor("-v")
    assert report["facts"]["probes"]["go_env"]["ok"] is True
    values = report["facts"]["go_env"]["values"]
    assert values["GOPRIVATE"] == "a.example\nb.example"
    assert (values["GOOS"], values["GOARCH"]) == ("linux", HOST_GOARCH)


def test_a_gcc_named_after_its_target_is_not_run(setup: Setup, toolset: Toolset):
    """The real gcc's file is named after its target (x86_64-linux-gnu-gcc-12 on Debian):
    the doctor records what its -dumpmachine prints without running it. A compiler named
    otherwise is asked."""
    setup.path = clean_path(setup, toolset)
    report, _ = setup.doctor("-v")
    gcc = str(toolset.cc_dir / "gcc")
    machine = subprocess.run([gcc, "-dumpmachine"], capture_output=True, text=True, check=True)
    assert report["facts"]["cc"]["target"] == machine.stdout.strip()

    ran = setup.root / "ran"
    script = f'#!/bin/sh\necho "$0" >> {shlex.quote(str(ran))}\necho aarch64-linux-gnu\n'
    bin_dir = setup.root / "compilers"
    bin_dir.mkdir()
    for name in ("x86_64-linux-gnu-gcc-12", "mycc"):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    setup.exported = {"CC": str(bin_dir / "x86_64-linux-gnu-gcc-12")}
    report, _ = setup.doctor("-v")
    assert report["facts"]["cc"]["target"] == "x86_64-linux-gnu" and not ran.exists()
    setup.exported = {"CC": str(bin_dir / "mycc")}
    report, _ = setup.doctor("-v")
    assert report["facts"]["cc"]["target"] == "aarch64-linux-gnu"
    assert ran.read_text() == f"{bin_dir / 'mycc'}\n"
    assert "cgo.compiler" in finding_ids(report)


def test_goflags_from_go_env_file(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    subprocess.run(
        [str(toolset.go127), "env", "-w", "GOFLAGS=-mod=vendor"],
        env=setup.env(),
        cwd=setup.cwd,
        check=True,
    )
    report, _ = setup.doctor()
    assert finding_ids(report) == {"env.overrides"}
    [finding] = by_id(report, "env.overrides")
    assert "GOFLAGS=-mod=vendor" in finding["title"] and "go env -w" in finding["title"]
    assert finding["fix"] == "go env -u GOFLAGS"


def test_gosumdb_off(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOSUMDB": "off"}
    report, _ = setup.doctor()
    assert finding_ids(report) == {"modules.sumdb-off"}


def test_goarm_with_arm64(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOARCH": "arm64", "GOARM": "7"}
    report, _ = setup.doctor()
    # GOARCH exported is itself an override; GOARM on top of it is ignored.
    assert finding_ids(report) == {"env.goarm-ignored", "env.overrides"}
    [finding] = by_id(report, "env.goarm-ignored")
    assert "GOARM=7" in finding["title"] and "arm64" in finding["title"]


def test_goroot_exported_to_another_tree(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOROOT": str(toolset.go121.parent.parent)}
    report, _ = setup.doctor()
    assert finding_ids(report) == {"goroot.mismatch"}
    [finding] = by_id(report, "goroot.mismatch")
    assert f"go{gobin.GO_1_21}" in finding["detail"] and f"go{gobin.GO_1_27}" in finding["detail"]


def test_no_c_compiler_with_cgo_unset(setup: Setup, toolset: Toolset):
    setup.path = [toolset.go127.parent]
    report, done = setup.doctor()
    assert finding_ids(report) == {"cgo.compiler"}
    [finding] = by_id(report, "cgo.compiler")
    assert finding["severity"] == "error" and "silently off" in finding["title"]
    assert done.returncode == 1


def test_gopath_bin_missing_from_path(setup: Setup, toolset: Toolset):
    setup.path = [toolset.go127.parent, toolset.cc_dir]
    setup.install_tool(toolset.native_tool, setup.home / "go" / "bin")
    report, _ = setup.doctor()
    assert finding_ids(report) == {"gobin.path"}
    [finding] = by_id(report, "gobin.path")
    assert str(setup.home / "go" / "bin") in finding["fix"]


def test_dlv_in_gobin_for_another_arch(setup: Setup, toolset: Toolset):
    gobin_dir = setup.root / "gobin"
    setup.install_tool(toolset.arm64_dlv, gobin_dir)
    setup.path = [toolset.go127.parent, gobin_dir, toolset.cc_dir]
    setup.exported = {"GOBIN": str(gobin_dir)}
    report, done = setup.doctor()
    assert finding_ids(report) == {"tools.arch"}
    [finding] = by_id(report, "tools.arch")
    assert finding["title"].startswith("dlv is built for linux/arm64")
    assert "example.com/dlv" in finding["fix"]
    assert done.returncode == 1


def test_go_mod_language_version_read_by_older_go(setup: Setup, toolset: Toolset):
    setup.path = [toolset.go121.parent, toolset.cc_dir]
    (setup.cwd / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    report, _ = setup.doctor()
    assert finding_ids(report) == {"toolchain.directive"}
    [finding] = by_id(report, "toolchain.directive")
    assert "go1.22" in finding["title"] and finding["fix"].startswith("write `go 1.22.0`")


@pytest.mark.qemu
def test_binfmt_info_matches_proc(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    report, _ = setup.doctor("--check", "linux.binfmt")
    proc = Path("/proc/sys/fs/binfmt_misc")
    qemu = [p for p in proc.glob("qemu-*")] if proc.is_dir() else []
    assert bool(by_id(report, "linux.binfmt")) == bool(qemu)


def test_save_redacts_and_diagnoses_the_same_elsewhere(setup: Setup, toolset: Toolset):
    setup.path = [toolset.go127.parent, toolset.cc_dir]
    setup.install_tool(toolset.native_tool, setup.home / "go" / "bin")
    setup.exported = {
        "GOPROXY": "https://builder:s3cret-token@proxy.example.test/go,direct",
        "HTTPS_PROXY": "http://alice:pa55word@127.0.0.1:3128",
        "GONOSUMDB": "example.test/private?access_token=abc123",
    }
    saved = setup.root / "facts.json"
    live, done = setup.doctor("--save", str(saved))
    assert "s3cret-token" not in done.stdout  # findings never repeat URL credentials
    text = saved.read_text()
    for secret in ("s3cret-token", "pa55word", "abc123", "builder", "alice"):
        assert secret not in text
    assert str(setup.home) not in text and '"HOME": "~"' in text
    # A colleague diagnoses the saved file somewhere else: same findings, home as ~.
    elsewhere = run_gorig("doctor", "--json", "--facts", saved, cwd=setup.root)
    replayed = json.loads(elsewhere.stdout)
    assert {f["id"] for f in replayed["findings"]} == {f["id"] for f in live["findings"]}
    assert "gobin.path" in finding_ids(replayed)
    assert (
        by_id(replayed, "gobin.path")[0]["fix"]
        == 'export PATH="$PATH:~/go/bin"   # in your shell profile'
    )


def test_failed_probe_has_its_own_mark(setup: Setup, toolset: Toolset):
    broken = setup.root / "broken-cc"
    broken.mkdir()
    compiler = broken / "cc-broken"
    compiler.write_text('#!/bin/sh\necho "cc-broken: internal compiler error" >&2\nexit 4\n')
    compiler.chmod(0o755)
    setup.path = [toolset.go127.parent, broken]
    setup.exported = {"CC": "cc-broken"}
    done = run_gorig("doctor", "-v", env=setup.env(), cwd=setup.cwd)
    [line] = [line for line in done.stdout.splitlines() if line.startswith("☠")]
    assert line.split()[1] == "cgo.compiler" and "internal compiler error" in line
    assert "could not run" in done.stdout.splitlines()[-1]
    assert any(
        line.strip().startswith("go_env ") and "ms" in line for line in done.stdout.splitlines()
    )
    strict = run_gorig(
        "doctor", "--strict", "--check", "cgo.compiler", env=setup.env(), cwd=setup.cwd
    )
    assert strict.returncode == 1


def test_a_go_that_cannot_run_is_a_finding_and_its_readers_could_not_run(
    setup: Setup, toolset: Toolset
):
    setup.path = clean_path(setup, toolset)
    setup.exported = {"GOEXPERIMENT": "nosuch"}  # every go command fails with this
    report, done = setup.doctor()
    [finding] = by_id(report, "go.arch")
    assert finding["severity"] == "error" and "unknown GOEXPERIMENT" in finding["title"]
    assert finding["fix"].startswith("unset GOEXPERIMENT")
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    # They read Go's defaults, which only the failed `go env -json` knows.
    assert statuses["env.overrides"] == statuses["cgo.compiler"] == "failed"
    assert report["counts"]["failed"] == sum(s == "failed" for s in statuses.values()) > 1
    assert done.returncode == 1
    text = run_gorig("doctor", env=setup.env(), cwd=setup.cwd)
    lines = text.stdout.splitlines()
    assert any(line.startswith("☠ env.overrides") for line in lines)
    assert lines[-1].startswith("Doctor found 1 error, ") and "could not run" in lines[-1]


def test_a_foreign_toolchain_in_gorigs_store_is_uninstalled_with_gorig(
    setup: Setup, toolset: Toolset
):
    name = f"go{gobin.GO_1_27}.linux-arm64"  # as `gorig install --arch arm64` names it
    stored = setup.root / "gorig-home" / "toolchains" / name / "bin"
    setup.install_tool(toolset.go_arm64, stored)
    setup.path = [stored, toolset.go127.parent, toolset.cc_dir]
    report, _ = setup.doctor()
    [finding] = by_id(report, "go.arch")
    assert finding["fix"].startswith(f"gorig uninstall {gobin.GO_1_27} --os linux --arch arm64")


def test_binfmt_is_recorded_as_mounted_only_when_it_is(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    report, _ = setup.doctor("-v", "--check", "linux.binfmt")
    mounts = [line.split() for line in Path("/proc/mounts").read_text().splitlines()]
    mounted = any(fields[1] == "/proc/sys/fs/binfmt_misc" for fields in mounts)
    assert report["facts"]["binfmt"]["mounted"] is mounted


def test_a_proxy_preset_chosen_with_gorig_proxy_set_is_not_reported(setup: Setup, toolset: Toolset):
    setup.path = clean_path(setup, toolset)
    chosen = run_gorig("proxy", "set", "cn", env=setup.env(), cwd=setup.cwd)
    assert chosen.returncode == 0, chosen.stderr
    report, _ = setup.doctor("-v")
    assert report["facts"]["goenv_file"]["values"]["GOPROXY"] == "https://goproxy.cn,direct"
    assert by_id(report, "modules.proxy") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_shell_block_and_the_doctor_agree_on_gopath_from_gos_env_file(
    setup: Setup, toolset: Toolset, shell: str
):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed (scripts/test installs it)")
    setup.path = [toolset.go127.parent, toolset.cc_dir, Path("/usr/bin"), Path("/bin")]
    setup.exported = {"GORIG_HOME": str(setup.root / "gorig-home")}
    gopath = setup.home / "work-gopath"
    subprocess.run(
        [str(toolset.go127), "env", "-w", f"GOPATH={gopath}"],
        env=setup.env(),
        cwd=setup.cwd,
        check=True,
    )
    setup.install_tool(toolset.native_tool, gopath / "bin")
    block = setup.root / f"block.{shell}"
    block.write_text(run_gorig("shell", "init", shell, env=setup.env()).stdout)
    doctor = " ".join([*map(shlex.quote, GORIG), "doctor", "--json", "--check", "gobin.path"])
    done = subprocess.run(
        [shell, "-c", f"source {shlex.quote(str(block))}; {doctor}"],
        env=setup.env(),
        cwd=setup.cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["findings"] == []  # the block put $GOPATH/bin on PATH


def test_project_files_that_are_fifos_are_not_read(setup: Setup, toolset: Toolset):
    """A FIFO named Dockerfile or go.mod (nobody writes to it) would block a plain open; the
    doctor's probes run in turn, so it must not wait: the files read as absent."""
    setup.path = clean_path(setup, toolset)
    os.mkfifo(setup.cwd / "Dockerfile")
    os.mkfifo(setup.cwd / "go.work")
    report, _ = setup.doctor("-v")
    facts = report["facts"]
    assert facts["probes"]["docker"]["ok"] and facts["probes"]["project"]["ok"]
    assert facts["docker"]["dockerfile_platforms"] == [] and facts["project"]["go_work"] is None
