"""Header facts from gorig's readers against independent readers: pyelftools, macholib,
pefile and the LLVM tools (llvm-readobj, llvm-lipo, llvm-nm, llvm-objdump)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pefile
import pytest
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.segments import InterpSegment
from macholib import mach_o
from macholib.MachO import MachO

from gorig.binfmt import read_executable
from support import corpus

pytestmark = pytest.mark.toolchain

GROUPS = [f"{version}-{platform}" for version, platform in corpus.WHEEL_SETS] + ["built"]

# Test-only reference tables: the architecture names each oracle uses, in Go's words.
ELF_MACHINES = {
    "EM_386": "386", "EM_X86_64": "amd64", "EM_AARCH64": "arm64", "EM_ARM": "arm",
    "EM_S390": "s390x", "EM_RISCV": "riscv64", "EM_LOONGARCH": "loong64",
}  # fmt: skip
LLVM_ARCHES = {
    "i386": "386", "x86_64": "amd64", "aarch64": "arm64", "arm": "arm", "thumb": "arm",
    "mips": "mips", "mipsel": "mipsle", "mips64": "mips64", "mips64el": "mips64le",
    "powerpc64": "ppc64", "powerpc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64",
    "loongarch64": "loong64",
}  # fmt: skip
MACHO_CPUS = {"x86_64": "amd64", "ARM64": "arm64"}  # macholib CPU_TYPE_NAMES -> Go
PE_MACHINES = {0x14C: "386", 0x8664: "amd64", 0xAA64: "arm64", 0x1C4: "arm"}
DYLIB_COMMANDS = {
    mach_o.LC_LOAD_DYLIB, mach_o.LC_LOAD_WEAK_DYLIB, mach_o.LC_REEXPORT_DYLIB,
    mach_o.LC_LAZY_LOAD_DYLIB, mach_o.LC_LOAD_UPWARD_DYLIB,
}  # fmt: skip


def group_files(group: str) -> list[Path]:
    base = corpus.root() / "built" if group == "built" else corpus.wheel_dir(*group.split("-", 1))
    return sorted(p for p in base.rglob("*") if p.is_file())


def need_llvm(tool: str) -> Path:
    path = corpus.llvm_tool(tool)
    if path is None:
        pytest.skip(f"{tool} is missing: scripts/test installs llvm-14")
    return path


def readobj_headers(files: list[Path]) -> dict[str, dict[str, str]]:
    """``llvm-readobj --file-headers`` for many files in one run: path -> Format/Arch/bits."""
    done = subprocess.run(
        [need_llvm("llvm-readobj"), "--file-headers", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    facts: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(": ")
        if key == "File":
            current = facts.setdefault(value, {})
        elif key in ("Format", "Arch", "AddressSize") and key not in current:
            current[key] = value
    return facts


@pytest.mark.parametrize("group", GROUPS)
def test_headers_agree_with_oracles(group):
    files = [p for p in group_files(group) if p.read_bytes()[:4] != b"\0asm"]
    assert files
    headers = readobj_headers(files)
    for path in files:
        exe = read_executable(path)
        check_llvm_readobj(exe, headers[str(path)])
        {"elf": check_elf, "macho": check_macho, "macho-universal": check_macho, "pe": check_pe}[
            exe.format
        ](exe, path)


def check_llvm_readobj(exe, facts):
    if exe.format == "macho-universal":
        return  # llvm-readobj describes the first slice only; llvm-lipo covers the rest
    assert exe.bits == int(facts["AddressSize"].removesuffix("bit")), exe
    if facts["Arch"] != "unknown":  # LLVM 14 predates LoongArch; pyelftools checks it
        assert exe.goarch == LLVM_ARCHES.get(facts["Arch"], facts["Arch"]), exe
    prefix = {"elf": "elf", "macho": "Mach-O", "pe": "COFF"}[exe.format]
    assert facts["Format"].startswith(prefix)


def check_elf(exe, path):
    with open(path, "rb") as handle:
        elf = ELFFile(handle)
        machine = elf["e_machine"]
        bits, little = elf.elfclass, elf.little_endian
        assert (exe.bits, exe.endian) == (bits, "little" if little else "big")
        if machine in ELF_MACHINES:
            assert exe.goarch == ELF_MACHINES[machine]
        interp = next(
            (s.get_interp_name() for s in elf.iter_segments() if isinstance(s, InterpSegment)), None
        )
        dynamic = next((s for s in elf.iter_sections() if isinstance(s, DynamicSection)), None)
        # pyelftools sets a tag's string attributes (``needed``) by its kind, out of mypy's sight
        needed = [t.needed for t in dynamic.iter_tags("DT_NEEDED")] if dynamic else []  # type: ignore[attr-defined]
        has_dynamic = any(s["p_type"] == "PT_DYNAMIC" for s in elf.iter_segments())
        assert exe.interpreter == interp
        assert exe.libraries == needed
        assert exe.stripped == (elf.get_section_by_name(".symtab") is None)
        # (has_dwarf_info() also counts a bare .eh_frame, which every C program has)
        debug_info = elf.get_section_by_name(".debug_info") or elf.get_section_by_name(
            ".zdebug_info"
        )
        assert exe.dwarf == (debug_info is not None)
        if interp:
            want = "dynamic" if needed else "loader-only"
        elif needed:
            want = "dynamic"
        else:
            want = "static-pie" if has_dynamic and elf["e_type"] == "ET_DYN" else "static"
        assert exe.linkage == want


def check_macho(exe, path):
    macho = MachO(str(path))
    pieces = exe.slices if exe.format == "macho-universal" else [exe]
    assert len(pieces) == len(macho.headers)
    if exe.format == "macho-universal":
        archs = subprocess.run(
            [need_llvm("llvm-lipo"), "-archs", path], capture_output=True, text=True
        )
        assert [LLVM_ARCHES.get(a, a) for a in archs.stdout.split()] == [p.goarch for p in pieces]
        assert exe.go is not None and exe.go.to_go_json() == pieces[0].go.to_go_json()
    for piece, header in zip(pieces, macho.headers, strict=True):
        assert piece.goarch == MACHO_CPUS[mach_o.CPU_TYPE_NAMES[header.header.cputype]]
        assert piece.bits == (
            64 if header.MH_MAGIC in (mach_o.MH_MAGIC_64, mach_o.MH_CIGAM_64) else 32
        )
        assert piece.endian == ("little" if header.endian == "<" else "big")
        dylibs = [
            d.rstrip(b"\0").decode() for lc, _, d in header.commands if lc.cmd in DYLIB_COMMANDS
        ]
        dyld = [
            d.rstrip(b"\0").decode()
            for lc, _, d in header.commands
            if lc.cmd == mach_o.LC_LOAD_DYLINKER
        ]
        assert piece.libraries == dylibs
        assert piece.interpreter == (dyld[0] if dyld else None)
        assert piece.linkage == "dynamic"
        arch_name = {"amd64": "x86_64", "arm64": "arm64"}[piece.goarch]
        defined = subprocess.run(
            [need_llvm("llvm-nm"), "--defined-only", f"--arch={arch_name}", path],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert piece.stripped == (defined.stdout.strip() == "")
        sections = [s.sectname.rstrip(b"\0") for _, cmd, data in header.commands
                    if isinstance(cmd, (mach_o.segment_command, mach_o.segment_command_64))
                    for s in data]  # fmt: skip
        assert piece.dwarf == any(s.startswith((b"__debug_", b"__zdebug_")) for s in sections)


def check_pe(exe, path):
    pe = pefile.PE(str(path), fast_load=True)
    pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]])
    assert exe.goarch == PE_MACHINES[pe.FILE_HEADER.Machine]
    assert exe.bits == (64 if pe.OPTIONAL_HEADER.Magic == 0x20B else 32)
    dlls = [entry.dll.decode() for entry in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]
    assert exe.libraries == dlls
    assert exe.linkage == ("dynamic" if dlls else "static")
    assert exe.interpreter is None
    assert exe.stripped == (pe.FILE_HEADER.NumberOfSymbols == 0)
    headers = subprocess.run(
        [need_llvm("llvm-objdump"), "--section-headers", path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert exe.dwarf == bool(re.search(r"^\s*\d+\s+\.z?debug_", headers.stdout, re.M))
    pe.close()
