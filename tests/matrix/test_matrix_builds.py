"""Real matrix builds with ``gorig build``: a small module and GOROOT's cmd/gofmt, each for
eight targets, proven by gorig inspect, ``file``, llvm-readobj, llvm-lipo, qemu-user and
``sha256sum -c``.

Building is CPU heavy, so each matrix is built once per test run and shared: the GOCACHE
lives in the test cache (reruns are warm), and parallel workers of one run share one build
through a file lock in the run's temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from filelock import FileLock

from conftest import run_gorig
from gorig.matrix.universal import write_universal
from support import gobin

pytestmark = pytest.mark.toolchain

LLVM = Path("/usr/lib/llvm-14/bin")
MATRIX = [
    "linux/amd64",
    "linux/amd64/v3",
    "linux/arm64",
    "linux/arm/6",
    "linux/riscv64",
    "darwin/universal",
    "windows/arm64",
    "freebsd/amd64",
]
HELLO = """package main

import (
\t"fmt"
\t"runtime"
)

func main() { fmt.Printf("hello from %s/%s\\n", runtime.GOOS, runtime.GOARCH) }
"""


def tool(name: str) -> str:
    """A tool the tests need; scripts/test installs them, so a missing one fails loudly."""
    found = shutil.which(name) or (str(LLVM / name) if (LLVM / name).exists() else None)
    if found is None:
        pytest.fail(f"{name} is not installed (scripts/test installs it)")
    return found


def build_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    go_bin = str(gobin.go_binary(gobin.GO_1_27).parent)
    env.update(
        PATH=os.pathsep.join([go_bin, "/usr/bin", "/bin"]),
        GORIG_HOME=str(home / "gorig-home"),
        GOCACHE=str(gobin.GOCACHE),
        GOPATH=str(home / "gopath"),
        GOTOOLCHAIN="local",
        GOPROXY="off",
        GOFLAGS="-modcacherw",
    )
    return env


def shared_root(factory: pytest.TempPathFactory) -> Path:
    """pytest's temporary directory of this run, the same for every xdist worker."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_build(root: Path, name: str, package: str, make_cwd) -> dict:
    """Build once per test run (xdist workers share it); return the parsed report."""
    base = root / f"gorig-build-{name}"
    with FileLock(str(base) + ".lock"):
        saved = base / "result.json"
        if not saved.exists():
            shutil.rmtree(base, ignore_errors=True)
            base.mkdir()
            cwd = make_cwd(base)
            done = run_gorig(
                "build", package, "--targets", ",".join(MATRIX), "--json",
                "-o", base / "dist", env=build_env(base), cwd=cwd, timeout=1200,
            )  # fmt: skip
            result = {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
            saved.write_text(json.dumps(result))
        result = json.loads(saved.read_text())
    assert result["code"] == 0, result["stderr"] + result["stdout"][-3000:]
    report = json.loads(result["stdout"])
    report["dir"] = base / "dist"
    return report


def hello_module(base: Path, name: str = "hello", source: str = HELLO) -> Path:
    module = base / name
    module.mkdir()
    (module / "go.mod").write_text(f"module example.com/{name}\n\ngo 1.21\n")
    (module / "main.go").write_text(source)
    return module


@pytest.fixture(scope="session")
def hello(tmp_path_factory):
    return shared_build(shared_root(tmp_path_factory), "hello", ".", hello_module)


@pytest.fixture(scope="session")
def gofmt(tmp_path_factory):
    return shared_build(shared_root(tmp_path_factory), "gofmt", "cmd/gofmt", lambda base: base)


@pytest.fixture(scope="session", params=["hello", "gofmt"])
def report(request):
    return request.getfixturevalue(request.param)


def artifact(report: dict, target: str) -> Path:
    entry = next(t for t in report["targets"] if t["target"] == target)
    return Path(report["dir"]) / entry["artifact"]


def test_every_target_built_and_named_by_the_default_scheme(report):
    assert report["ok"]
    assert [t["target"] for t in report["targets"]] == MATRIX
    name = "hello" if "hello" in report["targets"][0]["artifact"] else "gofmt"
    expected = {
        "linux/amd64": f"{name}_linux_amd64",
        "linux/amd64/v3": f"{name}_linux_amd64_v3",
        "linux/arm/6": f"{name}_linux_arm_6",
        "darwin/universal": f"{name}_darwin_universal",
        "windows/arm64": f"{name}_windows_arm64.exe",
    }
    for target, file_name in expected.items():
        assert artifact(report, target).name == file_name
        assert artifact(report, target).is_file()


EXPECT = {
    # target: (goos, goarch, variant setting or None, linkage)
    "linux/amd64": ("linux", "amd64", None, "static"),
    "linux/amd64/v3": ("linux", "amd64", ("GOAMD64", "v3"), "static"),
    "linux/arm64": ("linux", "arm64", None, "static"),
    "linux/arm/6": ("linux", "arm", ("GOARM", "6"), "static"),
    "linux/riscv64": ("linux", "riscv64", None, "static"),
    "windows/arm64": ("windows", "arm64", None, "dynamic"),
    "freebsd/amd64": ("freebsd", "amd64", None, "static"),
}


def test_gorig_inspect_confirms_each_thin_artifact(report):
    paths = [artifact(report, target) for target in EXPECT]
    done = run_gorig("inspect", "--json", *paths)
    assert done.returncode == 0, done.stderr
    for target, info in zip(EXPECT, json.loads(done.stdout), strict=True):
        goos, goarch, variant, linkage = EXPECT[target]
        assert (info["goos"], info["goarch"], info["linkage"]) == (goos, goarch, linkage)
        settings = {s["Key"]: s["Value"] for s in info["go"]["Settings"]}
        assert settings["CGO_ENABLED"] == "0" and settings["-trimpath"] == "true"
        if variant:
            assert settings[variant[0]] == variant[1]


FILE_SAYS = {
    "linux/amd64": ["ELF 64-bit LSB executable, x86-64", "statically linked"],
    "linux/amd64/v3": ["ELF 64-bit LSB executable, x86-64", "statically linked"],
    "linux/arm64": ["ELF 64-bit LSB executable, ARM aarch64", "statically linked"],
    "linux/arm/6": ["ELF 32-bit LSB executable, ARM", "statically linked"],
    "linux/riscv64": ["ELF 64-bit LSB executable, UCB RISC-V", "statically linked"],
    "freebsd/amd64": ["ELF 64-bit LSB executable, x86-64", "FreeBSD"],
    "windows/arm64": ["PE32+ executable", "Aarch64"],
    "darwin/universal": ["Mach-O universal binary with 2 architectures", "x86_64", "arm64"],
}
READOBJ_MACHINE = {
    "linux/amd64": "EM_X86_64",
    "linux/amd64/v3": "EM_X86_64",
    "linux/arm64": "EM_AARCH64",
    "linux/arm/6": "EM_ARM",
    "linux/riscv64": "EM_RISCV",
    "freebsd/amd64": "EM_X86_64",
    "windows/arm64": "IMAGE_FILE_MACHINE_ARM64",
}


def test_file_and_llvm_readobj_agree(report):
    for target, words in FILE_SAYS.items():
        said = subprocess.run([tool("file"), artifact(report, target)], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        for word in words:
            assert word in said, (target, said)
    for target, machine in READOBJ_MACHINE.items():
        said = subprocess.run([tool("llvm-readobj"), "--file-headers", artifact(report, target)],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert machine in said, (target, said)


def test_universal_binary_round_trips_through_llvm_lipo(report, tmp_path):
    universal = artifact(report, "darwin/universal")
    lipo = tool("llvm-lipo")
    info = subprocess.run([lipo, "-info", universal], capture_output=True, text=True, check=True)
    assert info.stdout.split(":")[-1].split() == ["x86_64", "arm64"]
    thins = []
    for arch, goarch in (("x86_64", "amd64"), ("arm64", "arm64")):
        thin = tmp_path / arch
        subprocess.run([lipo, universal, "-thin", arch, "-output", thin], check=True)
        done = run_gorig("inspect", "--json", thin)
        (read,) = json.loads(done.stdout)
        assert (read["format"], read["goos"], read["goarch"]) == ("macho", "darwin", goarch)
        thins.append(thin)
    rejoined = tmp_path / "rejoined"
    write_universal(thins, rejoined)
    assert rejoined.read_bytes() == universal.read_bytes()
    by_lipo = tmp_path / "by-lipo"
    subprocess.run([lipo, "-create", *thins, "-output", by_lipo], check=True)
    again = subprocess.run([lipo, "-info", by_lipo], capture_output=True, text=True, check=True)
    assert sorted(again.stdout.split(":")[-1].split()) == ["arm64", "x86_64"]


def test_universal_slices_are_checked_by_gorig_inspect(report):
    done = run_gorig("inspect", "--json", artifact(report, "darwin/universal"))
    (info,) = json.loads(done.stdout)
    assert info["format"] == "macho-universal"
    assert [s["goarch"] for s in info["slices"]] == ["amd64", "arm64"]
    assert all(s["go"] is not None for s in info["slices"])


@pytest.mark.qemu
def test_hello_runs_natively_and_under_qemu(hello):
    runs = {
        "linux/amd64": [],
        "linux/arm64": [tool("qemu-aarch64")],
        "linux/arm/6": [tool("qemu-arm")],
    }
    for target, runner in runs.items():
        done = subprocess.run([*runner, artifact(hello, target)], capture_output=True,
                              text=True, check=True, timeout=60)  # fmt: skip
        goarch = target.split("/")[1]
        assert done.stdout == f"hello from linux/{goarch}\n"


@pytest.mark.qemu
def test_gofmt_formats_under_qemu(gofmt):
    source = "package  main\nfunc main( ) {  }\n"
    for target, runner in (("linux/arm64", "qemu-aarch64"), ("linux/arm/6", "qemu-arm")):
        done = subprocess.run([tool(runner), artifact(gofmt, target)], input=source,
                              capture_output=True, text=True, check=True, timeout=60)  # fmt: skip
        assert done.stdout == "package main\n\nfunc main() {}\n"


def test_sha256sums_verify_and_are_sorted(report):
    directory = Path(report["dir"])
    sums = (directory / "SHA256SUMS").read_text().splitlines()
    names = [line.split("  ", 1)[1] for line in sums]
    assert names == sorted(names) == sorted(t["artifact"] for t in report["targets"])
    assert all(len(line.split("  ", 1)[0]) == 64 for line in sums)
    done = subprocess.run([tool("sha256sum"), "-c", "SHA256SUMS"], cwd=directory,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == len(MATRIX)
