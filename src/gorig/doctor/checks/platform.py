"""Checks about the machine and the binaries on it: Rosetta, architectures, PATH, emulation."""

from __future__ import annotations

import posixpath
from typing import Any

from gorig.doctor.checks.facts_view import (
    go_version,
    host_of,
    install_target,
    native,
    platform_text,
    runs_natively,
    same_path,
)
from gorig.doctor.checks.registry import check
from gorig.doctor.findings import ERROR, INFO, WARNING, Finding
from gorig.doctor.settings import lookup
from gorig.host.facts import USERLAND_32_OF

ARM_BREW, INTEL_BREW = "/opt/homebrew", "/usr/local"


def _on_apple_silicon(facts: dict[str, Any]) -> bool:
    host = host_of(facts)
    return host.os == "darwin" and host.hardware_arch == "arm64"


def _intel_only(entry: dict[str, Any]) -> bool:
    return entry.get("archs") == ["amd64"]


@check(
    "host.translated",
    ERROR,
    "this process and its parent run natively",
    ("process",),
    platforms=("darwin",),
)
def translated(facts: dict[str, Any]) -> list[Finding]:
    if not _on_apple_silicon(facts):
        return []
    host = host_of(facts)
    process = facts.get("process") or {}
    parent = process.get("parent") or {}
    python = process.get("python") or {}
    reasons = []
    if host.translated:
        reasons.append("this process runs under Rosetta (sysctl.proc_translated is 1)")
    if parent.get("translated") or _intel_only(parent):
        reasons.append(f"its parent {parent.get('executable') or '?'} runs as x86_64")
    if _intel_only(python):
        reasons.append(f"Python ({python.get('executable')}) is an x86_64-only build")
    if not reasons:
        return []
    return [
        Finding(
            "host.translated",
            ERROR,
            "This shell runs under Rosetta: everything it starts runs as x86_64",
            "; ".join(reasons)
            + f". `uname -m` says {host.kernel_arch}; the CPU is arm64. Go tools "
            "started from here build and debug for the wrong architecture (Delve refuses to run).",
            "arch -arm64 /bin/zsh -l   # and untick 'Open using Rosetta' for the terminal/editor",
        )
    ]


@check("go.arch", ERROR, "the first go on PATH is built for this machine", ("gos",))
def go_arch(facts: dict[str, Any]) -> list[Finding]:
    gos = facts.get("gos") or []
    if not gos:
        return [Finding("go.arch", WARNING, "No go on PATH", "", "gorig install")]
    go = gos[0]
    if go.get("format") == "script" or runs_natively(go, facts):
        return []
    goos, goarch = native(facts)
    if go.get("error"):
        detail = f"{go['path']} cannot be read as an executable: {go['error']}"
    else:
        detail = (
            f"{go['path']} ({go.get('go_version') or 'unknown version'}) is "
            f"{FORMAT_NAMES.get(go.get('format') or '', 'a')} binary for {platform_text(go)}. "
            "It fails with "
            "'exec format error' or runs emulated, and builds for the wrong platform."
        )
    root = go.get("goroot") or posixpath.dirname(posixpath.dirname(go["path"]))
    return [
        Finding(
            "go.arch",
            ERROR,
            f"The first go on PATH is for {platform_text(go)}; this machine runs {goos}/{goarch}",
            detail,
            f"rm -rf {root}   # then install the native build: gorig install",
        )
    ]


FORMAT_NAMES = {
    "elf": "an ELF",
    "macho": "a Mach-O",
    "macho-universal": "a universal Mach-O",
    "pe": "a PE (Windows)",
}


def _newest(gos: list[dict[str, Any]]) -> dict[str, Any]:
    """The go with the highest version; the first of equals (``max`` keeps it)."""

    def rank(go: dict[str, Any]) -> tuple[int, ...]:
        version = go_version(go.get("go_version"))
        return version.sort_key() if version else (-1,)

    return max(gos, key=rank)


def _distinct(gos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    kept = []
    for go in gos:
        key = go.get("realpath") or go["path"]
        if key not in seen:
            seen.add(key)
            kept.append(go)
    return kept


def _better_than(candidate: dict[str, Any], winner: dict[str, Any], facts: dict[str, Any]) -> bool:
    """``candidate`` should win: it is native where the winner is not, or newer."""
    if not runs_natively(candidate, facts):
        return False
    if not runs_natively(winner, facts):
        return True
    mine, theirs = go_version(candidate.get("go_version")), go_version(winner.get("go_version"))
    return mine is not None and theirs is not None and mine > theirs


@check("path.go-shadowed", WARNING, "one go on PATH", ("gos",))
def go_shadowed(facts: dict[str, Any]) -> list[Finding]:
    gos = _distinct(facts.get("gos") or [])
    if len(gos) < 2:
        return []
    winner, others = gos[0], gos[1:]
    lines = [
        f"{'wins' if go is winner else 'hidden'}: {go['path']} -> "
        f"{go.get('go_version') or '?'} {platform_text(go)}"
        for go in gos
    ]
    better = [go for go in others if _better_than(go, winner, facts)]
    if better:
        best = _newest(better)
        return [
            Finding(
                "path.go-shadowed",
                WARNING,
                f"{winner['path']} ({winner.get('go_version')}) hides {best['path']} "
                f"({best.get('go_version')}) on PATH",
                "\n".join(lines),
                f'export PATH="{posixpath.dirname(best["path"])}:$PATH"   # in your shell profile',
            )
        ]
    return [
        Finding(
            "path.go-shadowed",
            INFO,
            f"{len(gos)} go executables on PATH; {winner['path']} wins",
            "\n".join(lines),
            "remove " + ", ".join(posixpath.dirname(go["path"]) for go in others) + " from PATH",
        )
    ]


def _path_index(facts: dict[str, Any], directory: str) -> int | None:
    for index, entry in enumerate(facts.get("path", [])):
        if same_path(entry, directory):
            return index
    return None


@check(
    "brew.intel-prefix",
    WARNING,
    "only ARM Homebrew on Apple Silicon",
    ("homebrew",),
    platforms=("darwin",),
)
def brew_intel(facts: dict[str, Any]) -> list[Finding]:
    if not _on_apple_silicon(facts):
        return []
    prefixes = {p["prefix"]: p for p in (facts.get("homebrew") or {}).get("prefixes", [])}
    if not prefixes.get(INTEL_BREW, {}).get("exists"):
        return []
    intel = _path_index(facts, f"{INTEL_BREW}/bin")
    arm = _path_index(facts, f"{ARM_BREW}/bin")
    has_arm = prefixes.get(ARM_BREW, {}).get("exists")
    ahead = intel is not None and (arm is None or intel < arm)
    title = (
        "Intel Homebrew (/usr/local) comes before ARM Homebrew on PATH"
        if ahead and has_arm
        else "Intel Homebrew (/usr/local) is installed on Apple Silicon"
    )
    return [
        Finding(
            "brew.intel-prefix",
            WARNING,
            title,
            "Formulae from /usr/local are x86_64: tools and C libraries found there run under "
            "Rosetta or fail to link ('found architecture x86_64, required architecture arm64').",
            f'eval "$({ARM_BREW}/bin/brew shellenv)"   # last in ~/.zprofile; then remove Intel '
            "Homebrew from /usr/local",
        )
    ]


@check(
    "linux.userland",
    ERROR,
    "userland and go match the kernel's word size",
    ("gos",),
    platforms=("linux",),
)
def linux_userland(facts: dict[str, Any]) -> list[Finding]:
    host = host_of(facts)
    if host.os != "linux" or host.userland_bits != 32:
        return []
    gos = facts.get("gos") or []
    wide = gos[0] if gos and (gos[0].get("bits") or 0) > 32 else None
    if host.hardware_arch not in USERLAND_32_OF and wide is None:
        return []
    goos, goarch = native(facts)
    detail = (
        f"The kernel is {host.kernel_arch} (64-bit) but /bin/sh is 32-bit: 64-bit programs "
        "fail with 'cannot execute binary file: Exec format error'."
    )
    if wide is not None:
        detail += f" {wide['path']} is a 64-bit {platform_text(wide)} binary."
    return [
        Finding(
            "linux.userland",
            ERROR,
            "64-bit kernel with a 32-bit userland",
            detail,
            f"gorig install   # picks the {goos}-{goarch} build this userland runs",
        )
    ]


@check("linux.binfmt", INFO, "no emulation handlers registered", ("binfmt",), platforms=("linux",))
def linux_binfmt(facts: dict[str, Any]) -> list[Finding]:
    handlers = [
        h
        for h in (facts.get("binfmt") or {}).get("handlers", [])
        if h.get("enabled") and "qemu" in (h.get("interpreter") or h.get("name", ""))
    ]
    if not handlers:
        return []
    names = ", ".join(sorted(h["name"] for h in handlers))
    return [
        Finding(
            "linux.binfmt",
            INFO,
            f"qemu binfmt handlers are registered ({len(handlers)})",
            f"Binaries for other architectures run here, emulated and slowly: {names}. A foreign "
            "go or tool can look like it works.",
            "ls /proc/sys/fs/binfmt_misc   # build for this machine to run natively",
        )
    ]


def _platform_arch(platform: str) -> str:
    parts = platform.strip().split("/")
    return parts[1] if len(parts) > 1 else ""


@check("docker.platform", WARNING, "Docker builds for this machine", ("docker",))
def docker_platform(facts: dict[str, Any]) -> list[Finding]:
    docker = facts.get("docker") or {}
    hardware = host_of(facts).hardware_arch
    found = []
    default = docker.get("default_platform") or ""
    if default and _platform_arch(default) not in ("", hardware):
        found.append(
            Finding(
                "docker.platform",
                WARNING,
                f"DOCKER_DEFAULT_PLATFORM={default}: containers run emulated on this {hardware} "
                "machine",
                "Go under qemu is slow and crashes ('qemu: uncaught target signal 11').",
                "unset DOCKER_DEFAULT_PLATFORM   # build multi-arch images instead",
            )
        )
    for line in docker.get("dockerfile_platforms", []):
        arch = _platform_arch(line.get("platform", ""))
        if arch and "$" not in arch and arch != hardware:
            found.append(
                Finding(
                    "docker.platform",
                    WARNING,
                    f"{line['file']}:{line['line']} pins FROM --platform={line['platform']}",
                    "The Go build stage runs emulated on this machine.",
                    "FROM --platform=$BUILDPLATFORM golang AS build   # and cross-compile with "
                    "GOOS=$TARGETOS GOARCH=$TARGETARCH",
                )
            )
    return found


AMD64_LEVEL_ROSETTA = 2  # Rosetta 2 translates up to SSE4.2 (x86-64-v2), not AVX2


def _amd64_level(text: str) -> int:
    return int(text[1:]) if text[:1] == "v" and text[1:].isdigit() else 1


def _runnable_amd64_level(facts: dict[str, Any]) -> int | None:
    if _on_apple_silicon(facts):
        return AMD64_LEVEL_ROSETTA
    if host_of(facts).hardware_arch != "amd64":
        return None
    return (facts.get("cpu") or {}).get("amd64_level")


@check("goamd64.level", WARNING, "GOAMD64 runs on this CPU", ("cpu", "tools"))
def goamd64_level(facts: dict[str, Any]) -> list[Finding]:
    limit = _runnable_amd64_level(facts)
    if limit is None:
        return []
    found = []
    setting = lookup(facts, "GOAMD64")
    level = _amd64_level(setting.value)
    goos = lookup(facts, "GOOS").value
    if setting.set_by_user and level > limit and goos == host_of(facts).os:
        found.append(
            Finding(
                "goamd64.level",
                WARNING,
                f"GOAMD64={setting.value} (from the {setting.source}), this machine runs v{limit}",
                "Programs built here stop with 'This program can only be run on AMD64 processors "
                f"with {setting.value} microarchitecture support.'",
                f"GOAMD64=v{limit}   # or: go env -u GOAMD64",
            )
        )
    for tool in (facts.get("tools") or {}).get("items", []):
        wanted = _amd64_level((tool.get("settings") or {}).get("GOAMD64", "v1"))
        if wanted > limit and tool.get("goarch") == "amd64":
            found.append(
                Finding(
                    "goamd64.level",
                    WARNING,
                    f"{tool['path']} needs amd64 v{wanted}; this machine runs v{limit}",
                    "It will refuse to start.",
                    f"GOAMD64=v{limit} go install {install_target(tool)}@latest",
                )
            )
    return found
