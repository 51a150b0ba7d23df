"""The C compiler of each cgo target, chosen and checked before any build starts.

A cgo build for another architecture with the host's gcc ends in raw assembler errors
(``no such instruction: 'blr x20'``); gorig says instead, per target, which compiler it will
use or exactly what is missing. The choices:

- ``auto`` (the default): an exported ``CC`` (or ``go env -w CC``) is used as given; a
  native target uses the host's ``gcc``/``clang``; a Linux cross target uses the
  Debian-style cross compiler ``<triple>-gcc`` when it is on PATH.
- ``zig``: Zig (``pip install ziglang``, or ``zig`` on PATH) as ``zig cc -target TRIPLE`` for
  Linux targets. Zig ships the C library headers and stubs for every Linux architecture, so
  nothing else needs installing. It cannot link macOS cgo programs: Go links them against
  Apple's SDK (``-lresolv``, frameworks), which Zig does not ship.

Pure: the PATH lookup (``which``) and the Zig command come in.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from gorig.errors import GorigError
from gorig.i18n import _
from gorig.targets import Target
from gorig.targets.exported import BuildSetting

CHOICES = ("auto", "zig")

# GOARCH -> the GNU triple of Linux on it: Debian's cross gcc prefix and Zig's glibc target.
LINUX_TRIPLES: dict[str, str] = {
    "amd64": "x86_64-linux-gnu",
    "386": "i686-linux-gnu",
    "arm64": "aarch64-linux-gnu",
    "arm": "arm-linux-gnueabihf",
    "riscv64": "riscv64-linux-gnu",
    "ppc64le": "powerpc64le-linux-gnu",
    "s390x": "s390x-linux-gnu",
    "loong64": "loongarch64-linux-gnu",
}
# Zig spells two of them its own way.
ZIG_ARCH = {"i686": "x86"}

Which = Callable[[str], str | None]


@dataclass(frozen=True)
class CCompiler:
    """The compiler one thin target builds with: ``env`` is set for its ``go build``."""

    target: str
    compiler: str  # "zig cc -target aarch64-linux-gnu", "/usr/bin/aarch64-linux-gnu-gcc"...
    source: str  # "--cc zig", "PATH", "environment"
    env: Mapping[str, str]

    def setting(self) -> BuildSetting:
        """The line the plan prints for it."""
        return BuildSetting("CC", self.compiler, self.source, f"for {self.target}")


def linux_triple(target: Target) -> str | None:
    """The GNU triple of a Linux target; GOARM=5 is soft-float (``gnueabi``)."""
    if target.goos != "linux" or target.goarch not in LINUX_TRIPLES:
        return None
    if target.goarch == "arm" and (target.variant or "").startswith("5"):
        return "arm-linux-gnueabi"
    return LINUX_TRIPLES[target.goarch]


def _zig(target: Target, zig: list[str] | None, said: str) -> CCompiler:
    triple = linux_triple(target)
    if triple is None:
        raise GorigError(
            _(
                "{target}: {said} builds cgo for Linux targets only; Zig cannot link {goos} cgo "
                "programs (they need the platform's own SDK): build them on {goos}, or set CC "
                "to a compiler for {port}"
            ).format(target=target, said=said, goos=target.goos, port=target.port),
            exit_code=2,
        )
    if zig is None:
        raise GorigError(
            _(
                "{said}: Zig is not installed; run 'pip install ziglang' in gorig's Python "
                "environment, or put zig on PATH"
            ).format(said=said),
            exit_code=2,
        )
    arch, _dash, rest = triple.partition("-")
    zig_triple = f"{ZIG_ARCH.get(arch, arch)}-{rest}"
    cc = shlex.join([*zig, "cc", "-target", zig_triple])
    cxx = shlex.join([*zig, "c++", "-target", zig_triple])
    env = {"CC": cc, "CXX": cxx}
    return CCompiler(str(target), f"zig cc -target {zig_triple}", said, env)


def _auto(
    target: Target, host: tuple[str, str], env_cc: BuildSetting | None, which: Which
) -> CCompiler:
    if env_cc is not None:
        return CCompiler(str(target), env_cc.value, env_cc.source, {"CC": env_cc.value})
    native = target.port == "/".join(host) or (host[0] == target.goos == "darwin")
    if native:
        found = which("gcc") or which("clang") or which("cc")
        if found is None:
            raise GorigError(
                _(
                    "{target}: cgo needs a C compiler and none is on PATH (gcc, clang or cc); "
                    "install one (Debian: apt install gcc), or pass --cc zig"
                ).format(target=target)
            )
        return CCompiler(str(target), found, "PATH", {"CC": found})
    triple = linux_triple(target)
    if triple is None:
        raise GorigError(
            _(
                "{target}: cgo needs a C compiler for {port} and the host's one builds for "
                "{host}; set CC to a {port} compiler, or build on {goos}"
            ).format(target=target, port=target.port, host="/".join(host), goos=target.goos)
        )
    found = which(f"{triple}-gcc")
    if found is None:
        raise GorigError(
            _(
                "{target}: cgo needs a C compiler for {triple} and {triple}-gcc is not on PATH; "
                "install it (Debian: apt install gcc-{triple}), or pass --cc zig"
            ).format(target=target, triple=triple)
        )
    return CCompiler(str(target), found, "PATH", {"CC": found})


def choose_compilers(
    targets: list[Target],
    *,
    choice: str,
    said: str,
    host: tuple[str, str],
    env_cc: BuildSetting | None,
    which: Which,
    zig: list[str] | None,
) -> dict[str, CCompiler]:
    """The C compiler of every thin target of a cgo build, by target name; every target
    that has none is named in one error, before any build starts. ``said`` is where the
    choice came from (``--cc zig``, the config file)."""
    if choice not in CHOICES:
        raise GorigError(
            _("{said}: choose one of {choices}").format(said=said, choices=", ".join(CHOICES)),
            exit_code=2,
        )
    chosen: dict[str, CCompiler] = {}
    problems: list[str] = []
    for thin in (one for target in targets for one in target.slices()):
        try:
            if choice == "zig":
                chosen[str(thin)] = _zig(thin, zig, said)
            else:
                chosen[str(thin)] = _auto(thin, host, env_cc, which)
        except GorigError as error:
            problems.append(str(error))
    if problems:
        raise GorigError("; ".join(dict.fromkeys(problems)), exit_code=2)
    return chosen


def find_zig(which: Which) -> list[str] | None:
    """The Zig command: the ``ziglang`` wheel in gorig's own Python, else ``zig`` on PATH."""
    import importlib.util
    import sys

    if importlib.util.find_spec("ziglang") is not None:
        return [sys.executable, "-m", "ziglang"]
    found = which("zig")
    return [found] if found else None
