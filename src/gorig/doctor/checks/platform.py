"""Checks about the machine and the binaries on it: Rosetta, architectures, PATH, emulation."""

from __future__ import annotations

import posixpath
import re

from gorig.doctor.checks.facts_view import (
    fix_for,
    go_version,
    host_of,
    install_target,
    native,
    platform_text,
    runs_natively,
    same_path,
    tool_items,
)
from gorig.doctor.checks.registry import check
from gorig.doctor.findings import ERROR, INFO, WARNING, Finding
from gorig.doctor.settings import lookup
from gorig.host.facts import USERLAND_32_OF
from gorig.host.goenv import shown_source
from gorig.i18n import N_, _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gorig.doctor.facts import DockerFacts, Facts, GoOnPath, Tool

ARM_BREW, INTEL_BREW = "/opt/homebrew", "/usr/local"


def _on_apple_silicon(facts: Facts) -> bool:
    host = host_of(facts)
    return host.os == "darwin" and host.hardware_arch == "arm64"


def _intel_only(archs: list[str] | None) -> bool:
    return archs == ["amd64"]


@check(
    "host.translated",
    ERROR,
    "this process and its parent run natively",
    ("process",),
    platforms=("darwin",),
)
def translated(facts: Facts) -> list[Finding]:
    process = facts.get("process")
    if not _on_apple_silicon(facts) or not process:
        return []
    host = host_of(facts)
    parent, python = process["parent"], process["python"]
    reasons = []
    if host.translated:
        reasons.append(_("this process runs under Rosetta (sysctl.proc_translated is 1)"))
    if parent.get("translated") or _intel_only(parent.get("archs")):
        its_parent = _("its parent {executable} runs as x86_64")
        reasons.append(its_parent.format(executable=parent.get("executable") or "?"))
    if _intel_only(python["archs"]):
        only = _("Python ({executable}) is an x86_64-only build")
        reasons.append(only.format(executable=python["executable"]))
    if not reasons:
        return []
    return [
        Finding(
            "host.translated",
            ERROR,
            _("This shell runs under Rosetta: everything it starts runs as x86_64"),
            _(
                "{reasons}. `uname -m` says {kernel_arch}; the CPU is arm64. Go tools started "
                "from here build and debug for the wrong architecture (Delve refuses to run)."
            ).format(reasons=_("; ").join(reasons), kernel_arch=host.kernel_arch),
            "arch -arm64 /bin/zsh -l   # "
            + _("and untick 'Open using Rosetta' for the terminal/editor"),
        )
    ]


def _cannot_run(go: GoOnPath, facts: Facts) -> Finding | None:
    """The native first go failed to run ``go env``: nothing else will work either."""
    status = facts["probes"].get("go_env")
    if status is None or status["ok"]:
        return None
    error = status["error"] or "failed"
    named = re.search(r"\b(?:GO[A-Z0-9_]*|CGO_[A-Z]+)\b", error)
    setting = lookup(facts, named.group()) if named else None
    fix = (
        fix_for(setting.key, setting.source)
        if setting is not None and setting.set_by_user
        else f"{go['path']} env   # " + _("shows the error; or reinstall Go: gorig install")
    )
    return Finding(
        "go.arch",
        ERROR,
        _("The first go on PATH fails to run: {error}").format(error=error),
        _(
            "`{go} env -json` failed, so every go command fails here; the checks that need "
            "its settings could not run."
        ).format(go=go["path"]),
        fix,
    )


def _removal(go: GoOnPath, facts: Facts) -> str:
    """The command that removes a foreign go the way it was installed."""
    root = go["goroot"] or posixpath.dirname(posixpath.dirname(go["path"]))
    real = go["realpath"] or go["path"]
    if "/Cellar/" in real:  # Homebrew: /usr/local/Cellar/go/1.22.0/libexec/bin/go
        prefix, _cellar, rest = real.partition("/Cellar/")
        brew = f"{prefix}/bin/brew uninstall {rest.split('/')[0]}"
        return f"arch -x86_64 {brew}" if _on_apple_silicon(facts) and prefix == INTEL_BREW else brew
    if host_of(facts).os == "darwin" and same_path(root, "/usr/local/go"):
        return "sudo rm -rf /usr/local/go /etc/paths.d/go   # what Go's .pkg installed"
    from gorig.toolchains.store import parse_toolchain_name

    stored = parse_toolchain_name(posixpath.basename(root))
    if stored and posixpath.basename(posixpath.dirname(root)) == "toolchains":
        version, goos, goarch = stored
        return f"gorig uninstall {version} --os {goos} --arch {goarch}"
    return f"rm -rf {root}"


@check(
    "go.arch",
    ERROR,
    "the first go on PATH is built for this machine and runs",
    ("gos",),
    reports=("go_env",),
)
def go_arch(facts: Facts) -> list[Finding]:
    gos = facts.get("gos") or []
    if not gos:
        return [Finding("go.arch", WARNING, _("No go on PATH"), "", "gorig install")]
    go = gos[0]
    if go.get("format") == "script":
        return []
    if runs_natively(go, facts):
        failure = _cannot_run(go, facts)
        return [failure] if failure else []
    goos, goarch = native(facts)
    if go.get("error"):
        detail = _("{go} cannot be read as an executable: {error}").format(
            go=go["path"], error=go["error"]
        )
    else:
        kind = go.get("format") or ""
        detail = _(
            "{go} ({version}) is {format} binary for {platform}. It fails with 'exec format "
            "error' or runs emulated, and builds for the wrong platform."
        ).format(
            go=go["path"],
            version=go.get("go_version") or _("unknown version"),
            format=_(FORMAT_NAMES[kind]) if kind in FORMAT_NAMES else _("a"),
            platform=platform_text(go),
        )
    return [
        Finding(
            "go.arch",
            ERROR,
            _("The first go on PATH is for {platform}; this machine runs {native}").format(
                platform=platform_text(go), native=f"{goos}/{goarch}"
            ),
            detail,
            f"{_removal(go, facts)}   # " + _("then install the native build: gorig install"),
        )
    ]


FORMAT_NAMES = {
    "elf": N_("an ELF"),
    "macho": N_("a Mach-O"),
    "macho-universal": N_("a universal Mach-O"),
    "pe": N_("a PE (Windows)"),
}


def _newest(gos: list[GoOnPath]) -> GoOnPath:
    """The go with the highest version; the first of equals (``max`` keeps it)."""

    def rank(go: GoOnPath) -> tuple[int, ...]:
        version = go_version(go.get("go_version"))
        return version.sort_key() if version else (-1,)

    return max(gos, key=rank)


def _distinct(gos: list[GoOnPath]) -> list[GoOnPath]:
    seen: set[str] = set()
    kept = []
    for go in gos:
        key = go["realpath"] or go["path"]
        if key not in seen:
            seen.add(key)
            kept.append(go)
    return kept


def _better_than(candidate: GoOnPath, winner: GoOnPath, facts: Facts) -> bool:
    """``candidate`` should win: it is native where the winner is not, or newer."""
    if not runs_natively(candidate, facts):
        return False
    if not runs_natively(winner, facts):
        return True
    mine, theirs = go_version(candidate.get("go_version")), go_version(winner.get("go_version"))
    return mine is not None and theirs is not None and mine > theirs


@check("path.go-shadowed", WARNING, "one go on PATH", ("gos",))
def go_shadowed(facts: Facts) -> list[Finding]:
    gos = _distinct(facts.get("gos") or [])
    if len(gos) < 2:
        return []
    winner, others = gos[0], gos[1:]
    wins, hidden = (
        _("wins: {path} -> {version} {platform}"),
        _("hidden: {path} -> {version} {platform}"),
    )
    lines = [
        (wins if go is winner else hidden).format(
            path=go["path"], version=go.get("go_version") or "?", platform=platform_text(go)
        )
        for go in gos
    ]
    better = [go for go in others if _better_than(go, winner, facts)]
    if better:
        best = _newest(better)
        return [
            Finding(
                "path.go-shadowed",
                WARNING,
                _("{winner} ({winner_version}) hides {best} ({best_version}) on PATH").format(
                    winner=winner["path"],
                    winner_version=winner.get("go_version"),
                    best=best["path"],
                    best_version=best.get("go_version"),
                ),
                "\n".join(lines),
                f'export PATH="{posixpath.dirname(best["path"])}:$PATH"   # '
                + _("in your shell profile"),
            )
        ]
    return [
        Finding(
            "path.go-shadowed",
            INFO,
            ngettext(
                "{count} go executable on PATH; {winner} wins",
                "{count} go executables on PATH; {winner} wins",
                len(gos),
            ).format(count=len(gos), winner=winner["path"]),
            "\n".join(lines),
            _("remove {directories} from PATH").format(
                directories=", ".join(posixpath.dirname(go["path"]) for go in others)
            ),
        )
    ]


def _path_index(facts: Facts, directory: str) -> int | None:
    for index, entry in enumerate(facts["path"]):
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
def brew_intel(facts: Facts) -> list[Finding]:
    homebrew = facts.get("homebrew")
    if not _on_apple_silicon(facts) or not homebrew:
        return []
    installed = {p["prefix"] for p in homebrew["prefixes"] if p["exists"]}
    if INTEL_BREW not in installed:
        return []
    intel = _path_index(facts, f"{INTEL_BREW}/bin")
    arm = _path_index(facts, f"{ARM_BREW}/bin")
    has_arm = ARM_BREW in installed
    ahead = intel is not None and (arm is None or intel < arm)
    title = (
        _("Intel Homebrew (/usr/local) comes before ARM Homebrew on PATH")
        if ahead and has_arm
        else _("Intel Homebrew (/usr/local) is installed on Apple Silicon")
    )
    return [
        Finding(
            "brew.intel-prefix",
            WARNING,
            title,
            _(
                "Formulae from /usr/local are x86_64: tools and C libraries found there run "
                "under Rosetta or fail to link ('found architecture x86_64, required "
                "architecture arm64')."
            ),
            f'eval "$({ARM_BREW}/bin/brew shellenv)"   # '
            + _("last in ~/.zprofile; then remove Intel Homebrew from /usr/local"),
        )
    ]


@check(
    "linux.userland",
    ERROR,
    "userland and go match the kernel's word size",
    ("gos",),
    platforms=("linux",),
)
def linux_userland(facts: Facts) -> list[Finding]:
    host = host_of(facts)
    if host.os != "linux" or host.userland_bits != 32:
        return []
    gos = facts.get("gos") or []
    wide = gos[0] if gos and gos[0].get("bits", 0) > 32 else None
    if host.hardware_arch not in USERLAND_32_OF and wide is None:
        return []
    goos, goarch = native(facts)
    detail = _(
        "The kernel is {kernel_arch} (64-bit) but /bin/sh is 32-bit: 64-bit programs fail with "
        "'cannot execute binary file: Exec format error'."
    ).format(kernel_arch=host.kernel_arch)
    if wide is not None:
        wide_binary = _(" {path} is a 64-bit {platform} binary.")
        detail += wide_binary.format(path=wide["path"], platform=platform_text(wide))
    return [
        Finding(
            "linux.userland",
            ERROR,
            _("64-bit kernel with a 32-bit userland"),
            detail,
            "gorig install   # "
            + _("picks the {platform} build this userland runs").format(
                platform=f"{goos}-{goarch}"
            ),
        )
    ]


@check("linux.binfmt", INFO, "no emulation handlers registered", ("binfmt",), platforms=("linux",))
def linux_binfmt(facts: Facts) -> list[Finding]:
    binfmt = facts.get("binfmt")
    handlers = [
        h
        for h in (binfmt["handlers"] if binfmt else [])
        if h["enabled"] and "qemu" in (h["interpreter"] or h["name"])
    ]
    if not handlers:
        return []
    names = ", ".join(sorted(h["name"] for h in handlers))
    return [
        Finding(
            "linux.binfmt",
            INFO,
            _("qemu binfmt handlers are registered ({count})").format(count=len(handlers)),
            _(
                "Binaries for other architectures run here, emulated and slowly: {names}. A "
                "foreign go or tool can look like it works."
            ).format(names=names),
            "ls /proc/sys/fs/binfmt_misc   # " + _("build for this machine to run natively"),
        )
    ]


def _platform_arch(platform: str) -> str:
    parts = platform.strip().split("/")
    return parts[1] if len(parts) > 1 else ""


@check("docker.platform", WARNING, "Docker builds for this machine", ("docker",))
def docker_platform(facts: Facts) -> list[Finding]:
    docker = facts.get("docker")
    if not docker:
        return []
    hardware = host_of(facts).hardware_arch
    found = []
    default = docker["default_platform"] or ""
    if default and _platform_arch(default) not in ("", hardware):
        found.append(
            Finding(
                "docker.platform",
                WARNING,
                _(
                    "DOCKER_DEFAULT_PLATFORM={default}: containers run emulated on this "
                    "{hardware} machine"
                ).format(default=default, hardware=hardware),
                _("Go under qemu is slow and crashes ('qemu: uncaught target signal 11')."),
                "unset DOCKER_DEFAULT_PLATFORM   # " + _("build multi-arch images instead"),
            )
        )
    for line in docker["dockerfile_platforms"]:
        arch = _platform_arch(line["platform"])
        if arch and "$" not in arch and arch != hardware:
            found.append(
                Finding(
                    "docker.platform",
                    WARNING,
                    _("{where} pins FROM --platform={platform}").format(
                        where=f"{line['file']}:{line['line']}", platform=line["platform"]
                    ),
                    _("The Go build stage runs emulated on this machine."),
                    "FROM --platform=$BUILDPLATFORM golang AS build   # and cross-compile with "
                    "GOOS=$TARGETOS GOARCH=$TARGETARCH",
                )
            )
    return found + _hardcoded_settings(docker)


def _hardcoded_settings(docker: DockerFacts) -> list[Finding]:
    """A multi-platform Dockerfile that fixes GOARCH (or a GOOS other than linux) in RUN or
    ENV builds that one binary into every platform's image."""
    if not docker.get("multi_platform"):
        return []
    return [
        Finding(
            "docker.platform",
            WARNING,
            _("{where} hard-codes {setting} in {instruction} of a multi-platform build").format(
                where=f"{item['file']}:{item['line']}",
                setting=f"{item['name']}={item['value']}",
                instruction=item["instruction"],
            ),
            _(
                "Every platform's image gets a {value} binary; the other images hold a program "
                "their platform cannot run ('exec format error')."
            ).format(value=item["value"]),
            f"{item['name']}=$TARGET{item['name'].removeprefix('GO')}   # "
            + _("with ARG TARGETOS TARGETARCH in the build stage"),
        )
        for item in docker.get("dockerfile_settings", [])
    ]


AMD64_LEVEL_ROSETTA = 2  # Rosetta 2 translates up to SSE4.2 (x86-64-v2), not AVX2
AMD64_LEVELS = {"v1": 1, "v2": 2, "v3": 3, "v4": 4}  # what Go accepts for GOAMD64


def _runnable_amd64_level(facts: Facts) -> int | None:
    if _on_apple_silicon(facts):
        return AMD64_LEVEL_ROSETTA
    if host_of(facts).hardware_arch != "amd64":
        return None
    cpu = facts.get("cpu")
    return cpu["amd64_level"] if cpu else None


def _level_setting(facts: Facts, limit: int) -> list[Finding]:
    """``GOAMD64`` set above the machine's level, when Go reads it (GOARCH=amd64, this OS)."""
    setting = lookup(facts, "GOAMD64")
    if not setting.set_by_user or AMD64_LEVELS.get(setting.value, 1) <= limit:
        return []
    if lookup(facts, "GOARCH").value != "amd64" or lookup(facts, "GOOS").value != host_of(facts).os:
        return []  # Go ignores it (env.goarm-ignored says so), or the programs run elsewhere
    return [
        Finding(
            "goamd64.level",
            WARNING,
            _("GOAMD64={value} (from the {source}), this machine runs v{limit}").format(
                value=setting.value, source=shown_source(setting.source), limit=limit
            ),
            _(
                "Programs built here stop with 'This program can only be run on AMD64 "
                "processors with {value} microarchitecture support.'"
            ).format(value=setting.value),
            f"GOAMD64=v{limit}   # or: go env -u GOAMD64",
        )
    ]


def _tool_level(tool: Tool, facts: Facts, limit: int) -> Finding | None:
    """A native amd64 tool built for a higher x86-64 level than this CPU runs (a tool that
    does not run natively, under Rosetta say, is reported by ``tools.arch``)."""
    wanted = AMD64_LEVELS.get(tool.get("settings", {}).get("GOAMD64", "v1"), 1)
    if wanted <= limit or native(facts)[1] != "amd64" or not runs_natively(tool, facts):
        return None
    return Finding(
        "goamd64.level",
        WARNING,
        _("{path} needs amd64 v{wanted}; this machine runs v{limit}").format(
            path=tool["path"], wanted=wanted, limit=limit
        ),
        _("It will refuse to start."),
        f"GOAMD64=v{limit} go install {install_target(tool)}@latest",
    )


@check("goamd64.level", WARNING, "GOAMD64 runs on this CPU", ("cpu", "tools", "settings"))
def goamd64_level(facts: Facts) -> list[Finding]:
    limit = _runnable_amd64_level(facts)
    if limit is None:
        return []
    tools = [found for tool in tool_items(facts) if (found := _tool_level(tool, facts, limit))]
    return _level_setting(facts, limit) + tools


EDITOR_DOWNLOADS = {
    "Visual Studio Code": "https://code.visualstudio.com/download   # the Apple Silicon build",
    "GoLand": "https://www.jetbrains.com/go/download/   # macOS, Apple Silicon",
}


@check(
    "editor.arch",
    WARNING,
    "VS Code and GoLand are Apple Silicon builds",
    ("editors",),
    platforms=("darwin",),
)
def editor_arch(facts: Facts) -> list[Finding]:
    """An Intel-only editor runs under Rosetta: slow, and its terminals and the tools it
    starts (gopls, dlv, go) run as x86_64 too."""
    if not _on_apple_silicon(facts):
        return []
    return [
        Finding(
            "editor.arch",
            WARNING,
            _("{editor} is an Intel (x86_64) build: {app}").format(
                editor=editor["name"], app=editor["app"]
            ),
            _(
                "It runs under Rosetta on this arm64 Mac: slower, and the terminals, gopls and "
                "Delve it starts run as x86_64 (Delve cannot debug arm64 programs then). Its "
                "executable {executable} has only {archs} slices."
            ).format(
                executable=editor["executable"]["path"],
                archs=", ".join(editor["executable"].get("archs") or ["no"]),
            ),
            EDITOR_DOWNLOADS[editor["name"]],
        )
        for editor in facts.get("editors") or []
        if "arm64" not in (editor["executable"].get("archs") or [])
        and not editor["executable"].get("error")
    ]
