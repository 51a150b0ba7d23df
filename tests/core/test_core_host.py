"""Host facts: hardware architecture from recorded facts, never from `uname -m` alone."""

from __future__ import annotations

import json
import os
import platform

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
