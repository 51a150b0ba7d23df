"""The probes ``collect`` runs: each reads one corner of the machine into facts.

A probe takes the facts gathered so far (host, environment, PATH, settings files) and
returns new top-level sections. Probes only read: files, headers, the kernel (the parent
process on macOS, through libc; ``ps`` only when libc cannot), and a few short commands
(``go env`` once, ``cc -dumpmachine``, on macOS ``xcode-select -p``), each with its own
timeout. No network.
"""

from __future__ import annotations

import os
import re
import sys

from gorig.doctor.binaries import describe, executables_in
from gorig.doctor.command import CommandFailed, Running, run
from gorig.doctor.early import Started, gos_on_path, start, start_go_env
from gorig.doctor.settings import gopath_bin_dirs, lookup
from gorig.fs import open_regular
from gorig.host.facts import KERNEL_ARCH_TO_GOARCH
from gorig.host.goenv import goenv_path, parse_env_file
from gorig.host.path import which_all
from gorig.record import Record
from gorig.versions.pins import find_up, go_version_word, module_directives

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from gorig.doctor.facts import (
        BinfmtHandler,
        DockerfilePin,
        DockerfileSetting,
        EditorApp,
        EnvFile,
        Facts,
        ModuleFile,
        ParentProcess,
        Sections,
    )


class Site(Record):
    """Where the doctor runs: the whole environment (``go env`` needs it, the facts keep a
    redacted part) and the working directory, handed down from the command's context."""

    __slots__ = ("cwd", "environ")
    environ: Mapping[str, str]
    cwd: str

    def __init__(self, environ: Mapping[str, str], cwd: str) -> None:
        super().__init__(environ=environ, cwd=cwd)


BREW_PREFIXES = ("/opt/homebrew", "/usr/local", "/home/linuxbrew/.linuxbrew")
BINFMT_DIR = "/proc/sys/fs/binfmt_misc"

# x86-64 microarchitecture levels by the /proc/cpuinfo flags each needs (beyond the last).
AMD64_LEVEL_FLAGS = (
    (2, {"cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3"}),
    (3, {"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}),
    (4, {"avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"}),
)


def _read_text(path: str, limit: int = 1 << 16) -> str | None:
    """At most ``limit`` bytes of the regular file at ``path`` as text; None when there is
    none or it cannot be read. A FIFO or a device is not read: its open could block."""
    try:
        file = open_regular(path)
        if file is None:
            return None
        with file:
            return file.read(limit).decode("utf-8", "replace")
    except OSError:
        return None


def _env_file(path: str) -> EnvFile:
    text = _read_text(path)
    return {
        "path": path,
        "exists": text is not None,
        "values": parse_env_file(text) if text is not None else {},
    }


def _first_line(path: str) -> str | None:
    text = _read_text(path, 256)
    return text.splitlines()[0].strip() if text else None


def _version_word(path: str) -> str | None:
    """What a ``.go-version`` file asks for, read as the resolver reads it."""
    text = _read_text(path, 4096)
    return go_version_word(text) if text else None


def goroot_of(go_path: str) -> str:
    """The GOROOT a go binary belongs to: the parent of its real ``bin`` directory."""
    return os.path.dirname(os.path.dirname(os.path.realpath(go_path)))


def probe_settings(facts: Facts, site: Site) -> Sections:
    """The ``go env -w`` file, ``$GOROOT/go.env``, and which GOROOT is set and in use."""
    goenv = goenv_path(facts["host"]["os"], facts["env"])
    candidates = gos_on_path(facts["path"])
    in_use = goroot_of(candidates[0]) if candidates else None
    set_root = facts["env"].get("GOROOT") or None
    root = set_root or in_use
    return {
        "goenv_file": _env_file(goenv) if goenv != "off" else {"path": "off", "values": {}},
        "goroot_env_file": _env_file(os.path.join(root, "go.env")) if root else None,
        "goroot": {
            "set": set_root,
            "set_realpath": os.path.realpath(set_root) if set_root else None,
            "set_version": _first_line(os.path.join(set_root, "VERSION")) if set_root else None,
            "in_use": in_use,
            "in_use_version": _first_line(os.path.join(in_use, "VERSION")) if in_use else None,
        },
    }


def probe_gos(facts: Facts, site: Site) -> Sections:
    """Header facts of every ``go`` on PATH, with its real path and GOROOT."""
    return {
        "gos": [
            {**describe(path), "realpath": os.path.realpath(path), "goroot": goroot_of(path)}
            for path in gos_on_path(facts["path"])
        ]
    }


def probe_go_env(facts: Facts, site: Site) -> Sections:
    """``go env`` of the winning go, once, when it runs natively here (the doctor's
    CLI starts it early instead: :mod:`gorig.doctor.early`)."""
    host = facts["host"]
    return start_go_env(facts["path"], host["os"], host["hardware_arch"], site.environ).finish()


def _parent(facts: Facts, site: Site) -> ParentProcess:
    pid = os.getppid()
    if facts["host"]["os"] == "linux":
        executable = os.path.realpath(f"/proc/{pid}/exe")
        return {
            "pid": pid,
            "executable": executable,
            "translated": None,
            "archs": describe(executable).get("archs"),
        }
    if facts["host"]["os"] != "darwin":
        return {"pid": pid}
    from gorig.host.darwin import process_info

    translated, found = process_info(pid) or _ps_parent(pid, site)
    executable = found or ""
    return {
        "pid": pid,
        "executable": executable,
        "translated": translated,
        "archs": describe(executable).get("archs") if executable.startswith("/") else None,
    }


def _ps_parent(pid: int, site: Site) -> tuple[bool | None, str]:
    """(translated, executable) of ``pid`` from ``ps``: when libc cannot tell."""
    from gorig.host.darwin import P_TRANSLATED

    output = run(["ps", "-o", "flags=,comm=", "-p", str(pid)], site.environ)
    flags, _, command = output.strip().partition(" ")
    return bool(int(flags, 16) & P_TRANSLATED), command.strip()


def probe_process(facts: Facts, site: Site) -> Sections:
    """Python's own build and running architecture, and the parent process's."""
    return {
        "process": {
            "python": {
                "executable": sys.executable,
                "running_arch": KERNEL_ARCH_TO_GOARCH.get(os.uname().machine, os.uname().machine),
                "archs": describe(os.path.realpath(sys.executable)).get("archs"),
                "version": "{}.{}.{}".format(*sys.version_info[:3]),
            },
            "parent": _parent(facts, site),
        }
    }


def probe_homebrew(facts: Facts, site: Site) -> Sections:
    return {
        "homebrew": {
            "prefixes": [
                {"prefix": prefix, "exists": os.path.isfile(os.path.join(prefix, "bin", "brew"))}
                for prefix in BREW_PREFIXES
            ]
        }
    }


def start_cc(facts: Facts, site: Site) -> Started:
    """The C compiler cgo would use (``CC`` or Go's default) and its target triple: from its
    real file's name when that names it (:func:`gcc_named_target`), else from
    ``-dumpmachine`` started now."""

    def begin() -> Callable[[], Sections]:
        words = lookup(facts, "CC").value.split()
        name = words[0] if words else "cc"
        found = [name] if "/" in name else which_all(name, facts["path"])
        path = found[0] if found else None
        named = gcc_named_target(os.path.realpath(path)) if path else None
        running = Running([path, "-dumpmachine"], site.environ) if path and not named else None

        def finish() -> Sections:
            target = running.output().strip() if running else named
            return {"cc": {"name": name, "path": path, "target": target}}

        return finish

    return start(begin)


def gcc_named_target(path: str) -> str | None:
    """The target triple of a GCC whose file is named after it, as GNU installs them
    (``x86_64-linux-gnu-gcc-12``, ``aarch64-linux-gnu-gcc``): the triple its
    ``-dumpmachine`` prints, known without a process. None for any other name (``gcc``,
    ``clang``, ``c99-gcc``, ``x86_64-linux-gnu-gcc-ar``)."""
    triple, found, version = os.path.basename(path).rpartition("-gcc")
    numbered = version[:1] == "-" and version[1:].replace(".", "").isdigit()
    if not found or (version and not numbered):
        return None
    fields = triple.split("-")
    plain = all(
        field.isascii() and field.replace("_", "").replace(".", "").isalnum() for field in fields
    )
    return triple if len(fields) >= 2 and plain else None


def start_xcode(facts: Facts, site: Site) -> Started:
    """Where the Command Line Tools are (``xcode-select -p`` started now), on macOS."""

    def begin() -> Callable[[], Sections]:
        if facts["host"]["os"] != "darwin":
            return lambda: {"xcode": None}
        running = Running(["xcode-select", "-p"], site.environ)

        def finish() -> Sections:
            try:
                return {"xcode": {"path": running.output().strip()}}
            except CommandFailed as error:
                return {"xcode": {"path": None, "error": str(error)}}

        return finish

    return start(begin)


def _finished(starter: Callable[[Facts, Site], Started]) -> Callable[[Facts, Site], Sections]:
    """A probe that runs a command, as one call: started and finished at once."""
    return lambda facts, site: starter(facts, site).finish()


def probe_tools(facts: Facts, site: Site) -> Sections:
    """Every executable in GOBIN (or GOPATH/bin) with its header and build info."""
    directories = {directory: executables_in(directory) for directory in gopath_bin_dirs(facts)}
    return {
        "tools": {
            "dirs": [
                {"path": directory, "exists": os.path.isdir(directory), "count": len(found)}
                for directory, found in directories.items()
            ],
            "items": [
                {"name": os.path.basename(path), **describe(path)}
                for found in directories.values()
                for path in found
            ],
        }
    }


def probe_docker(facts: Facts, site: Site) -> Sections:
    """Docker's default platform and ``FROM --platform`` pins here (no daemon call: slow)."""
    pins: list[DockerfilePin] = []
    path = os.path.join(site.cwd, "Dockerfile")
    text = _read_text(path) or ""
    pattern = r"(?im)^\s*FROM\s+--platform=(\S+)"
    matches = re.finditer(pattern, text) if text else ()  # no Dockerfile: nothing compiled
    for match in matches:
        line = text.count("\n", 0, match.start()) + 1
        pins.append({"file": path, "line": line, "platform": match.group(1)})
    return {
        "docker": {
            "default_platform": facts["env"].get("DOCKER_DEFAULT_PLATFORM"),
            "dockerfile_platforms": pins,
            "multi_platform": bool(text and re.search(_MULTI_PLATFORM, text)),
            "dockerfile_settings": dockerfile_settings(path, text) if text else [],
        }
    }


# The patterns are compiled (and cached by re) when there is a Dockerfile to read.
# A Dockerfile written for several platforms reads BuildKit's platform arguments.
_MULTI_PLATFORM = r"\$\{?(BUILDPLATFORM|TARGETPLATFORM|TARGETOS|TARGETARCH)\b"
# A RUN or ENV instruction with its continuation lines.
_RUN_OR_ENV = r"(?im)^[ \t]*(RUN|ENV)\b((?:[^\n]*\\\n)*[^\n]*)"
# GOOS/GOARCH given a literal value (not $TARGETARCH): NAME=value, optionally quoted.
_LITERAL_SETTING = r"(?<![\w$])(GOOS|GOARCH)=[\"']?([a-z0-9]+)"


def dockerfile_settings(path: str, text: str) -> list[DockerfileSetting]:
    """``GOOS``/``GOARCH`` set to a literal value in ``RUN`` and ``ENV`` lines (pure).
    ``GOOS=linux`` is left out: every Linux image platform wants it."""
    found: list[DockerfileSetting] = []
    for instruction in re.finditer(_RUN_OR_ENV, text):
        for setting in re.finditer(_LITERAL_SETTING, instruction.group(2)):
            name, value = setting.group(1), setting.group(2)
            if name == "GOOS" and value == "linux":
                continue
            line = text.count("\n", 0, instruction.start(2) + setting.start()) + 1
            kind = instruction.group(1).upper()
            found.append(
                {"file": path, "line": line, "instruction": kind, "name": name, "value": value}
            )
    return found


def probe_binfmt(facts: Facts, site: Site) -> Sections:
    """qemu and other handlers registered in binfmt_misc (its ``status`` file exists only
    while the file system is mounted; the bare directory is always there)."""
    mounted = os.path.isfile(os.path.join(BINFMT_DIR, "status"))
    if facts["host"]["os"] != "linux" or not mounted:
        return {"binfmt": {"mounted": False, "handlers": []}}
    handlers: list[BinfmtHandler] = []
    for name in sorted(os.listdir(BINFMT_DIR)):
        if name in ("register", "status"):
            continue
        lines = (_read_text(os.path.join(BINFMT_DIR, name)) or "").splitlines()
        fields = dict(line.split(" ", 1) for line in lines[1:] if " " in line)
        handlers.append(
            {
                "name": name,
                "enabled": lines[:1] == ["enabled"],
                "interpreter": fields.get("interpreter"),
            }
        )
    return {"binfmt": {"mounted": True, "handlers": handlers}}


# A required module path with a dotted first element: `require x.y/z v1` or a block line.
REQUIRE = r"^\s*(?:require\s+)?([\w.-]+\.[\w.-]+(?::\d+)?/\S*)\s+v\S+"


def _module_file(path: str) -> ModuleFile | None:
    """The raw ``module``, ``go``, ``toolchain`` and required paths of go.mod/go.work."""
    text = _read_text(path, 1 << 20)
    if text is None:
        return None
    go, toolchain = module_directives(text)
    module = re.search(r"^\s*module\s+(\S+)", text, re.MULTILINE)
    return {
        "path": path,
        "module": module.group(1) if module else None,
        "go": go,
        "toolchain": toolchain,
        "requires": sorted(set(re.findall(REQUIRE, text, re.MULTILINE))),
    }


def probe_project(facts: Facts, site: Site) -> Sections:
    """The current project's go.mod, go.work (honouring GOWORK) and .go-version."""
    cwd = site.cwd
    go_mod = find_up(cwd, "go.mod")
    gowork = facts["env"].get("GOWORK", "")
    go_work = None if gowork == "off" else (gowork or find_up(cwd, "go.work"))
    version_file = find_up(cwd, ".go-version")
    anchor = go_work or go_mod
    return {
        "project": {
            "dir": os.path.dirname(anchor) if anchor else None,
            "go_mod": _module_file(go_mod) if go_mod else None,
            "go_work": _module_file(go_work) if go_work else None,
            "go_version_file": {"path": version_file, "version": _version_word(version_file)}
            if version_file
            else None,
        }
    }


def probe_cpu(facts: Facts, site: Site) -> Sections:
    """The x86-64 level this CPU runs (Linux reads /proc/cpuinfo; else unknown)."""
    if facts["host"]["hardware_arch"] != "amd64" or facts["host"]["os"] != "linux":
        return {"cpu": {"amd64_level": None}}
    text = _read_text("/proc/cpuinfo", 1 << 20) or ""
    flags = next(
        (
            set(line.split(":", 1)[1].split())
            for line in text.splitlines()
            if line.startswith("flags")
        ),
        set(),
    )
    level = 1
    for candidate, needed in AMD64_LEVEL_FLAGS:
        if not needed <= flags:
            break
        level = candidate
    return {"cpu": {"amd64_level": level}}


# The editors whose application bundles the doctor reads on macOS, by bundle name.
EDITOR_APPS = {"Visual Studio Code.app": "Visual Studio Code", "GoLand.app": "GoLand"}


def probe_editors(facts: Facts, site: Site) -> Sections:
    """VS Code and GoLand in /Applications and ~/Applications (and GoLand in Toolbox's
    apps): each bundle's main executable (``CFBundleExecutable`` of its Info.plist), read."""
    if facts["host"]["os"] != "darwin":
        return {"editors": None}
    home = facts["env"].get("HOME", "")
    folders = ["/Applications", os.path.join(home, "Applications")]
    toolbox = os.path.join(home, "Library/Application Support/JetBrains/Toolbox/apps/Goland")
    bundles = [os.path.join(folder, name) for folder in folders for name in EDITOR_APPS]
    import glob  # macOS only

    bundles += sorted(glob.glob(os.path.join(toolbox, "ch-*", "*", "GoLand.app")))
    found: list[EditorApp] = []
    for bundle in bundles:
        executable = _bundle_executable(bundle)
        if executable is not None:
            name = EDITOR_APPS[os.path.basename(bundle)]
            found.append({"name": name, "app": bundle, "executable": describe(executable)})
    return {"editors": found}


def _bundle_executable(bundle: str) -> str | None:
    """The main executable of a macOS application bundle, from its Info.plist."""
    import plistlib

    try:
        file = open_regular(os.path.join(bundle, "Contents", "Info.plist"))
        if file is None:
            return None
        with file:
            info = plistlib.loads(file.read(1 << 20))
    except (OSError, ValueError, plistlib.InvalidFileException):
        return None
    name = info.get("CFBundleExecutable") if isinstance(info, dict) else None
    if not isinstance(name, str) or "/" in name or not name:
        return None
    return os.path.join(bundle, "Contents", "MacOS", name)


# name -> probe. "settings" runs first: the others read the settings it finds.
PROBES: dict[str, Callable[[Facts, Site], Sections]] = {
    "settings": probe_settings,
    "go_env": probe_go_env,
    "gos": probe_gos,
    "process": probe_process,
    "homebrew": probe_homebrew,
    "cc": _finished(start_cc),
    "xcode": _finished(start_xcode),
    "tools": probe_tools,
    "project": probe_project,
    "docker": probe_docker,
    "binfmt": probe_binfmt,
    "cpu": probe_cpu,
    "editors": probe_editors,
}
# The probes that run a command, split: started before the file-reading probes, finished
# after them (collect), so the commands run meanwhile.
STARTERS: dict[str, Callable[[Facts, Site], Started]] = {
    "go_env": lambda facts, site: start_go_env(
        facts["path"], facts["host"]["os"], facts["host"]["hardware_arch"], site.environ
    ),
    "cc": start_cc,
    "xcode": start_xcode,
}
