"""How this host runs a binary built for another architecture: Rosetta, binfmt, qemu-user.

:func:`find_emulators` looks at the machine (the binfmt_misc directory, PATH, the Rosetta
runtime); :func:`run_plan` is pure and turns host facts plus what was found into the command
prefix that runs a foreign binary, or a :class:`GorigError` saying how to get an emulator.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from gorig.errors import GorigError
from gorig.host import HostFacts, native_platform
from gorig.i18n import _

# Where the kernel lists binfmt_misc handlers; GORIG_BINFMT_MISC overrides it (tests, chroots).
BINFMT_MISC = "/proc/sys/fs/binfmt_misc"
BINFMT_ENV = "GORIG_BINFMT_MISC"
# The file whose presence means Rosetta 2 is installed on an Apple Silicon Mac.
ROSETTA_RUNTIME = "/Library/Apple/usr/share/rosetta/rosetta"
INSTALL_ROSETTA = "softwareupdate --install-rosetta --agree-to-license"

# GOARCH -> the architecture in qemu-user's program names (qemu-aarch64, qemu-x86_64...).
QEMU_ARCH: dict[str, str] = {
    "amd64": "x86_64",
    "386": "i386",
    "arm64": "aarch64",
    "arm": "arm",
    "ppc64le": "ppc64le",
    "ppc64": "ppc64",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "loong64": "loongarch64",
    "mips": "mips",
    "mipsle": "mipsel",
    "mips64": "mips64",
    "mips64le": "mips64el",
}

# The foreign architecture compared by default: the other half of the usual pair.
DEFAULT_AGAINST: dict[str, str] = {"arm64": "amd64", "amd64": "arm64"}

# Architectures a 64-bit CPU runs without translation next to its own.
RUNS_NATIVELY: dict[str, frozenset[str]] = {"amd64": frozenset({"386"})}


@dataclass(frozen=True)
class Emulators:
    """What can run foreign code here: enabled binfmt handlers, qemu on PATH, Rosetta."""

    binfmt: frozenset[str] = frozenset()  # enabled handler names, e.g. "qemu-aarch64"
    on_path: dict[str, str] = field(default_factory=dict)  # program name -> its path
    rosetta: bool = False


@dataclass(frozen=True)
class RunPlan:
    """How binaries of one architecture are started: ``prefix + [binary, *args]``."""

    goarch: str
    prefix: tuple[str, ...]
    via: str  # "native", "rosetta", "binfmt qemu-aarch64", "qemu-aarch64"...

    def command(self, binary: Path, *args: str) -> list[str]:
        return [*self.prefix, str(binary), *args]


def default_against(facts: HostFacts) -> str:
    """The foreign GOARCH to compare with: amd64 on arm64 hosts, arm64 on amd64 hosts."""
    native = native_platform(facts)[1]
    if native not in DEFAULT_AGAINST:
        raise GorigError(
            _("no default foreign architecture for a {native} host; pass --against").format(
                native=native
            )
        )
    return DEFAULT_AGAINST[native]


def qemu_program(goarch: str) -> str:
    """The qemu-user program name for ``goarch`` (``qemu-aarch64`` for arm64)."""
    return f"qemu-{QEMU_ARCH.get(goarch, goarch)}"


def run_plan(facts: HostFacts, goarch: str, emulators: Emulators) -> RunPlan:
    """How this host runs ``goarch`` binaries built for its own OS (pure)."""
    goos, native = native_platform(facts)
    if goarch == native or goarch in RUNS_NATIVELY.get(native, frozenset()):
        # A shell translated by Rosetta would start an arm64 binary translated too.
        prefix = ("arch", "-arm64") if goos == "darwin" and facts.translated else ()
        return RunPlan(goarch, prefix, "native")
    if goos == "darwin":
        return _darwin_plan(native, goarch, emulators)
    if goos == "linux":
        return _linux_plan(facts, goarch, emulators)
    raise GorigError(
        _("gorig bench runs on macOS and Linux; this is {platform}").format(
            platform=f"{goos}/{native}"
        )
    )


def _darwin_plan(native: str, goarch: str, emulators: Emulators) -> RunPlan:
    if native != "arm64" or goarch != "amd64":
        raise GorigError(
            _(
                "macOS on {native} cannot run {goarch} binaries; only Apple Silicon runs amd64 "
                "code, through Rosetta (--against amd64)"
            ).format(native=native, goarch=goarch)
        )
    if not emulators.rosetta:
        raise GorigError(
            _("Rosetta 2 is not installed, so amd64 code cannot run: {command}").format(
                command=INSTALL_ROSETTA
            )
        )
    return RunPlan(goarch, ("arch", "-x86_64"), "rosetta")


def _linux_plan(facts: HostFacts, goarch: str, emulators: Emulators) -> RunPlan:
    program = qemu_program(goarch)
    if program in emulators.binfmt:
        return RunPlan(goarch, (), f"binfmt {program}")
    for name in (program, f"{program}-static"):
        if name in emulators.on_path:
            return RunPlan(goarch, (emulators.on_path[name],), name)
    native = native_platform(facts)[1]
    raise GorigError(
        _(
            "nothing here runs linux/{goarch} binaries on this linux/{native} machine: install "
            "qemu-user ('sudo apt-get install qemu-user', which provides {program}) or register "
            "binfmt handlers ('sudo apt-get install qemu-user-binfmt')"
        ).format(goarch=goarch, native=native, program=program)
    )


def find_emulators(facts: HostFacts) -> Emulators:
    """Look for binfmt handlers, qemu-user programs on the facts' PATH and Rosetta."""
    if facts.os == "darwin":
        return Emulators(rosetta=Path(ROSETTA_RUNTIME).exists())
    search = os.pathsep.join(facts.path)
    names = [f"qemu-{arch}{suffix}" for arch in QEMU_ARCH.values() for suffix in ("", "-static")]
    found = {name: path for name in names if (path := shutil.which(name, path=search))}
    binfmt_dir = Path(facts.env.get(BINFMT_ENV, BINFMT_MISC))
    return Emulators(binfmt=_enabled_binfmt(binfmt_dir), on_path=found)


def _enabled_binfmt(directory: Path) -> frozenset[str]:
    """Names of the enabled ``qemu-*`` handlers, if binfmt_misc itself is enabled."""
    if _first_line(directory / "status") == "disabled":
        return frozenset()
    try:
        entries = [entry for entry in directory.iterdir() if entry.name.startswith("qemu-")]
    except OSError:
        return frozenset()
    return frozenset(entry.name for entry in entries if _first_line(entry) == "enabled")


def _first_line(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.readline().strip()
    except OSError:
        return ""
