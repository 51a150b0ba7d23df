"""Prove an artifact is what was asked: read it back (never run it) and compare.

Checked: the OS and architecture (headers, and the ``GOOS`` build setting), the variant
(the sub-variable's build setting, e.g. ``GOARM=6``), cgo (``CGO_ENABLED``) and the linkage
expected for the OS. A universal Mach-O must hold exactly the darwin slices asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gorig.binfmt import BinfmtError, Executable, NotExecutable, read_executable
from gorig.i18n import _
from gorig.targets import Target
from gorig.targets.subvars import canonical_variant

WASM_MAGIC = b"\0asm"
XCOFF64_MAGIC = b"\x01\xf7"
# Plan 9 a.out magics (big-endian): _MAGIC(0, 11), _MAGIC(HDR_MAGIC, 26), _MAGIC(0, 20).
PLAN9_MAGICS = {
    b"\x00\x00\x01\xeb": "386",
    b"\x00\x00\x8a\x97": "amd64",
    b"\x00\x00\x06\x47": "arm",
}
# OSes whose Go binaries with cgo off are statically linked ELF files.
STATIC_WITHOUT_CGO = frozenset({"linux", "freebsd", "netbsd"})
# OSes where every Go binary links the system's libraries (libSystem, kernel32.dll...).
ALWAYS_DYNAMIC = frozenset({"darwin", "ios", "windows"})


@dataclass
class Proof:
    """What the artifact turned out to be, and every way it differs from the target."""

    found: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def expected_linkage(target: Target, cgo: bool) -> str | None:
    """The linkage ``target`` must have, or None where gorig does not pin it down.

    With cgo on, a program links libc only if something imports ``runtime/cgo`` (``net``,
    ``os/user``, ``import "C"``), so only the cgo-off case is certain on ELF systems.
    """
    if target.goos in ALWAYS_DYNAMIC:
        return "dynamic"
    if target.goos in STATIC_WITHOUT_CGO and not cgo:
        return "static"
    return None


def _facts(exe: Executable, target: Target) -> dict[str, Any]:
    setting = exe.go.setting if exe.go is not None else (lambda _key: None)
    return {
        "format": exe.format,
        "goos": exe.goos,
        "goarch": exe.goarch,
        "variant": setting(target.subvariable) if target.subvariable else None,
        "cgo": setting("CGO_ENABLED"),
        "linkage": exe.linkage,
        "go": exe.go.go_version if exe.go is not None else None,
    }


def _same_variant(target: Target, found: str | None) -> bool:
    name = target.subvariable
    if found is None or name is None or target.variant is None:
        return False
    return canonical_variant(name, found) == canonical_variant(name, target.variant)


def check_thin(exe: Executable, target: Target, cgo: bool) -> Proof:
    """Compare one thin executable with ``target`` (pure)."""
    proof = Proof(found=_facts(exe, target))
    found = proof.found
    if exe.go is None:
        proof.problems.append(_("no Go build info: is this a Go program?"))
    for key, want in (("goos", target.goos), ("goarch", target.goarch)):
        if found[key] != want:
            proof.problems.append(_is_not(key.upper(), found[key], want))
    if target.variant is not None and not _same_variant(target, found["variant"]):
        subvariable = target.subvariable or ""
        proof.problems.append(_is_not(subvariable, found["variant"], target.variant))
    want_cgo = "1" if cgo else "0"
    if exe.go is not None and found["cgo"] != want_cgo:
        proof.problems.append(_is_not("CGO_ENABLED", found["cgo"], want_cgo))
    linkage = expected_linkage(target, cgo)
    if linkage is not None and exe.linkage != linkage:
        proof.problems.append(
            _("linkage is {found}, not {want}").format(found=exe.linkage, want=linkage)
        )
    return proof


def _is_not(name: str, found: object, want: object) -> str:
    return _("{name} is {found}, not {want}").format(name=name, found=found, want=want)


def check_universal(exe: Executable, target: Target, cgo: bool) -> Proof:
    """A universal Mach-O holding exactly the slices of ``target`` (pure)."""
    proof = Proof(found={"format": exe.format, "goos": exe.goos, "goarch": exe.goarch})
    if exe.format != "macho-universal":
        proof.problems.append(_("not a universal Mach-O but {format}").format(format=exe.format))
        return proof
    want = [thin.goarch for thin in target.slices()]
    have = [piece.goarch for piece in exe.slices]
    proof.found["slices"] = have
    if sorted(have) != sorted(want):
        proof.problems.append(
            _("slices are {found}, not {want}").format(found=", ".join(have), want=", ".join(want))
        )
    for piece in exe.slices:
        thin = Target("darwin", piece.goarch)
        proof.problems += [
            _("{goarch} slice: {problem}").format(goarch=thin.goarch, problem=p)
            for p in check_thin(piece, thin, cgo).problems
        ]
    return proof


def foreign_format(head: bytes) -> tuple[str, str] | None:
    """(format, GOARCH) of the Go outputs gorig's readers do not parse, from their magic:
    WebAssembly modules, Plan 9 a.out files and AIX XCOFF64 files."""
    if head.startswith(WASM_MAGIC):
        return "wasm", "wasm"
    if head[:2] == XCOFF64_MAGIC:
        return "xcoff", "ppc64"
    arch = PLAN9_MAGICS.get(head[:4])
    return ("plan9", arch) if arch else None


def check_foreign(path: Path, target: Target) -> Proof | None:
    """A proof by magic number only (no build info is read), or None if unrecognised."""
    with path.open("rb") as file:
        found = foreign_format(file.read(4))
    if found is None:
        return None
    fmt, goarch = found
    goos = {"plan9": "plan9", "xcoff": "aix"}.get(fmt)  # wasm serves both js and wasip1
    proof = Proof(found={"format": fmt, "goos": goos, "goarch": goarch})
    if goos is not None and goos != target.goos:
        proof.problems.append(_is_not("GOOS", goos, target.goos))
    if goarch != target.goarch:
        proof.problems.append(_is_not("GOARCH", goarch, target.goarch))
    return proof


def verify_artifact(path: Path, target: Target, *, cgo: bool) -> Proof:
    """Read ``path`` and prove it is ``target`` built with the asked cgo setting."""
    try:
        exe = read_executable(path)
    except NotExecutable as error:
        proof = check_foreign(path, target)
        return proof or Proof(problems=[_("cannot read the artifact: {error}").format(error=error)])
    except BinfmtError as error:
        return Proof(problems=[_("cannot read the artifact: {error}").format(error=error)])
    if target.is_universal:
        return check_universal(exe, target, cgo)
    return check_thin(exe, target, cgo)
