"""What ``gorig build`` does when things go wrong: a target that fails to compile, an
artifact that is not what was asked, bad targets, bad templates."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_gorig
from gorig.matrix.verify import verify_artifact
from gorig.targets import Target
from support import gobin

pytestmark = pytest.mark.toolchain

BROKEN_ON_WINDOWS = """//go:build windows

package main

var broken int = "not an int"
"""


def env_for(tmp: Path, go_version: str = gobin.GO_1_27) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    env.update(
        PATH=os.pathsep.join([str(gobin.go_binary(go_version).parent), "/usr/bin", "/bin"]),
        GORIG_HOME=str(tmp / "gorig-home"),
        GOCACHE=str(gobin.GOCACHE),
        GOPATH=str(tmp / "gopath"),
        GOTOOLCHAIN="local",
        GOPROXY="off",
    )
    return env


@pytest.fixture(scope="module")
def module(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("partial") / "app"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/app\n\ngo 1.21\n")
    (root / "main.go").write_text('package main\n\nfunc main() { println("app") }\n')
    (root / "broken_windows.go").write_text(BROKEN_ON_WINDOWS)
    return root


@pytest.fixture(scope="module")
def partial(module):
    out = module.parent / "dist"
    done = run_gorig("build", "--targets", "linux/amd64,windows/arm64", "-j", "1", "--json",
                     "-o", out, env=env_for(module.parent), cwd=module)  # fmt: skip
    return done, out


def test_one_failing_target_does_not_stop_the_others(partial):
    done, out = partial
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["jobs"] == 1 and not report["ok"]
    by_target = {t["target"]: t for t in report["targets"]}
    assert by_target["linux/amd64"]["ok"]
    failed = by_target["windows/arm64"]
    assert not failed["ok"]
    assert "go build . for windows/arm64 failed" in failed["error"]
    assert "broken_windows.go" in failed["error"]
    assert (out / "app_linux_amd64").is_file()
    assert not (out / "app_windows_arm64.exe").exists()
    sums = (out / "SHA256SUMS").read_text()
    assert sums == f"{by_target['linux/amd64']['sha256']}  app_linux_amd64\n"


def test_summary_table_and_exit_status_without_json(module, tmp_path):
    done = run_gorig("build", "--targets", "windows/arm64,linux/amd64", "-o", tmp_path / "d",
                     env=env_for(module.parent), cwd=module)  # fmt: skip
    assert done.returncode == 1
    assert "FAILED" in done.stdout and "ok" in done.stdout
    assert done.stderr.strip() == "gorig: error: 1 of 2 targets failed: windows/arm64"
    assert "Traceback" not in done.stderr


def test_an_artifact_that_is_not_the_target_fails_verification(partial):
    _, out = partial
    built = out / "app_linux_amd64"
    assert verify_artifact(built, Target("linux", "amd64"), cgo=False).ok
    assert verify_artifact(built, Target("linux", "arm64"), cgo=False).problems == [
        "GOARCH is amd64, not arm64"
    ]
    assert verify_artifact(built, Target("linux", "amd64", "v3"), cgo=False).problems == [
        "GOAMD64 is v1, not v3"
    ]
    assert verify_artifact(built, Target("linux", "amd64"), cgo=True).problems == [
        "CGO_ENABLED is 0, not 1"
    ]
    windows = verify_artifact(built, Target("windows", "amd64"), cgo=False).problems
    assert windows == ["GOOS is linux, not windows", "linkage is static, not dynamic"]
    assert verify_artifact(built, Target("darwin", "universal"), cgo=False).problems == [
        "not a universal Mach-O but elf"
    ]
    text = out.parent / "notes.txt"
    text.write_text("not a program\n")
    (problem,) = verify_artifact(text, Target("linux", "amd64"), cgo=False).problems
    assert problem.startswith("cannot read the artifact")


def test_name_template(module, tmp_path):
    out = tmp_path / "named"
    done = run_gorig("build", "--targets", "linux/amd64", "--name", "{name}-{os}-{arch}{variant}",
                     "--json", "-o", out, env=env_for(module.parent), cwd=module)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (out / "app-linux-amd64").is_file()
    bad = run_gorig("build", "--targets", "linux/amd64", "--name", "{name}_{cpu}",
                    env=env_for(module.parent), cwd=module)  # fmt: skip
    assert bad.returncode == 1
    assert bad.stderr.startswith("gorig: error: --name '{name}_{cpu}' uses cpu;")


@pytest.mark.parametrize(
    ("targets", "go", "text"),
    [
        ("linux/arm/8", gobin.GO_1_27, "linux/arm/8: GOARM=8: invalid GOARM: must start with"),
        ("darwin/386", gobin.GO_1_22, "darwin/386: darwin/386 was removed after Go 1.14"),
        ("plan9/arm64", gobin.GO_1_27, "plan9/arm64: unsupported GOOS/GOARCH pair plan9/arm64"),
        ("linux/amd64/v5", gobin.GO_1_27, "GOAMD64=v5: invalid GOAMD64: must be v1, v2, v3, v4"),
        ("windows/arm", gobin.GO_1_27, "windows/arm: windows/arm was removed after Go 1.25"),
    ],
)
def test_bad_targets_stop_the_build_before_anything_runs(module, tmp_path, targets, go, text):
    out = tmp_path / "none"
    done = run_gorig("build", "--targets", f"linux/amd64,{targets}", "-o", out,
                     env=env_for(module.parent, go), cwd=module)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("gorig: error: ") and text in done.stderr
    assert done.stderr.count("\n") == 1
    assert not out.exists()


def test_no_go_anywhere_is_one_clear_error(module, tmp_path):
    env = env_for(module.parent)
    env["PATH"] = "/usr/bin:/bin"
    done = run_gorig("build", "--targets", "host", env=env, cwd=module)
    assert done.returncode == 1
    no_go = "gorig: error: no Go toolchain here: run 'gorig install', or put go on PATH\n"
    assert done.stderr == no_go


def test_live_progress_on_a_terminal_and_none_on_a_pipe(module, tmp_path):
    import sys

    from support.terminal import run_in_terminal

    env = env_for(module.parent) | {"TERM": "xterm-256color", "COLUMNS": "100"}
    argv = [sys.executable, "-m", "gorig", "build", "--targets", "linux/amd64",
            "-o", str(tmp_path / "tty")]  # fmt: skip
    status, text = run_in_terminal(argv, env, module, stdout_on_terminal=False, timeout=300)
    assert status == 0
    assert "gorig build (1 at once)" in text and "linux/amd64" in text and "ok" in text
    piped = run_gorig("build", "--targets", "linux/amd64", "-o", tmp_path / "pipe",
                      env=env, cwd=module)  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == ""
    assert "app_linux_amd64" in piped.stdout


def test_cgo_builds_record_cgo_and_link_libc_when_the_program_needs_it(module, tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/netapp\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text(
        'package main\n\nimport (\n\t"fmt"\n\t"net"\n)\n\n'
        'func main() { fmt.Println(net.ParseIP("127.0.0.1")) }\n'
    )
    env = env_for(module.parent)
    done = run_gorig("build", "--targets", "host", "--cgo", "--json", "-o", tmp_path / "d",
                     env=env, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    (result,) = json.loads(done.stdout)["targets"]
    assert result["found"]["cgo"] == "1"
    assert result["found"]["linkage"] == "dynamic"


def test_wasm_plan9_and_aix_artifacts_are_recognised_by_their_magic(module, tmp_path):
    """gorig's readers parse ELF, Mach-O and PE; the other Go outputs are proven by magic."""
    (tmp_path / "go.mod").write_text("module example.com/tiny\n\ngo 1.21\n")
    (tmp_path / "main.go").write_text('package main\n\nfunc main() { println("tiny") }\n')
    done = run_gorig("build", "--targets", "js/wasm,plan9/amd64,aix/ppc64", "--json",
                     "-o", tmp_path / "d", env=env_for(module.parent), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    found = {t["target"]: t["found"] for t in json.loads(done.stdout)["targets"]}
    assert found["js/wasm"]["format"] == "wasm"
    assert (found["plan9/amd64"]["format"], found["plan9/amd64"]["goos"]) == ("plan9", "plan9")
    assert (found["aix/ppc64"]["format"], found["aix/ppc64"]["goarch"]) == ("xcoff", "ppc64")
    wrong = verify_artifact(tmp_path / "d" / "tiny_plan9_amd64", Target("plan9", "386"), cgo=False)
    assert wrong.problems == ["GOARCH is amd64, not 386"]
