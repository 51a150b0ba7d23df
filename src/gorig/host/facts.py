"""The :class:`HostFacts` record, the live probe, and the hardware-platform decision."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# `uname -m` spellings -> Go GOARCH.
KERNEL_ARCH_TO_GOARCH: dict[str, str] = {
    "x86_64": "amd64",
    "amd64": "amd64",
    "i386": "386",
    "i486": "386",
    "i586": "386",
    "i686": "386",
    "aarch64": "arm64",
    "arm64": "arm64",
    "armv5l": "arm",
    "armv6l": "arm",
    "armv7l": "arm",
    "armv8l": "arm",
    "ppc64le": "ppc64le",
    "ppc64": "ppc64",
    "s390x": "s390x",
    "riscv64": "riscv64",
    "loongarch64": "loong64",
    "mips": "mips",
    "mipsel": "mipsle",
    "mips64": "mips64",
    "mips64el": "mips64le",
}

# The architecture a 32-bit userland on a 64-bit kernel runs.
USERLAND_32_OF: dict[str, str] = {"amd64": "386", "arm64": "arm"}


class HostFacts:
    """What gorig knows about a machine. Plain data, JSON round-trippable.

    A plain class rather than a dataclass: no local command imports ``dataclasses``
    (tests/core/test_core_budget.py).
    """

    __slots__ = FIELDS = (
        "os",  # Go GOOS of the running system: linux, darwin, windows...
        "kernel_arch",  # `uname -m` as printed, which lies under Rosetta
        "userland_bits",  # 32 or 64: the ELF class of /bin/sh on Linux, else the kernel's
        "sysctl",  # darwin only; an unknown oid is simply absent
        "env",
        "cpu_count",
        "memory_bytes",
        "python_bits",
    )

    def __init__(
        self,
        os: str,
        kernel_arch: str,
        userland_bits: int,
        sysctl: dict[str, str] | None = None,
        env: dict[str, str] | None = None,
        cpu_count: int = 1,
        memory_bytes: int = 0,
        python_bits: int = 64,
    ) -> None:
        self.os = os
        self.kernel_arch = kernel_arch
        self.userland_bits = userland_bits
        self.sysctl = dict(sysctl or {})
        self.env = dict(env or {})
        self.cpu_count = cpu_count
        self.memory_bytes = memory_bytes
        self.python_bits = python_bits

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HostFacts) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass

    def __repr__(self) -> str:
        names = (name for name in self.FIELDS if name != "env")
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"HostFacts({shown}, env=<{len(self.env)} variables>)"

    @property
    def path(self) -> list[str]:
        """PATH entries in order, empty entries dropped."""
        from gorig.host.path import path_entries

        return path_entries(self.env.get("PATH", ""))

    @property
    def home(self) -> str:
        return self.env.get("HOME", "")

    @property
    def translated(self) -> bool:
        """This process runs under Rosetta 2 (``sysctl.proc_translated`` is 1)."""
        return self.sysctl.get("sysctl.proc_translated", "0").strip() == "1"

    @property
    def hardware_arch(self) -> str:
        """The CPU's own architecture in Go's names, whatever the shell runs as."""
        if self.os == "darwin":
            return "arm64" if self.sysctl.get("hw.optional.arm64", "0").strip() == "1" else "amd64"
        return KERNEL_ARCH_TO_GOARCH.get(self.kernel_arch, self.kernel_arch)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HostFacts:
        known = {name: data[name] for name in cls.FIELDS if name in data}
        return cls(**known)


def native_platform(facts: HostFacts) -> tuple[str, str]:
    """The (GOOS, GOARCH) whose toolchain runs natively here.

    On macOS that is the hardware architecture even in a translated shell. On Linux a 64-bit
    kernel with a 32-bit userland (a Raspberry Pi OS, say) needs the 32-bit build.
    """
    arch = facts.hardware_arch
    if facts.os == "linux" and facts.userland_bits == 32:
        arch = USERLAND_32_OF.get(arch, arch)
    return facts.os, arch


def _goos() -> str:
    platform = sys.platform
    if platform.startswith("linux"):
        return "linux"
    if platform.startswith("freebsd"):
        return "freebsd"
    return {"win32": "windows", "cygwin": "windows"}.get(platform, platform)


def _elf_class(path: str) -> int | None:
    """32 or 64 from an ELF file's ident bytes, or None when it is not ELF."""
    try:
        with open(path, "rb") as file:
            ident = file.read(5)
    except OSError:
        return None
    if len(ident) < 5 or ident[:4] != b"\x7fELF":
        return None
    return {1: 32, 2: 64}.get(ident[4])


def _read_sysctls() -> dict[str, str]:
    """The sysctl values probe() reads on macOS (hardware arm64 support, Rosetta translation
    of this process, memory and CPUs) by name; an unknown oid (no Rosetta, Intel Mac) is
    simply absent.

    Read through libc's sysctlbyname; the ``sysctl`` command is the fallback when libc
    cannot be used.
    """
    from gorig.host import darwin  # only here: struct and the libc decoders, darwin only

    names = tuple(darwin.SYSCTL_FORMATS)
    values = darwin.sysctls(names)
    return values if values is not None else _run_sysctls(names)


def _run_sysctls(names: tuple[str, ...]) -> dict[str, str]:
    """sysctl values from ``sysctl -n NAME``, one process each."""
    import subprocess

    values: dict[str, str] = {}
    for name in names:
        try:
            done = subprocess.run(
                ["sysctl", "-n", name], capture_output=True, text=True, timeout=2, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and done.stdout.strip():
            values[name] = done.stdout.strip()
    return values


def _memory_bytes(sysctl: dict[str, str]) -> int:
    if "hw.memsize" in sysctl:
        return int(sysctl["hw.memsize"])
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 0


def probe() -> HostFacts:
    """Read this machine's facts (cheap: no process runs except sysctl on macOS)."""
    goos = _goos()
    kernel_arch = (
        os.uname().machine
        if hasattr(os, "uname")
        else os.environ.get("PROCESSOR_ARCHITECTURE", "").lower()
    )
    sysctl = _read_sysctls() if goos == "darwin" else {}
    kernel_bits = (
        64
        if KERNEL_ARCH_TO_GOARCH.get(kernel_arch, "")
        in {
            "amd64",
            "arm64",
            "ppc64le",
            "ppc64",
            "s390x",
            "riscv64",
            "loong64",
            "mips64",
            "mips64le",
        }
        else 32
    )
    userland_bits = (_elf_class("/bin/sh") or kernel_bits) if goos == "linux" else kernel_bits
    return HostFacts(
        os=goos,
        kernel_arch=kernel_arch,
        userland_bits=userland_bits,
        sysctl=sysctl,
        env=dict(os.environ),
        cpu_count=os.cpu_count() or 1,
        memory_bytes=_memory_bytes(sysctl),
        python_bits=64 if sys.maxsize > 2**32 else 32,  # a pointer's width; no struct
    )
