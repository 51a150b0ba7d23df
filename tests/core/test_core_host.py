"""Host facts: hardware architecture from recorded facts, never from `uname -m` alone."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

import pytest

from gorig.host import HostFacts, native_platform, probe

APPLE_SILICON = {"hw.optional.arm64": "1", "hw.ncpu": "8"}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # A translated (Rosetta) shell on Apple Silicon: uname says x86_64, the hardware is arm64.
        (
            HostFacts("darwin", "x86_64", 64, {**APPLE_SILICON, "sysctl.proc_translated": "1"}),
            ("darwin", "arm64"),
        ),
        (
            HostFacts("darwin", "arm64", 64, {**APPLE_SILICON, "sysctl.proc_translated": "0"}),
            ("darwin", "arm64"),
        ),
        # An Intel Mac has no hw.optional.arm64 (unknown oid) and no proc_translated.
        (HostFacts("darwin", "x86_64", 64, {"hw.ncpu": "4"}), ("darwin", "amd64")),
        # Raspberry Pi OS: 64-bit kernel, 32-bit userland -> the 32-bit arm build.
        (HostFacts("linux", "aarch64", 32), ("linux", "arm")),
        (HostFacts("linux", "x86_64", 32), ("linux", "386")),
        (HostFacts("linux", "aarch64", 64), ("linux", "arm64")),
        (HostFacts("linux", "armv7l", 32), ("linux", "arm")),
        (HostFacts("linux", "ppc64le", 64), ("linux", "ppc64le")),
        (HostFacts("linux", "loongarch64", 64), ("linux", "loong64")),
    ],
)
def test_native_platform(facts, expected):
    assert native_platform(facts) == expected


def test_translation_is_read_from_sysctl():
    translated = HostFacts("darwin", "x86_64", 64, {**APPLE_SILICON, "sysctl.proc_translated": "1"})
    assert translated.translated
    assert not HostFacts("darwin", "arm64", 64, APPLE_SILICON).translated


def test_facts_round_trip_through_json():
    facts = probe()
    again = HostFacts.from_dict(json.loads(json.dumps(facts.to_dict())))
    assert again == facts


def test_probe_matches_this_machine():
    facts = probe()
    assert facts.os == "linux"
    assert facts.kernel_arch == platform.machine()
    assert facts.path == [p for p in os.environ["PATH"].split(os.pathsep) if p]
    assert facts.cpu_count == os.cpu_count()
    assert facts.memory_bytes > 0
    # /bin/sh's ELF class is this userland's bitness; a 64-bit Python needs a 64-bit userland.
    assert facts.userland_bits == 64


# What sysctlbyname(3) writes on an Apple Silicon Mac with 16 GiB (the values of
# tests/bench/darwin-arm64-facts.json): int oids are 4 little-endian bytes, hw.memsize is a
# uint64_t.
RECORDED_SYSCTL_BYTES = {
    "hw.optional.arm64": b"\x01\x00\x00\x00",
    "sysctl.proc_translated": b"\x00\x00\x00\x00",
    "hw.memsize": b"\x00\x00\x00\x00\x04\x00\x00\x00",
    "hw.ncpu": b"\x08\x00\x00\x00",
}


def test_sysctl_bytes_decode_to_what_sysctl_n_prints():
    from gorig.host.darwin import decode_sysctl

    decoded = {name: decode_sysctl(name, raw) for name, raw in RECORDED_SYSCTL_BYTES.items()}
    recorded = json.loads(
        (Path(__file__).parents[1] / "bench" / "darwin-arm64-facts.json").read_text()
    )["sysctl"]
    assert decoded == {name: recorded[name] for name in decoded}
    values = {name: value for name, value in decoded.items() if value is not None}
    facts = HostFacts("darwin", "x86_64", 64, {**values, "sysctl.proc_translated": "1"})
    assert (facts.translated, native_platform(facts)) == (True, ("darwin", "arm64"))


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("hw.ncpu", b"\x08\x00"),  # cut short
        ("hw.memsize", b"\x00\x00\x00\x00"),  # an int where a uint64_t belongs
        ("kern.hostname", b"mac\x00"),  # not an oid gorig reads
    ],
)
def test_sysctl_bytes_of_the_wrong_shape_are_absent(name, raw):
    from gorig.host.darwin import decode_sysctl

    assert decode_sysctl(name, raw) is None


def _go_struct_layout(path: Path) -> tuple[int, int]:
    """(sizeof kinfo_proc, offset of kp_proc.p_flag) from Go's cgo-generated darwin types."""
    text = path.read_text()
    size = int(text.split("const SizeofKinfoProc = ", 1)[1].split()[0], 0)
    fields = text.split("type ExternProc struct {", 1)[1].split("}", 1)[0].split()
    sizes = {"Timeval": 16, "*Vmspace": 8, "uintptr": 8}  # 64-bit: Sec int64, Usec + pad
    offset = 0
    for name, kind in zip(fields[0::2], fields[1::2], strict=True):
        if name == "P_flag":
            return size, offset
        offset += sizes[kind]
    raise AssertionError("no P_flag in ExternProc")


@pytest.mark.parametrize("goarch", ["amd64", "arm64"])
def test_kinfo_proc_layout_is_the_one_go_generates_from_the_headers(goarch):
    from gorig.host import darwin
    from support import gobin

    types = gobin.goroot(gobin.GO_1_27) / "src" / "cmd" / "vendor" / "golang.org" / "x" / "sys"
    layout = _go_struct_layout(types / "unix" / f"ztypes_darwin_{goarch}.go")
    assert layout == (darwin.KINFO_PROC_SIZE, darwin.P_FLAG_OFFSET)


@pytest.mark.parametrize(("flags", "translated"), [(0x4004, False), (0x24004, True)])
def test_kinfo_proc_bytes_say_whether_rosetta_translates(flags, translated):
    import struct

    from gorig.host.darwin import KINFO_PROC_SIZE, P_FLAG_OFFSET, decode_translated

    kinfo = bytearray(KINFO_PROC_SIZE)
    struct.pack_into("<i", kinfo, P_FLAG_OFFSET, flags)
    assert decode_translated(bytes(kinfo)) is translated
    assert decode_translated(bytes(kinfo[:-1])) is None


def test_off_macos_libc_says_nothing_and_the_caller_falls_back():
    from gorig.host import darwin

    if platform.system() == "Darwin":
        pytest.skip("on macOS libc answers (this test is for the fallback elsewhere)")
    assert darwin.sysctls(["hw.ncpu"]) is None
    assert darwin.process_info(os.getppid()) is None
